// The note cell kind: markdown text, rendered safely; it reads and writes no data.
import { defineCellKind } from '../types.ts'
import NoteCell from './NoteCell.svelte'
import { NoteParams } from './params.ts'

export const noteKind = defineCellKind<NoteParams, null>({
  def: {
    kind: 'note',
    label: 'Note',
    icon: '¶',
    params: NoteParams,
    defaultParams: () => ({ source: '' }),
    consumes: [],
    live: true,
    run: async () => null,
  },
  Body: NoteCell,
})
