// The backtest loop: drives the kernel over bars [fromBar, toBar) of a series with precomputed
// signals. Bars before fromBar are warm-up only (signals are look-ahead free, so they may be
// computed on the whole series). Shared by runBacktest (full traces) and the optimizer's
// metrics-only path, so both give identical numbers.
import type { CandleSeries } from '../candles/types.ts'
import { KernelState, SIDE_NONE, stepBar } from '../engine/kernel.ts'
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
 * (index 0 = fromBar). The state must be reset by the caller; the accumulator is reset here.
 *
 * Every bar goes through stepBar except in two runs where stepBar provably does nothing but
 * count: flat with nothing pending and no buy wish (equity is the cash), and holding with
 * nothing pending, no sell wish and no protective exit reached by the bar. Those runs are handled
 * in bulk, which makes sparse-signal strategies cost about a scan per bar (test: simulate equals
 * a plain stepBar loop bar for bar).
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
  const { time, close } = series
  acc.reset(p.initialCash)
  let i = fromBar
  while (i < toBar) {
    if (st.pendSide === SIDE_NONE) {
      if (st.qty === 0) {
        let j = i
        while (j < toBar && signals[j]! <= 0) j++
        if (j > i) {
          acc.flatRun(time, i, j, st.cash)
          if (equityOut !== null) equityOut.fill(st.cash, i - fromBar, j - fromBar)
          i = j
          continue
        }
      } else {
        const j = holdingRun(series, signals, p, i, toBar, st, acc, equityOut, fromBar)
        if (j > i) {
          i = j
          continue
        }
      }
    }
    stepBar(st, p, series, i, signals[i]!)
    const eq = st.cash + st.qty * close[i]!
    acc.bar(time[i]!, eq)
    if (equityOut !== null) equityOut[i - fromBar] = eq
    i++
  }
}

/**
 * Holding, nothing pending: marks bars [i, j) where the signal is not a sell wish and neither the
 * open nor the range reaches the stop or the take-profit (the tests applyFills would make, with
 * the trailing peak moved by each bar's high afterwards, as endOfBar does). Returns j; the bar at
 * j, if any, goes through stepBar.
 */
function holdingRun(
  series: CandleSeries,
  signals: Int8Array,
  p: KernelParams,
  i: number,
  toBar: number,
  st: KernelState,
  acc: MetricsAccumulator,
  equityOut: Float64Array | null,
  fromBar: number,
): number {
  const { time, open, high, low, close } = series
  const hasStop = p.stopLossRate > 0 || p.trailingStopRate > 0
  const fixedStop = p.stopLossRate > 0 ? st.entryPrice * (1 - p.stopLossRate) : 0
  const tp = p.takeProfitRate > 0 ? st.entryPrice * (1 + p.takeProfitRate) : Infinity
  const trailing = p.trailingStopRate > 0
  let peak = st.peak
  let stop = fixedStop
  if (trailing) {
    const t = peak * (1 - p.trailingStopRate)
    if (t > stop) stop = t
  }
  const cash = st.cash
  const qty = st.qty
  let k = i
  for (; k < toBar; k++) {
    if (signals[k]! < 0) break
    const o = open[k]!
    if (hasStop && (o <= stop || low[k]! <= stop)) break
    const h = high[k]!
    if (o >= tp || h >= tp) break
    const eq = cash + qty * close[k]!
    acc.bar(time[k]!, eq)
    if (equityOut !== null) equityOut[k - fromBar] = eq
    // Runs start after the entry bar, so every bar's high may move the trailing peak.
    if (h > peak) {
      peak = h
      if (trailing) {
        const t = peak * (1 - p.trailingStopRate)
        if (t > stop) stop = t
      }
    }
  }
  st.peak = peak
  st.barsInPosition += k - i
  return k
}
