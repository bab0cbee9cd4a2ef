// RSI reproducing TA-Lib 0.6 ta_RSI.c (classic Wilder, default compatibility, unstable period 0).
import { checkPeriod, nanArray, taIsZero } from './common.ts'

/** TA_RSI_Lookback: n (one bar more than the period, because RSI needs n price changes). */
export function rsiLookback(n: number): number {
  checkPeriod('rsiLookback', 'n', n, 2)
  return n
}

/**
 * Relative strength index (TA_RSI), n in [2, 100000]; first valid index n.
 * Seed: gains and losses of the first n changes summed in order, each divided by n.
 * Then Wilder: `avg = (avg * (n − 1) + change) / n` as three steps (*=, +=/-=, /=), as in TA-Lib.
 * Output `100 * (gain / (gain + loss))`; flat-window rule: 0 when gain + loss is TA_IS_ZERO
 * (|·| < 1e-14, an absolute epsilon, as TA-Lib 0.6.1+).
 */
export function rsi(x: Float64Array, n: number): Float64Array {
  checkPeriod('rsi', 'n', n, 2)
  const len = x.length
  const out = nanArray(len)
  if (len <= n) return out
  let prevValue = x[0]!
  let gain = 0
  let loss = 0
  for (let i = 1; i <= n; i++) {
    const v = x[i]!
    const d = v - prevValue
    prevValue = v
    if (d < 0) loss -= d
    else gain += d
  }
  loss /= n
  gain /= n
  let s = gain + loss
  out[n] = taIsZero(s) ? 0 : 100 * (gain / s)
  const m = n - 1
  for (let i = n + 1; i < len; i++) {
    const v = x[i]!
    const d = v - prevValue
    prevValue = v
    loss *= m
    gain *= m
    if (d < 0) loss -= d
    else gain += d
    loss /= n
    gain /= n
    s = gain + loss
    out[i] = taIsZero(s) ? 0 : 100 * (gain / s)
  }
  return out
}
