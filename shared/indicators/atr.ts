// True range and ATR reproducing TA-Lib 0.6 ta_TRANGE.c and ta_ATR.c (unstable period 0).
import { checkPeriod, checkSameLength, nanArray } from './common.ts'

/**
 * One bar's true range as TA-Lib evaluates it: start from h − l, then take |prevClose − h| and
 * |prevClose − l| only when strictly greater (so a NaN candidate is skipped, a NaN h − l stays).
 */
export function trueRange(h: number, l: number, prevClose: number): number {
  let greatest = h - l
  const v2 = Math.abs(prevClose - h)
  if (v2 > greatest) greatest = v2
  const v3 = Math.abs(prevClose - l)
  if (v3 > greatest) greatest = v3
  return greatest
}

/** TA_TRANGE_Lookback: 1. */
export function trangeLookback(): number {
  return 1
}

/** True range (TA_TRANGE); first valid index 1 (needs the previous close). */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const len = checkSameLength('trange', ['high', 'low', 'close'], [high, low, close])
  const out = nanArray(len)
  for (let i = 1; i < len; i++) out[i] = trueRange(high[i]!, low[i]!, close[i - 1]!)
  return out
}

/** TA_ATR_Lookback: n (1 bar for the first true range + n − 1 for the seed average). */
export function atrLookback(n: number): number {
  checkPeriod('atrLookback', 'n', n, 1)
  return n
}

/**
 * Average true range (TA_ATR), n in [1, 100000]; first valid index n.
 * n = 1 is TRANGE itself. Otherwise the seed is the SMA of the true ranges of bars 1..n (summed
 * in order, / n), then Wilder: `atr *= n − 1; atr += tr; atr /= n` (three steps, as in TA-Lib).
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  checkPeriod('atr', 'n', n, 1)
  const len = checkSameLength('atr', ['high', 'low', 'close'], [high, low, close])
  if (n === 1) return trange(high, low, close)
  const out = nanArray(len)
  if (len <= n) return out
  let sum = 0
  for (let i = 1; i <= n; i++) sum += trueRange(high[i]!, low[i]!, close[i - 1]!)
  let prev = sum / n
  out[n] = prev
  const m = n - 1
  for (let i = n + 1; i < len; i++) {
    prev *= m
    prev += trueRange(high[i]!, low[i]!, close[i - 1]!)
    prev /= n
    out[i] = prev
  }
  return out
}
