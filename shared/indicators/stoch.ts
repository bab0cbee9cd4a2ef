// Slow stochastic reproducing TA-Lib 0.6 ta_STOCH.c with SMA for both smoothings.
import { checkPeriod, checkSameLength, nanArray } from './common.ts'
import { WindowExtremes } from './window-extremes.ts'

export interface StochResult {
  k: Float64Array
  d: Float64Array
}

/** TA_STOCH_Lookback with SMA smoothings: (fastK − 1) + (slowK − 1) + (slowD − 1). */
export function stochLookback(fastK: number, slowK: number, slowD: number): number {
  checkPeriod('stochLookback', 'fastK', fastK, 1)
  checkPeriod('stochLookback', 'slowK', slowK, 1)
  checkPeriod('stochLookback', 'slowD', slowD, 1)
  return fastK - 1 + (slowK - 1) + (slowD - 1)
}

/**
 * Stochastic (TA_STOCH, slowK and slowD MAType SMA), all periods in [1, 100000]; k and d are both
 * first valid at (fastK − 1) + (slowK − 1) + (slowD − 1) (TA-Lib outputs slow-K only where
 * slow-D exists). Fast-K as TA-Lib: highest/lowest tracked by index and rescanned only when the
 * extreme leaves the window; fastK = (close − lowest) / ((highest − lowest) / 100), flat-window
 * rule: 0 when that divisor is exactly 0. Smoothing: INT_SMA running sums (a period of 1 copies).
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastK: number,
  slowK: number,
  slowD: number,
): StochResult {
  checkPeriod('stoch', 'fastK', fastK, 1)
  checkPeriod('stoch', 'slowK', slowK, 1)
  checkPeriod('stoch', 'slowD', slowD, 1)
  const lookback = fastK - 1 + (slowK - 1) + (slowD - 1)
  const len = checkSameLength('stoch', ['high', 'low', 'close'], [high, low, close])
  const outK = nanArray(len)
  const outD = nanArray(len)
  if (len <= lookback) return { k: outK, d: outD }
  const kRing = new Float64Array(slowK)
  const dRing = new Float64Array(slowD)
  let kTotal = 0
  let dTotal = 0
  let kCount = 0
  let dCount = 0
  const w = new WindowExtremes()
  const lbK = fastK - 1
  for (let today = lbK; today < len; today++) {
    w.update(high, low, today, today - lbK)
    // TA-Lib recomputes the divisor whenever an extreme moves; that always equals this.
    const diff = (w.highest - w.lowest) / 100
    const fk = diff !== 0 ? (close[today]! - w.lowest) / diff : 0
    // Slow-K = SMA(fast-K, slowK) with INT_SMA's add / divide / subtract-trailing order.
    let sk: number
    if (slowK === 1) sk = fk
    else {
      kTotal += fk
      kRing[kCount % slowK] = fk
      kCount++
      if (kCount < slowK) continue
      sk = kTotal / slowK
      kTotal -= kRing[kCount % slowK]! // the value slowK − 1 places back: the window's oldest
    }
    let sd: number
    if (slowD === 1) sd = sk
    else {
      dTotal += sk
      dRing[dCount % slowD] = sk
      dCount++
      if (dCount < slowD) continue
      sd = dTotal / slowD
      dTotal -= dRing[dCount % slowD]!
    }
    outK[today] = sk
    outD[today] = sd
  }
  return { k: outK, d: outD }
}
