import { describe, it, expect } from 'vitest'
import { sma, ema, wma, smaLookback, emaLookback, wmaLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('sma', () => {
  it('matches a hand-worked example', () => {
    // n = 3: (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+8)/3 = 5
    expectSeries(sma(f64(1, 2, 3, 4, 8), 3), [null, null, 2, 3, 5])
  })
  it('first valid index is smaLookback(n) = n − 1', () => {
    const x = randomOhlcv(1, 100).close
    for (const n of [2, 3, 14, 50]) {
      expect(smaLookback(n)).toBe(n - 1)
      expect(firstValid(sma(x, n))).toBe(n - 1)
    }
  })
  it('returns all NaN when the series is shorter than the period, and handles empty input', () => {
    expect(firstValid(sma(f64(1, 2), 3))).toBe(-1)
    expect(sma(new Float64Array(0), 3).length).toBe(0)
  })
  it('is exact on a flat window', () => {
    expectSeries(sma(f64(7, 7, 7, 7), 2), [null, 7, 7, 7], 0)
  })
  it('rejects periods outside TA-Lib range [2, 100000]', () => {
    const x = f64(1, 2, 3)
    expect(() => sma(x, 1)).toThrow(RangeError)
    expect(() => sma(x, 2.5)).toThrow(/integer in \[2, 100000\]/)
    expect(() => sma(x, 100001)).toThrow(RangeError)
  })
})

describe('ema', () => {
  it('seeds with the SMA of the first n values, then ((x − ema) * k) + ema', () => {
    // n = 3, k = 0.5: seed (2+4+6)/3 = 4; (8−4)*0.5+4 = 6; (4−6)*0.5+6 = 5
    expectSeries(ema(f64(2, 4, 6, 8, 4), 3), [null, null, 4, 6, 5])
  })
  it('first valid index is emaLookback(n) = n − 1', () => {
    const x = randomOhlcv(2, 80).close
    for (const n of [2, 9, 26]) {
      expect(emaLookback(n)).toBe(n - 1)
      expect(firstValid(ema(x, n))).toBe(n - 1)
    }
  })
  it('stays on the level across a flat run and follows a jump', () => {
    const out = ema(f64(5, 5, 5, 5, 10), 2) // k = 2/3
    expectSeries(out, [null, 5, 5, 5, 5 + (10 - 5) * (2 / 3)])
  })
  it('rejects n = 1 (TA-Lib 0.6 EMA range starts at 2)', () => {
    expect(() => ema(f64(1, 2), 1)).toThrow(RangeError)
  })
})

describe('wma', () => {
  it('matches a hand-worked example', () => {
    // n = 3, divider 6: (1·1+2·2+3·3)/6 = 14/6; (2·1+3·2+4·3)/6 = 20/6; (3+8+30)/6 = 41/6
    expectSeries(wma(f64(1, 2, 3, 4, 10), 3), [null, null, 14 / 6, 20 / 6, 41 / 6])
  })
  it('first valid index is wmaLookback(n) = n − 1 and n < 2 is rejected', () => {
    expect(wmaLookback(5)).toBe(4)
    expect(firstValid(wma(randomOhlcv(3, 30).close, 5))).toBe(4)
    expect(() => wma(f64(1), 1)).toThrow(RangeError)
  })
})
