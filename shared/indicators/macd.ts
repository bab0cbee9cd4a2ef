// MACD reproducing TA-Lib 0.6 TA_MACD / INT_MACD with default compatibility.
import { checkPeriod, nanArray } from './common.ts'

export interface MacdResult {
  macd: Float64Array
  signal: Float64Array
  hist: Float64Array
}

/** Validated, TA-Lib-normalised MACD parameters (slow >= fast after TA-Lib's swap). */
export interface MacdParams {
  fast: number
  slow: number
  signal: number
}

/**
 * Checks periods and applies TA-Lib's swap (if slow < fast they are exchanged).
 * fast, slow in [2, 100000]. signal in [2, 100000]: TA-Lib declares 1 as allowed, but 0.6's
 * EMA lookback rejects 1 (returns −1), so TA_MACD with signal 1 misaligns its output; we refuse it.
 */
export function normaliseMacd(fn: string, fast: number, slow: number, signal: number): MacdParams {
  checkPeriod(fn, 'fast', fast, 2)
  checkPeriod(fn, 'slow', slow, 2)
  checkPeriod(fn, 'signal', signal, 2)
  return slow < fast ? { fast: slow, slow: fast, signal } : { fast, slow, signal }
}

/** TA_MACD_Lookback: (max(fast, slow) − 1) + (signal − 1). */
export function macdLookback(fast: number, slow: number, signal: number): number {
  const p = normaliseMacd('macdLookback', fast, slow, signal)
  return p.slow - 1 + (p.signal - 1)
}

/**
 * MACD (TA_MACD) → { macd, signal, hist }, all three first valid at slow + signal − 2.
 * As INT_MACD: both price EMAs are seeded with an SMA whose window ENDS on bar slow − 1 (the
 * fast EMA does not start at bar 0: its seed is the mean of x[slow−fast .. slow−1]); the signal
 * EMA is seeded with the mean of the first `signal` MACD values; EMA steps are
 * ((x − prev) * k) + prev with k = 2 / (period + 1); hist = macd − signal.
 * Before slow + signal − 2 all three are NaN (TA-Lib does not output the early MACD line).
 */
export function macd(x: Float64Array, fast: number, slow: number, signal: number): MacdResult {
  const p = normaliseMacd('macd', fast, slow, signal)
  const len = x.length
  const outMacd = nanArray(len)
  const outSignal = nanArray(len)
  const outHist = nanArray(len)
  const lookback = p.slow - 1 + (p.signal - 1)
  if (len <= lookback) return { macd: outMacd, signal: outSignal, hist: outHist }
  const kFast = 2 / (p.fast + 1)
  const kSlow = 2 / (p.slow + 1)
  const kSignal = 2 / (p.signal + 1)
  // Seed sums in input order from 0.0, exactly as each INT_EMA call does.
  let slowSum = 0
  let fastSum = 0
  const fastStart = p.slow - p.fast
  for (let i = 0; i < p.slow; i++) {
    const v = x[i]!
    slowSum += v
    if (i >= fastStart) fastSum += v
  }
  let prevSlow = slowSum / p.slow
  let prevFast = fastSum / p.fast
  let m = prevFast - prevSlow
  let sigSum = 0
  sigSum += m
  let i = p.slow
  for (let j = 1; j < p.signal; j++, i++) {
    const v = x[i]!
    prevFast = (v - prevFast) * kFast + prevFast
    prevSlow = (v - prevSlow) * kSlow + prevSlow
    m = prevFast - prevSlow
    sigSum += m
  }
  let prevSignal = sigSum / p.signal
  outMacd[lookback] = m
  outSignal[lookback] = prevSignal
  outHist[lookback] = m - prevSignal
  for (; i < len; i++) {
    const v = x[i]!
    prevFast = (v - prevFast) * kFast + prevFast
    prevSlow = (v - prevSlow) * kSlow + prevSlow
    m = prevFast - prevSlow
    prevSignal = (m - prevSignal) * kSignal + prevSignal
    outMacd[i] = m
    outSignal[i] = prevSignal
    outHist[i] = m - prevSignal
  }
  return { macd: outMacd, signal: outSignal, hist: outHist }
}
