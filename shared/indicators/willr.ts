// Williams %R reproducing TA-Lib 0.6 ta_WILLR.c.
import { checkPeriod, checkSameLength, nanArray } from './common.ts'

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
  let lowestIdx = -1
  let highestIdx = -1
  let lowest = 0
  let highest = 0
  let diff = 0
  for (let today = lb; today < len; today++) {
    const trailing = today - lb
    let tmp = low[today]!
    if (lowestIdx < trailing) {
      lowestIdx = trailing
      lowest = low[lowestIdx]!
      for (let i = lowestIdx + 1; i <= today; i++) {
        tmp = low[i]!
        if (tmp < lowest) {
          lowestIdx = i
          lowest = tmp
        }
      }
      diff = (highest - lowest) / -100
    } else if (tmp <= lowest) {
      lowestIdx = today
      lowest = tmp
      diff = (highest - lowest) / -100
    }
    tmp = high[today]!
    if (highestIdx < trailing) {
      highestIdx = trailing
      highest = high[highestIdx]!
      for (let i = highestIdx + 1; i <= today; i++) {
        tmp = high[i]!
        if (tmp > highest) {
          highestIdx = i
          highest = tmp
        }
      }
      diff = (highest - lowest) / -100
    } else if (tmp >= highest) {
      highestIdx = today
      highest = tmp
      diff = (highest - lowest) / -100
    }
    out[today] = diff !== 0 ? (highest - close[today]!) / diff : 0
  }
  return out
}
