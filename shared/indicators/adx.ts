// ADX reproducing TA-Lib 0.6 ta_ADX.c (Wilder sums of +DM, −DM and TR; unstable period 0).
import { checkPeriod, checkSameLength, nanArray, taIsZero } from './common.ts'

/** TA_ADX_Lookback: 2n − 1. */
export function adxLookback(n: number): number {
  checkPeriod('adxLookback', 'n', n, 2)
  return 2 * n - 1
}

/**
 * Average directional index (TA_ADX), n in [2, 100000]; first valid index 2n − 1.
 * One-bar DM: diffP = h − prevH, diffM = prevL − l; −DM = diffM if diffM > 0 and diffP < diffM,
 * else +DM = diffP if diffP > 0 and diffP > diffM (ties give neither). +DM, −DM and TR are first
 * summed over n − 1 bars, then Wilder-updated `s = s − s / n + today` for n more bars, each giving
 * DX = 100 * |−DI − +DI| / (−DI + +DI) with DI = 100 * DM / TR; first ADX = ΣDX / n, then
 * ADX = (ADX * (n − 1) + DX) / n. Zero rules (TA_IS_ZERO, |·| < 1e-14): a bar whose TR sum or
 * DI sum is zero contributes nothing to ΣDX during the seed and leaves ADX unchanged afterwards.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  checkPeriod('adx', 'n', n, 2)
  const len = checkSameLength('adx', ['high', 'low', 'close'], [high, low, close])
  const out = nanArray(len)
  const lookback = 2 * n - 1
  if (len <= lookback) return out
  let minusDM = 0
  let plusDM = 0
  let tr = 0
  let prevHigh = high[0]!
  let prevLow = low[0]!
  let prevClose = close[0]!
  let sumDX = 0
  let prevADX = 0
  const m = n - 1
  // One pass with ta_ADX.c's three phases: bars 1..n−1 only sum DM and TR; from bar n the sums
  // decay Wilder-style and each bar yields a DX, summed up to bar 2n−1 (the first ADX = ΣDX / n)
  // and smoothed into the ADX afterwards. Same operations in the same order as TA-Lib's loops.
  for (let today = 1; today < len; today++) {
    let t = high[today]!
    const diffP = t - prevHigh
    prevHigh = t
    t = low[today]!
    const diffM = prevLow - t
    prevLow = t
    const seeding = today < n
    if (!seeding) {
      minusDM -= minusDM / n
      plusDM -= plusDM / n
    }
    if (diffM > 0 && diffP < diffM) minusDM += diffM
    else if (diffP > 0 && diffP > diffM) plusDM += diffP
    if (seeding) tr += adxTrueRange(prevHigh, prevLow, prevClose)
    else tr = tr - tr / n + adxTrueRange(prevHigh, prevLow, prevClose)
    prevClose = close[today]!
    if (seeding) continue
    // A zero TR or DI sum gives no DX (a NaN one, from NaN input, still counts, as in TA-Lib).
    let dx = 0
    let hasDX = false
    if (!taIsZero(tr)) {
      const minusDI = 100 * (minusDM / tr)
      const plusDI = 100 * (plusDM / tr)
      const s = minusDI + plusDI
      if (!taIsZero(s)) {
        dx = 100 * (Math.abs(minusDI - plusDI) / s)
        hasDX = true
      }
    }
    if (today <= lookback) {
      if (hasDX) sumDX += dx
      if (today === lookback) {
        prevADX = sumDX / n
        out[today] = prevADX
      }
    } else {
      if (hasDX) prevADX = (prevADX * m + dx) / n
      out[today] = prevADX
    }
  }
  return out
}

/** ta_ADX.c's TRUE_RANGE macro: h − l, then |h − yc| and |l − yc| when strictly greater. */
function adxTrueRange(h: number, l: number, yc: number): number {
  let out = h - l
  let t = Math.abs(h - yc)
  if (t > out) out = t
  t = Math.abs(l - yc)
  if (t > out) out = t
  return out
}
