// The backtest loop: drives the kernel over bars [fromBar, toBar) of a series with precomputed
// signals. Bars before fromBar are warm-up only (signals are look-ahead free, so they may be
// computed on the whole series). Shared by runBacktest (full traces) and the optimizer's
// metrics-only path, so both give identical numbers.
import type { CandleSeries } from '../candles/types.ts'
import { KernelState, stepBar } from '../engine/kernel.ts'
import type { KernelParams } from '../engine/params.ts'
import type { MetricsAccumulator } from '../metrics/accumulator.ts'

export function checkRange(series: CandleSeries, signals: Int8Array, fromBar: number, toBar: number): void {
  const n = series.close.length
  if (signals.length !== n) throw new RangeError(`signals length ${signals.length} differs from series length ${n}`)
  if (!Number.isInteger(fromBar) || !Number.isInteger(toBar) || fromBar < 0 || toBar > n || fromBar >= toBar) {
    throw new RangeError(`bar range [${fromBar}, ${toBar}) is empty or outside the series of ${n} bars`)
  }
}

/**
 * Runs the kernel over [fromBar, toBar). `equityOut`, when given, receives the equity of every bar
 * (index 0 = fromBar). The state is reset first; the accumulator receives every bar.
 */
export function simulate(
  series: CandleSeries,
  signals: Int8Array,
  p: KernelParams,
  fromBar: number,
  toBar: number,
  st: KernelState,
  acc: MetricsAccumulator,
  equityOut: Float64Array | null,
): void {
  const { time, open, high, low, close } = series
  acc.reset(p.initialCash)
  for (let i = fromBar; i < toBar; i++) {
    const eq = stepBar(st, p, i, open[i]!, high[i]!, low[i]!, close[i]!, signals[i]!)
    acc.bar(time[i]!, eq)
    if (equityOut !== null) equityOut[i - fromBar] = eq
  }
}
