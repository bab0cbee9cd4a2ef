// The optimize cell kind: a grid sweep of a strategy on the candles of the data cell above, on
// the lab's worker pool (sweeps.svelte.ts), with an out-of-sample check, the robustness report
// and a verdict; any row opens as a backtest cell below. Only the params schema is part of the
// page's first load: the body and the run are imported when first needed.
import { fmtInt } from '../data/format.ts'
import { defineCellKind } from '../types.ts'
import { optimizeExports } from './code-exports.ts'
import LazyOptimizeCell from './LazyOptimizeCell.svelte'
import type { OptimizeOutput } from './output.ts'
import { OptimizeParams, defaultOptimizeParams } from './params.ts'

export type { OptimizeOutput } from './output.ts'
export { OptimizeParams, defaultOptimizeParams } from './params.ts'

export const optimizeKind = defineCellKind<OptimizeParams, OptimizeOutput>({
  def: {
    kind: 'optimize',
    label: 'Optimize',
    icon: '⊞',
    params: OptimizeParams,
    defaultParams: defaultOptimizeParams,
    consumes: ['series'],
    live: false,
    // The sweep machinery loads on the first run (not with the page).
    run: async (ctx) =>
      (await import('./sweeps.svelte.ts')).optimizeSweeps().run({
        cellId: ctx.cellId,
        params: ctx.params,
        source: ctx.inputs.series,
        signal: ctx.signal,
        progress: (p) => ctx.progress(p),
      }),
    summary: (o) => `${o.plan.strategy.name} · ${fmtInt(o.plan.comboCount)} combos · ${o.verdict.kind}`,
    exports: optimizeExports,
  },
  Body: LazyOptimizeCell,
})
