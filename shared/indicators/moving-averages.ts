// SMA, EMA and WMA reproducing TA-Lib 0.6 (ta_SMA.c INT_SMA, ta_EMA.c INT_EMA, ta_WMA.c)
// operation for operation, so results are bit-identical for finite inputs.
// NaN inputs are not special-cased (as in TA-Lib): a NaN enters the running sums and propagates.
import { checkPeriod, nanArray } from './common.ts'

/** TA_SMA_Lookback: n − 1. */
export function smaLookback(n: number): number {
  checkPeriod('smaLookback', 'n', n, 2)
  return n - 1
}

/**
 * Simple moving average (TA_SMA), n in [2, 100000]; first valid index n − 1.
 * Arithmetic as INT_SMA: a running periodTotal (sum of the first n − 1 values, then per bar
 * `total += x[i]; out = total / n; total -= x[i − n + 1]`), never re-summing the window.
 */
export function sma(x: Float64Array, n: number): Float64Array {
  checkPeriod('sma', 'n', n, 2)
  const len = x.length
  const out = nanArray(len)
  const lb = n - 1
  if (len <= lb) return out
  let total = 0
  for (let i = 0; i < lb; i++) total += x[i]!
  let trailing = 0
  for (let i = lb; i < len; i++) {
    total += x[i]!
    const t = total
    total -= x[trailing++]!
    out[i] = t / n
  }
  return out
}

/** TA_EMA_Lookback: n − 1 (unstable period 0, the TA-Lib default). */
export function emaLookback(n: number): number {
  checkPeriod('emaLookback', 'n', n, 2)
  return n - 1
}

/**
 * Exponential moving average (TA_EMA), n in [2, 100000]; first valid index n − 1.
 * k = 2 / (n + 1). Seed (default compatibility): sum of x[0..n−1] accumulated from 0 in order,
 * divided by n, written at index n − 1; then `ema = ((x − ema) * k) + ema`.
 */
export function ema(x: Float64Array, n: number): Float64Array {
  checkPeriod('ema', 'n', n, 2)
  const len = x.length
  const out = nanArray(len)
  if (len < n) return out
  const k = 2 / (n + 1)
  let sum = 0
  for (let i = 0; i < n; i++) sum += x[i]!
  let prev = sum / n
  out[n - 1] = prev
  for (let i = n; i < len; i++) {
    prev = (x[i]! - prev) * k + prev
    out[i] = prev
  }
  return out
}

/** TA_WMA_Lookback: n − 1. */
export function wmaLookback(n: number): number {
  checkPeriod('wmaLookback', 'n', n, 2)
  return n - 1
}

/**
 * Linearly weighted moving average (TA_WMA), n in [2, 100000]; first valid index n − 1.
 * Weights 1..n (newest = n), divider n(n+1)/2. Arithmetic as TA-Lib: a running periodSum
 * (Σ w·x) and periodSub (Σ x) updated by add-new / subtract-trailing, not re-weighted per bar.
 * (TA-Lib computes the divider in 32-bit int, which overflows for n > 46340; we do not.)
 */
export function wma(x: Float64Array, n: number): Float64Array {
  checkPeriod('wma', 'n', n, 2)
  const len = x.length
  const out = nanArray(len)
  const lb = n - 1
  if (len <= lb) return out
  const divider = (n * (n + 1)) / 2
  let periodSub = 0
  let periodSum = 0
  for (let i = 0; i < lb; i++) {
    const v = x[i]!
    periodSub += v
    periodSum += v * (i + 1)
  }
  let trailingValue = 0
  let trailing = 0
  for (let i = lb; i < len; i++) {
    const v = x[i]!
    periodSub += v
    periodSub -= trailingValue
    periodSum += v * n
    trailingValue = x[trailing++]!
    out[i] = periodSum / divider
    periodSum -= periodSub
  }
  return out
}
