// Bollinger bands reproducing TA-Lib 0.6 ta_BBANDS.c with MAType SMA (TA-Lib's default).
import { checkPeriod, checkReal, nanArray, taIsZeroOrNeg } from './common.ts'

export interface BbandsResult {
  upper: Float64Array
  middle: Float64Array
  lower: Float64Array
}

/** TA_BBANDS_Lookback with SMA: n − 1. */
export function bbandsLookback(n: number): number {
  checkPeriod('bbandsLookback', 'n', n, 2)
  return n - 1
}

/**
 * Bollinger bands (TA_BBANDS, MAType SMA), n in [2, 100000]; first valid index n − 1.
 * middle = SMA (INT_SMA arithmetic). The population standard deviation is computed as TA-Lib's
 * INT_stddev_using_precalc_ma: a running Σx² (add new square, subtract trailing square) and
 * variance = Σx²/n − middle²; flat-window rule: stddev = 0 when that variance < 1e-14
 * (TA_IS_ZERO_OR_NEG, absolute: also catches cancellation residue of a flat window).
 * upper = middle + stddev * kUp, lower = middle − stddev * kDown (TA-Lib's special cases for
 * k = 1 give identical bits, multiplying by 1 being exact).
 */
export function bbands(x: Float64Array, n: number, kUp: number, kDown: number): BbandsResult {
  checkPeriod('bbands', 'n', n, 2)
  checkReal('bbands', 'kUp', kUp)
  checkReal('bbands', 'kDown', kDown)
  const len = x.length
  const upper = nanArray(len)
  const middle = nanArray(len)
  const lower = nanArray(len)
  const lb = n - 1
  if (len <= lb) return { upper, middle, lower }
  let total = 0
  let total2 = 0
  for (let i = 0; i < lb; i++) {
    const v = x[i]!
    total += v
    total2 += v * v
  }
  let trailing = 0
  for (let i = lb; i < len; i++) {
    const v = x[i]!
    total += v
    const t = total
    const old = x[trailing++]!
    total -= old
    const mid = t / n
    total2 += v * v
    let variance = total2 / n
    total2 -= old * old
    variance -= mid * mid
    const sd = taIsZeroOrNeg(variance) ? 0 : Math.sqrt(variance)
    middle[i] = mid
    upper[i] = mid + sd * kUp
    lower[i] = mid - sd * kDown
  }
  return { upper, middle, lower }
}
