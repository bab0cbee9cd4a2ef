import { describe, it, expect } from 'vitest'
import { bbands, bbandsLookback, sma } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('bbands', () => {
  it('uses the population standard deviation (hand-worked)', () => {
    // Window 1,2,3: mean 2, variance (1+4+9)/3 − 4 = 2/3, sd √(2/3) = 0.81649…
    const sd = Math.sqrt(14 / 3 - 4)
    const r = bbands(f64(1, 2, 3), 3, 2, 2)
    expectSeries(r.middle, [null, null, 2])
    expectSeries(r.upper, [null, null, 2 + 2 * sd], 1e-12)
    expectSeries(r.lower, [null, null, 2 - 2 * sd], 1e-12)
    expect(r.upper[2]).toBeCloseTo(3.632993162, 8)
  })
  it('applies kUp above and kDown below independently', () => {
    const r = bbands(f64(1, 2, 3), 3, 1, 3)
    const sd = Math.sqrt(14 / 3 - 4)
    expectSeries(r.upper, [null, null, 2 + sd], 1e-12)
    expectSeries(r.lower, [null, null, 2 - 3 * sd], 1e-12)
  })
  it('collapses to the middle band on a flat window (stddev 0)', () => {
    const r = bbands(f64(4, 4, 4, 4), 2, 2, 2)
    expectSeries(r.upper, [null, 4, 4, 4], 0)
    expectSeries(r.lower, [null, 4, 4, 4], 0)
  })
  it('treats a variance below TA_EPSILON (1e-14, absolute) as zero, as TA-Lib does', () => {
    // 1e-8, 2e-8, 3e-8: variance 6.7e-17 < 1e-14 → sd 0; scaled by 100: 6.7e-13 → sd > 0.
    const tiny = bbands(f64(1e-8, 2e-8, 3e-8), 3, 2, 2)
    expect(tiny.upper[2]).toBe(tiny.middle[2])
    const small = bbands(f64(1e-6, 2e-6, 3e-6), 3, 2, 2)
    expect(small.upper[2]!).toBeGreaterThan(small.middle[2]!)
  })
  it('middle equals sma and first valid index is n − 1', () => {
    const x = randomOhlcv(12, 80).close
    const r = bbands(x, 20, 2, 2)
    expect(bbandsLookback(20)).toBe(19)
    expect(firstValid(r.upper)).toBe(19)
    expectSeries(r.middle, Array.from(sma(x, 20)), 0)
  })
  it('rejects n < 2 and non-finite multipliers', () => {
    expect(() => bbands(f64(1, 2), 1, 2, 2)).toThrow(RangeError)
    expect(() => bbands(f64(1, 2), 2, Number.POSITIVE_INFINITY, 2)).toThrow(/kUp/)
  })
})
