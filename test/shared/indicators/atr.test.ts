import { describe, it, expect } from 'vitest'
import { atr, atrLookback, trange, trangeLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

// Bars (h, l, c): (10,8,9) (11,9,10) (13,10,12) (12,11,11) and a gap up (20,19,19.5).
const high = f64(10, 11, 13, 12, 20)
const low = f64(8, 9, 10, 11, 19)
const close = f64(9, 10, 12, 11, 19.5)

describe('trange', () => {
  it('takes the largest of h−l, |h−prevC|, |l−prevC|', () => {
    // TR1 = max(2, 1, 1) = 2; TR2 = max(3, 3, 0) = 3; TR3 = max(1, 0, 1) = 1; TR4 = max(1, 9, 8) = 9
    expectSeries(trange(high, low, close), [null, 2, 3, 1, 9], 0)
    expect(trangeLookback()).toBe(1)
  })
})

describe('atr', () => {
  it('seeds with the mean of the first n true ranges, then Wilder smoothing', () => {
    // n = 2: (2+3)/2 = 2.5; (2.5·1+1)/2 = 1.75; (1.75·1+9)/2 = 5.375
    expectSeries(atr(high, low, close, 2), [null, null, 2.5, 1.75, 5.375], 0)
  })
  it('n = 1 is the true range itself (first valid index 1)', () => {
    expectSeries(atr(high, low, close, 1), [null, 2, 3, 1, 9], 0)
  })
  it('first valid index is atrLookback(n) = n', () => {
    const s = randomOhlcv(11, 60)
    for (const n of [1, 2, 14]) {
      expect(atrLookback(n)).toBe(n)
      expect(firstValid(atr(s.high, s.low, s.close, n))).toBe(n)
    }
  })
  it('is 0 over flat bars and throws on n = 0 or mismatched lengths', () => {
    const f = f64(3, 3, 3, 3)
    expectSeries(atr(f, f, f, 2), [null, null, 0, 0], 0)
    expect(() => atr(f, f, f, 0)).toThrow(RangeError)
    expect(() => atr(f, f64(1), f, 2)).toThrow(/lengths differ/)
  })
})
