import { describe, it, expect } from 'vitest'
import { obv, obvLookback, mfi, mfiLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('obv', () => {
  it('starts at the first volume and adds/subtracts on up/down closes', () => {
    // 5; 11>10 → +3 = 8; equal → 8; 9<11 → −2 = 6; 12>9 → +6 = 12
    expectSeries(obv(f64(10, 11, 11, 9, 12), f64(5, 3, 4, 2, 6)), [5, 8, 8, 6, 12], 0)
    expect(obvLookback()).toBe(0)
  })
  it('throws on length mismatch', () => {
    expect(() => obv(f64(1, 2), f64(1))).toThrow(/lengths differ/)
  })
})

describe('mfi', () => {
  it('matches a hand-worked example (n = 2, h = l = c)', () => {
    // Flows: bar1 tp 11 up → +22; bar2 tp 10 down → −30 → MFI 100·22/52.
    // bar3: bar1 leaves (pos 0), tp 12 up → +48 → MFI 100·48/78.
    const x = f64(10, 11, 10, 12)
    expectSeries(mfi(x, x, x, f64(1, 2, 3, 4), 2), [null, null, (100 * 22) / 52, (100 * 48) / 78], 1e-12)
  })
  it('outputs 0 when positive + negative flow is below 1.0 (TA-Lib 0.6 threshold)', () => {
    const x = f64(10, 11, 10, 12)
    expectSeries(mfi(x, x, x, f64(0.001, 0.002, 0.003, 0.004), 2), [null, null, 0, 0], 0)
  })
  it('outputs 0 on a flat window (no flow either way)', () => {
    const f = f64(7, 7, 7, 7)
    expectSeries(mfi(f, f, f, f64(1, 1, 1, 1), 2), [null, null, 0, 0], 0)
  })
  it('first valid index is mfiLookback(n) = n', () => {
    const s = randomOhlcv(15, 60)
    expect(mfiLookback(14)).toBe(14)
    expect(firstValid(mfi(s.high, s.low, s.close, s.volume, 14))).toBe(14)
    expect(() => mfi(s.high, s.low, s.close, s.volume, 1)).toThrow(RangeError)
  })
})
