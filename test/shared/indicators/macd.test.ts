import { describe, it, expect } from 'vitest'
import { macd, macdLookback, ema } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('macd', () => {
  it('matches a hand-worked example with TA-Lib alignment (fast 2, slow 3, signal 2)', () => {
    // Bar 2: slow seed (1+3+2)/3 = 2; fast seed is the mean of the LAST 2 of those bars,
    // (3+2)/2 = 2.5 (not an EMA started at bar 0) → macd 0.5.
    // Bar 3 (x=6): fast (6−2.5)·2/3+2.5 = 4.8333…, slow (6−2)·0.5+2 = 4 → macd 0.8333…;
    //   signal seed = (0.5 + 0.8333…)/2 = 0.6666…; hist 0.1666…
    // Bar 4 (x=4): fast (4−4.8333…)·2/3+4.8333… = 4.2777…, slow 4 → macd 0.2777…;
    //   signal (0.2777…−0.6666…)·2/3+0.6666… = 0.4074…; hist −0.1296…
    const r = macd(f64(1, 3, 2, 6, 4), 2, 3, 2)
    const m3 = 4.5 + 1 / 3 - 4
    const m4 = 4.5 + 1 / 3 + (4 - (4.5 + 1 / 3)) * (2 / 3) - 4
    const s3 = (0.5 + m3) / 2
    const s4 = (m4 - s3) * (2 / 3) + s3
    expectSeries(r.macd, [null, null, null, m3, m4])
    expectSeries(r.signal, [null, null, null, s3, s4])
    expectSeries(r.hist, [null, null, null, m3 - s3, m4 - s4])
    expect(m3).toBeCloseTo(0.833333333, 8)
    expect(s4).toBeCloseTo(0.407407407, 8)
  })
  it('all three outputs start at macdLookback = slow + signal − 2', () => {
    const x = randomOhlcv(6, 120).close
    for (const [f, s, g] of [
      [12, 26, 9],
      [5, 35, 5],
      [3, 4, 2],
    ] as const) {
      const lb = macdLookback(f, s, g)
      expect(lb).toBe(s + g - 2)
      const r = macd(x, f, s, g)
      expect(firstValid(r.macd)).toBe(lb)
      expect(firstValid(r.signal)).toBe(lb)
      expect(firstValid(r.hist)).toBe(lb)
    }
  })
  it('swaps fast and slow when fast > slow, as TA-Lib does', () => {
    const x = randomOhlcv(7, 80).close
    const a = macd(x, 26, 12, 9)
    const b = macd(x, 12, 26, 9)
    expectSeries(a.macd, Array.from(b.macd), 0)
    expect(macdLookback(26, 12, 9)).toBe(33)
  })
  it('is exactly 0 when fast == slow (the two EMAs coincide)', () => {
    const r = macd(randomOhlcv(8, 60).close, 10, 10, 3)
    for (let i = 11; i < 60; i++) expect(r.macd[i]).toBe(0)
  })
  it('is the fast EMA seeded on the window ending at bar slow − 1 minus ema(x, slow), bit for bit', () => {
    const x = randomOhlcv(9, 100).close
    const fast = 5
    const slow = 13
    const r = macd(x, fast, slow, 4)
    const slowLeg = ema(x, slow)
    const fastLeg = ema(x.subarray(slow - fast), fast) // seed = mean of x[slow−fast .. slow−1]
    for (let i = macdLookback(fast, slow, 4); i < 100; i++) {
      expect(r.macd[i]).toBe(fastLeg[i - (slow - fast)]! - slowLeg[i]!)
    }
  })
  it('rejects out-of-range periods (signal 1 is refused: TA-Lib 0.6 misaligns it)', () => {
    const x = f64(1, 2, 3)
    expect(() => macd(x, 1, 26, 9)).toThrow(RangeError)
    expect(() => macd(x, 12, 26, 1)).toThrow(/signal/)
  })
})
