// ROC and MOM reproducing TA-Lib 0.6 ta_ROC.c and ta_MOM.c.
import { checkPeriod, nanArray } from './common.ts'

/** TA_ROC_Lookback: n. */
export function rocLookback(n: number): number {
  checkPeriod('rocLookback', 'n', n, 1)
  return n
}

/**
 * Rate of change in percent (TA_ROC), n in [1, 100000]; first valid index n.
 * ROC = ((x[i] / x[i − n]) − 1) * 100; zero rule: 0 when x[i − n] is exactly 0.
 */
export function roc(x: Float64Array, n: number): Float64Array {
  checkPeriod('roc', 'n', n, 1)
  const len = x.length
  const out = nanArray(len)
  for (let i = n; i < len; i++) {
    const prev = x[i - n]!
    out[i] = prev !== 0 ? (x[i]! / prev - 1) * 100 : 0
  }
  return out
}

/** TA_MOM_Lookback: n. */
export function momLookback(n: number): number {
  checkPeriod('momLookback', 'n', n, 1)
  return n
}

/** Momentum (TA_MOM), n in [1, 100000]; first valid index n; MOM = x[i] − x[i − n]. */
export function mom(x: Float64Array, n: number): Float64Array {
  checkPeriod('mom', 'n', n, 1)
  const len = x.length
  const out = nanArray(len)
  for (let i = n; i < len; i++) out[i] = x[i]! - x[i - n]!
  return out
}
