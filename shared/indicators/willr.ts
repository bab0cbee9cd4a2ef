// Williams %R reproducing TA-Lib 0.6 ta_WILLR.c.
import { checkPeriod, checkSameLength, nanArray } from './common.ts'
import { WindowExtremes } from './window-extremes.ts'

/** TA_WILLR_Lookback: n − 1. */
export function willrLookback(n: number): number {
  checkPeriod('willrLookback', 'n', n, 2)
  return n - 1
}

/**
 * Williams %R (TA_WILLR), n in [2, 100000]; first valid index n − 1; values in [−100, 0].
 * Highest high / lowest low tracked by index and rescanned only when the extreme leaves the
 * window (TA-Lib's algorithm; amortised O(1), O(n) worst case on monotone series).
 * %R = (highest − close) / ((highest − lowest) / −100); flat-window rule: 0 when the divisor is
 * exactly 0.
 */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  checkPeriod('willr', 'n', n, 2)
  const len = checkSameLength('willr', ['high', 'low', 'close'], [high, low, close])
  const out = nanArray(len)
  const lb = n - 1
  const w = new WindowExtremes()
  for (let today = lb; today < len; today++) {
    w.update(high, low, today, today - lb)
    // TA-Lib recomputes the divisor whenever an extreme moves; that always equals this.
    const diff = (w.highest - w.lowest) / -100
    out[today] = diff !== 0 ? (w.highest - close[today]!) / diff : 0
  }
  return out
}
