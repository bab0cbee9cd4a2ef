import { describe, it, expect } from 'vitest'
import { cci, cciLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('cci', () => {
  it('matches a hand-worked example (h = l = c, so typical price = close)', () => {
    // n = 3, window 1,2,3: mean 2, mean |dev| = 2/3 → (3−2)/(0.015·2/3) = 100; same for 2,3,4.
    // Window 3,4,1: mean 8/3, devs 1/3,4/3,5/3 → mean dev 10/9 → (1−8/3)/(0.015·10/9) = −100.
    const x = f64(1, 2, 3, 4, 1)
    expectSeries(cci(x, x, x, 3), [null, null, 100, 100, (1 - 8 / 3) / (0.015 * (10 / 9))], 1e-12)
  })
  it('first valid index is cciLookback(n) = n − 1', () => {
    const s = randomOhlcv(10, 50)
    expect(cciLookback(14)).toBe(13)
    expect(firstValid(cci(s.high, s.low, s.close, 14))).toBe(13)
  })
  it('outputs 0 on a flat window and when the last price equals the mean', () => {
    const flat = f64(5, 5, 5, 5)
    expectSeries(cci(flat, flat, flat, 3), [null, null, 0, 0], 0)
    const x = f64(1, 3, 2)
    expectSeries(cci(x, x, x, 3), [null, null, 0], 0)
  })
  it('throws on input length mismatch and n < 2', () => {
    expect(() => cci(f64(1, 2, 3), f64(1, 2), f64(1, 2, 3), 2)).toThrow(/lengths differ/)
    expect(() => cci(f64(1), f64(1), f64(1), 1)).toThrow(RangeError)
  })
})
