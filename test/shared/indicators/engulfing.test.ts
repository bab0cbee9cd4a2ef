import { describe, it, expect } from 'vitest'
import { engulfing, engulfingLookback } from '../../../shared/indicators/index.ts'
import { f64, expectSeries } from './helpers.ts'

describe('engulfing', () => {
  it('scores ±100 for a full engulf, ±80 when the bodies share an end, 0 otherwise', () => {
    // (open, close) per bar:
    // 0 (5, 5.5) any
    // 1 (10, 9)      black
    // 2 (8.5, 10.5)  white engulfs black, both ends differ            → +100
    // 3 (10.5, 11)   white after white                                → 0
    // 4 (11.5, 9)    black engulfs white (11.5 ≥ 11, 9 < 10.5)        → −100
    // 5 (9, 11.5)    white with both body ends equal to bar 4's       → 0 (not an engulf)
    // 6 (12, 8.5)    black engulfs white                              → −100
    // 7 (8.5, 12.5)  white, open == previous close, close > prev open → +80
    // 8 (12.5, 12.5) doji counts as white, after white                → 0
    // 9 (13, 12.5)   black after doji-white, open 13 ≥ 12.5, close 12.5 == open 12.5 → −80
    const open = f64(5, 10, 8.5, 10.5, 11.5, 9, 12, 8.5, 12.5, 13)
    const close = f64(5.5, 9, 10.5, 11, 9, 11.5, 8.5, 12.5, 12.5, 12.5)
    const hi = open.map((o, i) => Math.max(o, close[i]!) + 1)
    const lo = open.map((o, i) => Math.min(o, close[i]!) - 1)
    expectSeries(engulfing(open, hi, lo, close), [null, null, 100, 0, -100, 0, -100, 80, 0, -80], 0)
  })
  it('has TA-Lib lookback 2 even though the rule reads one prior bar', () => {
    expect(engulfingLookback()).toBe(2)
    const out = engulfing(f64(10, 8.5, 1), f64(11, 11, 2), f64(8, 8, 0), f64(9, 10.5, 1.5))
    expect(Number.isNaN(out[1]!)).toBe(true) // bar 1 engulfs bar 0 but is inside the lookback
  })
  it('throws on length mismatch', () => {
    expect(() => engulfing(f64(1), f64(1, 2), f64(1), f64(1))).toThrow(/lengths differ/)
  })
})
