import { describe, it, expect } from 'vitest'
import { stoch, stochLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

// Bars (h, l, c): (10,8,9) (11,9,10) (12,10,11) (12,11,11.5) (13,12,12.5)
const high = f64(10, 11, 12, 12, 13)
const low = f64(8, 9, 10, 11, 12)
const close = f64(9, 10, 11, 11.5, 12.5)

describe('stoch', () => {
  it('fast-K over 3 bars, unsmoothed (slowK = slowD = 1)', () => {
    // bar 2: (11−8)/((12−8)/100) = 75; bar 3: (11.5−9)/((12−9)/100) = 83.33…; bar 4: (12.5−10)/(3/100)
    const r = stoch(high, low, close, 3, 1, 1)
    expectSeries(r.k, [null, null, 75, 250 / 3, 250 / 3], 1e-12)
    expectSeries(r.d, [null, null, 75, 250 / 3, 250 / 3], 1e-12)
  })
  it('slow-K = SMA(fast-K), slow-D = SMA(slow-K); both start at the full lookback', () => {
    // fast-K 75, 83.33, 83.33 → slow-K(2) at bar 3 = 79.1666…, bar 4 = 83.33…; slow-D(2) at bar 4 = 81.25.
    // TA-Lib does not output slow-K at bar 3 because slow-D is not ready there.
    const r = stoch(high, low, close, 3, 2, 2)
    expect(stochLookback(3, 2, 2)).toBe(4)
    expectSeries(r.k, [null, null, null, null, 250 / 3], 1e-12)
    expectSeries(r.d, [null, null, null, null, 81.25], 1e-12)
  })
  it('outputs 0 when the high-low range is 0', () => {
    const f = f64(5, 5, 5, 5)
    expectSeries(stoch(f, f, f, 2, 1, 1).k, [null, 0, 0, 0], 0)
  })
  it('first valid index is (fastK−1)+(slowK−1)+(slowD−1) and values lie in [0, 100]', () => {
    const s = randomOhlcv(13, 200)
    const r = stoch(s.high, s.low, s.close, 14, 3, 3)
    expect(firstValid(r.k)).toBe(17)
    expect(firstValid(r.d)).toBe(17)
    for (let i = 17; i < 200; i++) {
      expect(r.k[i]!).toBeGreaterThanOrEqual(0)
      expect(r.k[i]!).toBeLessThanOrEqual(100 + 1e-9)
    }
  })
  it('rejects periods below 1 and mismatched lengths', () => {
    expect(() => stoch(high, low, close, 0, 3, 3)).toThrow(RangeError)
    expect(() => stoch(high, low, f64(1), 3, 3, 3)).toThrow(/lengths differ/)
  })
})
