// Metrics-only backtest for sweeps: reuses one workspace (kernel state + accumulator), records no
// trades and allocates nothing per call, and gives exactly runBacktest's metrics.
import type { CandleSeries } from '../candles/types.ts'
import type { KernelParams } from '../engine/params.ts'
import { KernelState } from '../engine/state.ts'
import { MetricsAccumulator } from '../metrics/accumulator.ts'
import { checkRange, simulate } from './simulate.ts'

export interface BacktestWorkspace {
  readonly state: KernelState
  readonly acc: MetricsAccumulator
}

export function createWorkspace(): BacktestWorkspace {
  return { state: new KernelState(), acc: new MetricsAccumulator() }
}

/** Writes the 13 metrics (METRIC_NAMES order) for bars [fromBar, toBar) into out[offset…]. */
export function backtestMetricsInto(
  series: CandleSeries,
  signals: Int8Array,
  p: KernelParams,
  fromBar: number,
  toBar: number,
  ws: BacktestWorkspace,
  out: Float64Array,
  offset: number,
): void {
  checkRange(series, signals, fromBar, toBar)
  ws.state.reset(p.initialCash, null)
  simulate(series, signals, p, fromBar, toBar, ws.state, ws.acc, null)
  ws.acc.finish(ws.state, series.close[fromBar]!, series.close[toBar - 1]!, out, offset)
}
