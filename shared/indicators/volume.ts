// Volume indicators reproducing TA-Lib 0.6 ta_OBV.c and ta_MFI.c.
import { checkPeriod, checkSameLength, nanArray } from './common.ts'

/** TA_OBV_Lookback: 0. */
export function obvLookback(): number {
  return 0
}

/**
 * On-balance volume (TA_OBV); valid from index 0. Starts at volume[0] (not 0, as TA-Lib), then
 * adds the bar's volume on an up close, subtracts it on a down close, keeps it on an equal close.
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const len = checkSameLength('obv', ['close', 'volume'], [close, volume])
  const out = nanArray(len)
  if (len === 0) return out
  let prevObv = volume[0]!
  let prevClose = close[0]!
  for (let i = 0; i < len; i++) {
    const c = close[i]!
    if (c > prevClose) prevObv += volume[i]!
    else if (c < prevClose) prevObv -= volume[i]!
    out[i] = prevObv
    prevClose = c
  }
  return out
}

/** TA_MFI_Lookback: n. */
export function mfiLookback(n: number): number {
  checkPeriod('mfiLookback', 'n', n, 2)
  return n
}

/**
 * Money flow index (TA_MFI), n in [2, 100000]; first valid index n.
 * Typical price (h + l + c) / 3.0; raw flow = tp * volume, counted positive when tp rose, negative
 * when it fell, neither when equal. Sums over the last n flows are kept running (subtract the
 * slot leaving the window, add the new one). MFI = 100 * pos / (pos + neg); threshold rule as in
 * TA-Lib 0.6: 0 when pos + neg < 1.0 (a literal 1.0, so tiny volumes or prices read as 0).
 */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, n: number): Float64Array {
  checkPeriod('mfi', 'n', n, 2)
  const len = checkSameLength('mfi', ['high', 'low', 'close', 'volume'], [high, low, close, volume])
  const out = nanArray(len)
  if (len <= n) return out
  const pos = new Float64Array(n)
  const neg = new Float64Array(n)
  let idx = 0
  let posSum = 0
  let negSum = 0
  let prevTp = (high[0]! + low[0]! + close[0]!) / 3
  // One pass: the first n flows fill the ring; from bar n + 1 the slot leaving the window is
  // subtracted before the new flow is added (ta_MFI.c's two loops, same order of operations).
  for (let today = 1; today < len; today++) {
    if (today > n) {
      posSum -= pos[idx]!
      negSum -= neg[idx]!
    }
    let tp = (high[today]! + low[today]! + close[today]!) / 3
    const d = tp - prevTp
    prevTp = tp
    tp *= volume[today]!
    if (d < 0) {
      neg[idx] = tp
      negSum += tp
      pos[idx] = 0
    } else if (d > 0) {
      pos[idx] = tp
      posSum += tp
      neg[idx] = 0
    } else {
      pos[idx] = 0
      neg[idx] = 0
    }
    idx = idx === n - 1 ? 0 : idx + 1
    if (today >= n) {
      const s = posSum + negSum
      out[today] = s < 1 ? 0 : 100 * (posSum / s)
    }
  }
  return out
}
