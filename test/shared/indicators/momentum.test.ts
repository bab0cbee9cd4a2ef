import { describe, it, expect } from 'vitest'
import { roc, rocLookback, mom, momLookback } from '../../../shared/indicators/index.ts'
import { f64, expectSeries } from './helpers.ts'

describe('roc', () => {
  it('is ((x / x[−n]) − 1) · 100, and 0 when the earlier value is 0', () => {
    // 11/10 → +10 %; 0/11 → −100 %; 12/0 → 0 by TA-Lib's rule
    expectSeries(roc(f64(10, 11, 0, 12), 1), [null, 10, -100, 0], 1e-12)
    expect(rocLookback(10)).toBe(10)
  })
  it('accepts n = 1 and rejects n = 0', () => {
    expect(() => roc(f64(1, 2), 0)).toThrow(RangeError)
  })
})

describe('mom', () => {
  it('is x − x[−n] with first valid index n', () => {
    expectSeries(mom(f64(10, 11, 0, 12), 2), [null, null, -10, 1], 0)
    expect(momLookback(2)).toBe(2)
    expect(() => mom(f64(1), 0)).toThrow(RangeError)
  })
})
