// The code cell kind: the user's JavaScript (or TypeScript) run in a dedicated worker, with the
// candles of the data cell above as a danfojs DataFrame and the outputs of the cells above
// read-only; display() shows tables, DataFrames, Plotly figures and text.
import { defineCellKind } from '../types.ts'
import CodeCell from './CodeCell.svelte'
import { CodeParams, defaultCodeParams } from './params.ts'
import { runCodeCell, type CodeOutput } from './run.ts'

export type { CodeOutput } from './run.ts'
export { CodeParams, defaultCodeParams } from './params.ts'

export const codeKind = defineCellKind<CodeParams, CodeOutput>({
  def: {
    kind: 'code',
    label: 'Code',
    icon: '{}',
    params: CodeParams,
    defaultParams: defaultCodeParams,
    consumes: ['series'],
    live: false,
    run: runCodeCell,
    summary: (o) => `${o.items.length} output${o.items.length === 1 ? '' : 's'} · ${Math.round(o.runMs)} ms`,
  },
  Body: CodeCell,
})
