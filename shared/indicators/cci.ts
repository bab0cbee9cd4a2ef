// CCI reproducing TA-Lib 0.6 ta_CCI.c, including its circular-buffer summation order.
import { checkPeriod, checkSameLength, nanArray } from './common.ts'

/** TA_CCI_Lookback: n − 1. */
export function cciLookback(n: number): number {
  checkPeriod('cciLookback', 'n', n, 2)
  return n - 1
}

/**
 * Commodity channel index (TA_CCI), n in [2, 100000]; first valid index n − 1.
 * Typical price (h + l + c) / 3 is kept in a circular buffer; EVERY bar the mean and the mean
 * absolute deviation are recomputed over the buffer in storage order (slot 0..n−1, not time
 * order), as TA-Lib does: O(n·period), kept for bit-exactness.
 * CCI = (tp − mean) / (0.015 * (Σ|tp − mean| / n)); flat-window rule: 0 when tp − mean == 0
 * or the deviation sum == 0 (exact zero tests, no epsilon).
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  checkPeriod('cci', 'n', n, 2)
  const len = checkSameLength('cci', ['high', 'low', 'close'], [high, low, close])
  const out = nanArray(len)
  const lb = n - 1
  if (len <= lb) return out
  const buf = new Float64Array(n)
  let idx = 0
  for (let i = 0; i < lb; i++) {
    buf[idx] = (high[i]! + low[i]! + close[i]!) / 3
    idx = idx === lb ? 0 : idx + 1
  }
  for (let i = lb; i < len; i++) {
    const last = (high[i]! + low[i]! + close[i]!) / 3
    buf[idx] = last
    let avg = 0
    for (let j = 0; j < n; j++) avg += buf[j]!
    avg /= n
    let dev = 0
    for (let j = 0; j < n; j++) dev += Math.abs(buf[j]! - avg)
    const t = last - avg
    out[i] = t !== 0 && dev !== 0 ? t / (0.015 * (dev / n)) : 0
    idx = idx === lb ? 0 : idx + 1
  }
  return out
}
