// The data cell's chart data, built from the stored columns without the chart library (so it is
// testable and the library stays a lazy import). Handing the library every bar of months of 1m
// candles blocked the page for most of a second on first show (its own per-point processing), so
// the chart holds a window of the bars around the view at about a candle per pixel (the backtest
// cell's plan, backtest/chart-data.ts planWindow): every bar once zoomed in, merged candles
// (open of the first bar, highest high, lowest low, close of the last, volume summed) when zoomed
// out. Its logical index j is bar plan.first + j·plan.step.
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts'
import type { CandleRow, CandleSeries } from '../../../../shared/candles/index.ts'
import type { WindowPlan } from '../backtest/chart-data.ts'

const sec = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp

/** The bars [a, b) merged into one candle (b > a). */
export function bucketOf(s: CandleSeries, a: number, b: number): CandleRow {
  let high = s.high[a]!
  let low = s.low[a]!
  let volume = 0
  for (let i = a; i < b; i++) {
    if (s.high[i]! > high) high = s.high[i]!
    if (s.low[i]! < low) low = s.low[i]!
    volume += s.volume[i]!
  }
  return { timeMs: s.time[a]!, open: s.open[a]!, high, low, close: s.close[b - 1]!, volume }
}

/** Every bar once (a plan of step 1 over all of them). */
export const wholeSeries = (s: CandleSeries): WindowPlan => ({ first: 0, step: 1, count: s.time.length })

/** One candle and one volume bar (coloured like its candle) per bucket of the plan. */
export function chartData(
  s: CandleSeries,
  plan: WindowPlan,
  up: string,
  down: string,
): { candles: CandlestickData<UTCTimestamp>[]; volume: HistogramData<UTCTimestamp>[] } {
  const n = s.time.length
  const candles = new Array<CandlestickData<UTCTimestamp>>(plan.count)
  const volume = new Array<HistogramData<UTCTimestamp>>(plan.count)
  for (let j = 0; j < plan.count; j++) {
    const a = plan.first + j * plan.step
    const c = bucketOf(s, a, Math.min(n, a + plan.step))
    const t = sec(c.timeMs)
    candles[j] = { time: t, open: c.open, high: c.high, low: c.low, close: c.close }
    volume[j] = { time: t, value: c.volume, color: c.close >= c.open ? up : down }
  }
  return { candles, volume }
}

/**
 * A resolved CSS colour ("rgb(31, 138, 76)", "rgba(…)", "#1f8a4c") with another opacity, for the
 * volume bars (they sit under the candles' colours without competing with them). A colour it
 * cannot read comes back as it was.
 */
export function withAlpha(css: string, alpha: number): string {
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(css.trim())
  if (rgb !== null) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`
  const hex = /^#([0-9a-f]{6})$/i.exec(css.trim())
  if (hex !== null) {
    const n = parseInt(hex[1]!, 16)
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
  }
  return css
}

export interface BarReadout extends CandleRow {
  readonly index: number
  /** Close against the previous bar's close (against its own open for the first bar). */
  readonly change: number
}

/**
 * What the legend shows: the hovered candle (a logical index of the plan, clamped) or else the
 * last, as drawn (a merged candle when the plan merges); null when empty. `index` is its first bar.
 */
export function readout(s: CandleSeries, hovered: number | null, plan: WindowPlan = wholeSeries(s)): BarReadout | null {
  const n = s.time.length
  if (n === 0 || plan.count === 0) return null
  const j = hovered === null || !Number.isFinite(hovered) ? null : Math.max(0, Math.min(plan.count - 1, Math.round(hovered)))
  // Off the chart: the last candle of the data, whatever the window.
  const a = j === null ? Math.max(0, n - 1 - ((n - 1 - plan.first) % plan.step)) : plan.first + j * plan.step
  const c = bucketOf(s, a, Math.min(n, a + plan.step))
  const ref = a > 0 ? s.close[a - 1]! : c.open
  return { ...c, index: a, change: ref > 0 ? c.close / ref - 1 : 0 }
}
