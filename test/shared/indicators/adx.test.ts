import { describe, it, expect } from 'vitest'
import { adx, adxLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('adx', () => {
  it('matches a hand-worked example (n = 2, lookback 3)', () => {
    // Bars (h,l,c): (10,8,9) (12,9,11) (13,11,12) (12,9,10) (14,12,13)
    // Seed bar 1: +DM 2, TR 3.
    // Bar 2: +DM1 1 → +DM = 2 − 1 + 1 = 2, −DM 0; TR = 3 − 1.5 + 2 = 3.5 → DX = 100.
    // Bar 3: −DM1 2 → −DM = 2, +DM = 1; TR = 3.5 − 1.75 + 3 = 4.75;
    //   −DI = 42.105…, +DI = 21.052… → DX = 33.33…; ADX = (100 + 33.33…)/2 = 66.66…
    // Bar 4: +DM1 2 → +DM = 0.5 + 2 = 2.5, −DM = 1; TR = 2.375 + 4 = 6.375;
    //   DX = 100·|1 − 2.5|/3.5 = 42.857…; ADX = (66.66…·1 + 42.857…)/2 = 54.7619…
    const h = f64(10, 12, 13, 12, 14)
    const l = f64(8, 9, 11, 9, 12)
    const c = f64(9, 11, 12, 10, 13)
    const dx3 = (100 * Math.abs(200 / 4.75 - 100 / 4.75)) / (300 / 4.75)
    const adx3 = (100 + dx3) / 2
    const dx4 = (100 * 1.5) / 3.5
    expectSeries(adx(h, l, c, 2), [null, null, null, adx3, (adx3 + dx4) / 2], 1e-12)
    expect(adx3).toBeCloseTo(66.6666667, 6)
  })
  it('first valid index is adxLookback(n) = 2n − 1', () => {
    const s = randomOhlcv(14, 100)
    for (const n of [2, 5, 14]) {
      expect(adxLookback(n)).toBe(2 * n - 1)
      expect(firstValid(adx(s.high, s.low, s.close, n))).toBe(2 * n - 1)
    }
  })
  it('is 0 on flat bars (no true range: TA-Lib skips the DX) and keeps its value afterwards', () => {
    const f = f64(5, 5, 5, 5, 5, 5)
    expectSeries(adx(f, f, f, 2), [null, null, null, 0, 0, 0], 0)
  })
  it('rejects n < 2', () => {
    expect(() => adx(f64(1), f64(1), f64(1), 1)).toThrow(RangeError)
  })

  it('a NaN bar poisons every later ADX (TA-Lib propagates it through the Wilder sums)', () => {
    const n = 40
    const high = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i) * 3 + i * 0.1)
    const low = high.map((h) => h - 2)
    const close = high.map((h) => h - 1)
    const clean = adx(high, low, close, 5)
    high[6] = NaN
    const out = adx(high, low, close, 5)
    for (let i = 0; i < n; i++) expect(Number.isNaN(out[i]!)).toBe(true)
    expect(Number.isNaN(clean[adxLookback(5)]!)).toBe(false)
  })
})
