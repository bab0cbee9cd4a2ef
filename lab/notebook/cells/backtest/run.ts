// Running a backtest cell: the series from the data cell above goes to the backtest worker once,
// then each run posts only the params (runner.svelte.ts; the latest request wins). The output is
// the run, the candles it ran on (the charts and exports read them on this side) and its
// look-ahead check, which reports a little later. A user strategy's source (by the hash the
// params name) comes from the lab's strategy library and is loaded into the worker's sandbox.
import type { RunContext, SeriesValue } from '../types.ts'
import { computeBacktest, type BacktestRun } from './compute.ts'
import { LookaheadCheck } from './lookahead.svelte.ts'
import { shortHash, userStrategyLibrary } from '../../../strategies/index.ts'
import { isUserStrategyId, type BacktestParams } from './params.ts'
import type { UserSource } from './runner.svelte.ts'

export interface BacktestOutput extends BacktestRun {
  readonly source: SeriesValue
  readonly lookahead: LookaheadCheck
}

export const NO_SERIES_MESSAGE = 'No candles to test on: add or run a data cell above this one.'

/** The run in this thread, without the worker or a look-ahead check (tests). */
export function backtestOn(source: SeriesValue, params: BacktestParams, now: () => number = () => performance.now()): BacktestOutput {
  return { source, ...computeBacktest(source.series, params, now), lookahead: new LookaheadCheck({ kind: 'stopped' }) }
}

/** The source of the user strategy version the params name, from the lab's library (IndexedDB). */
export async function userSourceOf(params: BacktestParams): Promise<UserSource | undefined> {
  if (!isUserStrategyId(params.strategy)) return undefined
  const ref = params.user
  if (ref === undefined) throw new Error(`Pick ${params.strategy} again in the strategy list: the cell does not say which version to run.`)
  const entry = await userStrategyLibrary().load(ref.hash)
  if (entry === undefined)
    throw new Error(
      `The source of ${params.strategy} #${shortHash(ref.hash)} is not in this browser's strategy library. Run the strategy cell that defines it, then pick it again here.`,
    )
  return { hash: ref.hash, source: entry.source }
}

export async function runBacktestCell(ctx: RunContext<BacktestParams>): Promise<BacktestOutput> {
  const source = ctx.inputs.series
  if (source === undefined) throw new Error(NO_SERIES_MESSAGE)
  const user = await userSourceOf(ctx.params)
  const { run, lookahead } = await ctx.services.backtests.run(ctx.cellId, source.series, ctx.params, ctx.signal, user)
  return { source, ...run, lookahead }
}
