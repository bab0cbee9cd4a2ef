// The data cell's chart data, built from the stored columns without the chart library (so it is
// testable and the library stays a lazy import): one candle and one volume bar per stored bar, in
// one pass each. Every bar is a point, so the chart's logical index is the bar's index in the
// columns (the legend reads the hovered bar straight from them).
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts'
import type { CandleRow, CandleSeries } from '../../../../shared/candles/index.ts'

const sec = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp

export function candleData(s: CandleSeries): CandlestickData<UTCTimestamp>[] {
  const { time, open, high, low, close } = s
  const out = new Array<CandlestickData<UTCTimestamp>>(time.length)
  for (let i = 0; i < time.length; i++) out[i] = { time: sec(time[i]!), open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]! }
  return out
}

/** Volume bars coloured like their candle: `up` when the bar closed at or above its open. */
export function volumeData(s: CandleSeries, up: string, down: string): HistogramData<UTCTimestamp>[] {
  const { time, open, close, volume } = s
  const out = new Array<HistogramData<UTCTimestamp>>(time.length)
  for (let i = 0; i < time.length; i++) out[i] = { time: sec(time[i]!), value: volume[i]!, color: close[i]! >= open[i]! ? up : down }
  return out
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

/** The bar the legend shows: the hovered one (a logical index, clamped), else the last; null when empty. */
export function readout(s: CandleSeries, hovered: number | null): BarReadout | null {
  const n = s.time.length
  if (n === 0) return null
  const i = hovered === null || !Number.isFinite(hovered) ? n - 1 : Math.max(0, Math.min(n - 1, Math.round(hovered)))
  const ref = i > 0 ? s.close[i - 1]! : s.open[i]!
  const close = s.close[i]!
  return {
    index: i,
    timeMs: s.time[i]!,
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close,
    volume: s.volume[i]!,
    change: ref > 0 ? close / ref - 1 : 0,
  }
}
