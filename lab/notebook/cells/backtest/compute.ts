// One backtest computed from candles and the cell's params: the strategy's signals, the engine,
// the metrics. Free of the notebook, the DOM and Svelte, so the backtest worker runs it
// (engine.ts) and tests call it directly. Bad params throw an Error whose message is for the user.
import { runBacktest, type BacktestResult } from '../../../../shared/backtest/index.ts'
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import { checkExecConfig, type ExecConfig } from '../../../../shared/engine/index.ts'
import { findStrategy, strategyIds, tryResolveParams, type Params, type StrategyDef } from '../../../../shared/strategies/index.ts'
import { UPBIT_KRW_RULES } from '../../../../shared/upbit/venue-rules.ts'
import { isUserStrategyId, toExecConfig, type BacktestParams } from './params.ts'

export interface StrategyInfo {
  readonly id: string
  readonly version: number
  readonly name: string
  readonly description: string
  /** A user strategy's source hash (the version that ran). */
  readonly sourceHash?: string
}

/** What a run computes (the cell's output adds the candles it ran on and the look-ahead check). */
export interface BacktestRun {
  readonly strategy: StrategyInfo
  readonly params: Params
  readonly config: ExecConfig
  readonly result: BacktestResult
  /** Wall time of signals + engine + metrics. */
  readonly elapsedMs: number
}

export interface PreparedRun {
  readonly def: StrategyDef
  readonly params: Params
  readonly config: ExecConfig
  readonly sourceHash?: string
}

/**
 * The strategy, its resolved params and the engine config; throws with a message for the user.
 * A user strategy's def comes from `userDef` (the worker loaded its source in its sandbox).
 */
export function prepareRun(params: BacktestParams, userDef?: StrategyDef): PreparedRun {
  const def = isUserStrategyId(params.strategy) ? userDef : findStrategy(params.strategy)
  if (def === undefined && isUserStrategyId(params.strategy))
    throw new Error(`The user strategy '${params.strategy}' is not loaded: run its strategy cell, then pick it again.`)
  if (def === undefined) throw new Error(`Unknown strategy '${params.strategy}'. Pick one of: ${strategyIds.join(', ')}.`)
  if (def.id !== params.strategy) throw new Error(`The loaded source defines ${def.id}, not ${params.strategy}: pick the strategy again.`)
  const resolved = tryResolveParams(def, params.values)
  if (!resolved.ok) throw new Error(resolved.error.message)
  const config = toExecConfig(params.exec)
  const check = checkExecConfig(config, UPBIT_KRW_RULES)
  if (!check.ok) throw new Error(`Execution settings: ${check.error.messages.join('; ')}`)
  return {
    def,
    params: resolved.value,
    config,
    ...(params.user !== undefined && isUserStrategyId(def.id) ? { sourceHash: params.user.hash } : {}),
  }
}

export const strategyInfo = (def: StrategyDef, sourceHash?: string): StrategyInfo => ({
  id: def.id,
  version: def.version,
  name: def.name,
  description: def.description,
  ...(sourceHash !== undefined ? { sourceHash } : {}),
})

/** Runs with precomputed signals (the worker keeps them for the look-ahead check). */
export function computeWith(
  prepared: PreparedRun,
  series: CandleSeries,
  now: () => number,
): { readonly run: BacktestRun; readonly signals: Int8Array } {
  if (series.close.length < 2) throw new Error('The data above has fewer than 2 bars: widen its range and run it again.')
  const t0 = now()
  const signals = prepared.def.signals(series, prepared.params)
  const result = runBacktest(series, signals, prepared.config)
  const run = {
    strategy: strategyInfo(prepared.def, prepared.sourceHash),
    params: prepared.params,
    config: prepared.config,
    result,
    elapsedMs: now() - t0,
  }
  return { run, signals }
}

/**
 * Drawdown at every bar close: equity / running peak − 1 (≤ 0). Not part of a run: a second
 * array of every bar per parameter change costs more than it is worth (fresh memory is slow to
 * touch); the chart computes its window's (chart-data.ts), the code cell and exports this.
 */
export function drawdownOf(equity: Float64Array): Float64Array {
  const dd = new Float64Array(equity.length)
  let peak = -Infinity
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!
    if (e > peak) peak = e
    dd[i] = e / peak - 1
  }
  return dd
}

export function computeBacktest(series: CandleSeries, params: BacktestParams, now: () => number = () => performance.now()): BacktestRun {
  return computeWith(prepareRun(params), series, now).run
}
