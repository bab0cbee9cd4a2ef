// Running a backtest cell: the series from the data cell above goes to the backtest worker once,
// then each run posts only the params (runner.svelte.ts; the latest request wins). The output is
// the run, the candles it ran on (the charts and exports read them on this side) and its
// look-ahead check, which reports a little later.
import type { RunContext, SeriesValue } from '../types.ts'
import { computeBacktest, type BacktestRun } from './compute.ts'
import { LookaheadCheck } from './lookahead.svelte.ts'
import type { BacktestParams } from './params.ts'

export interface BacktestOutput extends BacktestRun {
  readonly source: SeriesValue
  readonly lookahead: LookaheadCheck
}

export const NO_SERIES_MESSAGE = 'No candles to test on: add or run a data cell above this one.'

/** The run in this thread, without the worker or a look-ahead check (tests). */
export function backtestOn(source: SeriesValue, params: BacktestParams, now: () => number = () => performance.now()): BacktestOutput {
  return { source, ...computeBacktest(source.series, params, now), lookahead: new LookaheadCheck({ kind: 'stopped' }) }
}

export async function runBacktestCell(ctx: RunContext<BacktestParams>): Promise<BacktestOutput> {
  const source = ctx.inputs.series
  if (source === undefined) throw new Error(NO_SERIES_MESSAGE)
  const { run, lookahead } = await ctx.services.backtests.run(ctx.cellId, source.series, ctx.params, ctx.signal)
  return { source, ...run, lookahead }
}
