import { describe, it, expect } from 'vitest'
import { willr, willrLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('willr', () => {
  it('matches a hand-worked example', () => {
    // n = 3, bars (10,8,9) (11,9,10) (12,10,11): (12 − 11)/((12 − 8)/−100) = −25.
    // Next bar (12,11,9): window highs 11,12,12 lows 9,10,11 → (12 − 9)/((12 − 9)/−100) = −100.
    expectSeries(willr(f64(10, 11, 12, 12), f64(8, 9, 10, 11), f64(9, 10, 11, 9), 3), [null, null, -25, -100], 0)
  })
  it('outputs 0 when the range is 0', () => {
    const f = f64(3, 3, 3)
    expectSeries(willr(f, f, f, 2), [null, 0, 0], 0)
  })
  it('first valid index is n − 1 and values lie in [−100, 0], also after the extreme leaves the window', () => {
    const s = randomOhlcv(16, 300)
    const out = willr(s.high, s.low, s.close, 14)
    expect(willrLookback(14)).toBe(13)
    expect(firstValid(out)).toBe(13)
    for (let i = 13; i < 300; i++) {
      expect(out[i]!).toBeLessThanOrEqual(0)
      expect(out[i]!).toBeGreaterThanOrEqual(-100 - 1e-9)
    }
  })
  it('rejects n < 2 and mismatched lengths', () => {
    expect(() => willr(f64(1), f64(1), f64(1), 1)).toThrow(RangeError)
    expect(() => willr(f64(1, 2), f64(1), f64(1, 2), 2)).toThrow(/lengths differ/)
  })
})
