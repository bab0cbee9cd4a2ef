// The one place cell kinds are registered. Adding a kind = one folder under cells/ plus one line
// here; the notebook, the file import and the "add cell" menu all read this list.
import type * as v from 'valibot'
import { backtestKind } from './backtest/index.ts'
import { codeKind } from './code/index.ts'
import { dataKind } from './data/index.ts'
import { liveKind } from './live/index.ts'
import { noteKind } from './note/index.ts'
import { optimizeKind } from './optimize/index.ts'
import { strategyKind } from './strategy/index.ts'
import type { AnyCellKind } from './types.ts'

export const CELL_KINDS: readonly AnyCellKind[] = [noteKind, dataKind, strategyKind, backtestKind, optimizeKind, codeKind, liveKind]

const byKind = new Map(CELL_KINDS.map((k) => [k.def.kind, k]))

export const kindOf = (kind: string): AnyCellKind | undefined => byKind.get(kind)

export const paramsSchemaOf = (kind: string): v.GenericSchema | undefined => byKind.get(kind)?.def.params
