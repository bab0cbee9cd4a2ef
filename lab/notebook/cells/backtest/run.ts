// Running a backtest cell: the series from the data cell above, the strategy's signals, the
// engine. It runs in the main thread: the whole run is tens of ns per bar (a few ms for two days
// of 1m bars), well under a frame; a Web Worker is the next step for months of bars.
import { runBacktest, type BacktestResult } from '../../../../shared/backtest/index.ts'
import { checkExecConfig, type ExecConfig } from '../../../../shared/engine/index.ts'
import { findStrategy, strategyIds, tryResolveParams, type Params } from '../../../../shared/strategies/index.ts'
import { UPBIT_KRW_RULES } from '../../../../shared/upbit/venue-rules.ts'
import type { RunContext, SeriesValue } from '../types.ts'
import { toExecConfig, type BacktestParams } from './params.ts'

export interface BacktestOutput {
  readonly source: SeriesValue
  readonly strategy: { readonly id: string; readonly version: number; readonly name: string; readonly description: string }
  readonly params: Params
  readonly config: ExecConfig
  readonly result: BacktestResult
  /** Wall time of signals + engine + metrics. */
  readonly elapsedMs: number
}

export const NO_SERIES_MESSAGE = 'No candles to test on: add or run a data cell above this one.'

/** The run itself, without the notebook (tests and the cell share it). */
export function backtestOn(source: SeriesValue, params: BacktestParams, now: () => number = () => performance.now()): BacktestOutput {
  const def = findStrategy(params.strategy)
  if (def === undefined) throw new Error(`Unknown strategy '${params.strategy}'. Pick one of: ${strategyIds.join(', ')}.`)
  const resolved = tryResolveParams(def, params.values)
  if (!resolved.ok) throw new Error(resolved.error.message)
  const config = toExecConfig(params.exec)
  const check = checkExecConfig(config, UPBIT_KRW_RULES)
  if (!check.ok) throw new Error(`Execution settings: ${check.error.messages.join('; ')}`)
  if (source.series.close.length < 2) throw new Error('The data above has fewer than 2 bars: widen its range and run it again.')
  const t0 = now()
  const signals = def.signals(source.series, resolved.value)
  const result = runBacktest(source.series, signals, config)
  return {
    source,
    strategy: { id: def.id, version: def.version, name: def.name, description: def.description },
    params: resolved.value,
    config,
    result,
    elapsedMs: now() - t0,
  }
}

export async function runBacktestCell(ctx: RunContext<BacktestParams>): Promise<BacktestOutput> {
  const source = ctx.inputs.series
  if (source === undefined) throw new Error(NO_SERIES_MESSAGE)
  return backtestOn(source, ctx.params)
}
