// Engulfing candlestick pattern reproducing TA-Lib 0.6 ta_CDLENGULFING.c.
import { checkSameLength, nanArray } from './common.ts'

/** TA_CDLENGULFING_Lookback: 2 (TA-Lib reserves two prior bars although the rule reads one). */
export function engulfingLookback(): number {
  return 2
}

/**
 * The CDLENGULFING value of bar i against bar i − 1: +100/+80 bullish, −100/−80 bearish, 0 none.
 * Colour: white when close >= open (a doji counts as white), black otherwise.
 * Bullish: white i after black i−1 with (close_i >= open_{i−1} and open_i < close_{i−1}) or
 * (close_i > open_{i−1} and open_i <= close_{i−1}); bearish mirrors it. The value is ±100 when
 * both body ends differ (open_i != close_{i−1} and close_i != open_{i−1}), else ±80 (bodies match
 * on one end, Morris's variant).
 */
export function engulfingAt(o1: number, c1: number, o: number, c: number): number {
  const color = c >= o ? 1 : -1
  const color1 = c1 >= o1 ? 1 : -1
  const bullish = color === 1 && color1 === -1 && ((c >= o1 && o < c1) || (c > o1 && o <= c1))
  const bearish = color === -1 && color1 === 1 && ((o >= c1 && c < o1) || (o > c1 && c <= o1))
  if (!bullish && !bearish) return 0
  return o !== c1 && c !== o1 ? color * 100 : color * 80
}

/**
 * Engulfing pattern (TA_CDLENGULFING); first valid index 2 (TA-Lib's lookback), values
 * ±100 / ±80 / 0. `high` and `low` are accepted for TA-Lib's signature and length-checked only.
 */
export function engulfing(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const len = checkSameLength('engulfing', ['open', 'high', 'low', 'close'], [open, high, low, close])
  const out = nanArray(len)
  for (let i = 2; i < len; i++) out[i] = engulfingAt(open[i - 1]!, close[i - 1]!, open[i]!, close[i]!)
  return out
}
