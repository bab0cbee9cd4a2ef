// The specification of the backtest loop you can run: every bar of [fromBar, toBar) through the
// kernel's stepBar, its equity marked bar by bar. simulate.ts is the fast path (bulk runs over
// stretches where nothing can happen); property tests require both to give identical events,
// equity curves, metrics and final states, and `npm run bench` times both side by side.
import type { CandleSeries } from '../candles/types.ts'
import { equityAt, stepBar } from '../engine/kernel.ts'
import type { KernelParams } from '../engine/params.ts'
import type { KernelState } from '../engine/state.ts'
import type { MetricsAccumulator } from '../metrics/accumulator.ts'

/** simulate()'s contract, one bar at a time: the state is reset by the caller, the accumulator here. */
export function simulateReference(
  series: CandleSeries,
  signals: Int8Array,
  p: KernelParams,
  fromBar: number,
  toBar: number,
  st: KernelState,
  acc: MetricsAccumulator,
  equityOut: Float64Array | null,
): void {
  acc.reset(p.initialCash)
  for (let i = fromBar; i < toBar; i++) {
    stepBar(st, p, series, signals, i)
    const eq = equityAt(st, series, i)
    acc.bar(series.time[i]!, eq)
    if (equityOut !== null) equityOut[i - fromBar] = eq
  }
}
