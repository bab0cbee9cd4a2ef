import { describe, it, expect } from 'vitest'
import { rsi, rsiLookback } from '../../../shared/indicators/index.ts'
import { f64, firstValid, expectSeries, randomOhlcv } from './helpers.ts'

describe('rsi', () => {
  it('matches a hand-worked Wilder example', () => {
    // n = 2. Changes +1, −1 → avgGain 0.5, avgLoss 0.5 → 50.
    // +1: gain (0.5·1+1)/2 = 0.75, loss 0.25 → 75.  +1: gain 0.875, loss 0.125 → 87.5.
    // −2: gain 0.4375, loss (0.125+2)/2 = 1.0625 → 100·0.4375/1.5 = 29.1666…
    expectSeries(rsi(f64(1, 2, 1, 2, 3, 1), 2), [null, null, 50, 75, 87.5, (100 * 0.4375) / 1.5])
  })
  it('first valid index is rsiLookback(n) = n', () => {
    const x = randomOhlcv(4, 60).close
    for (const n of [2, 14, 30]) {
      expect(rsiLookback(n)).toBe(n)
      expect(firstValid(rsi(x, n))).toBe(n)
    }
  })
  it('outputs 0 (not 50) on a perfectly flat window, as TA-Lib does', () => {
    expectSeries(rsi(f64(3, 3, 3, 3, 3), 2), [null, null, 0, 0, 0], 0)
  })
  it('is 100 in a pure up-trend and 0 in a pure down-trend', () => {
    expectSeries(rsi(f64(1, 2, 3, 4), 2), [null, null, 100, 100], 0)
    expectSeries(rsi(f64(4, 3, 2, 1), 2), [null, null, 0, 0], 0)
  })
  it('stays in [0, 100] on a series with jumps and flat runs', () => {
    const out = rsi(randomOhlcv(5, 500).close, 14)
    for (let i = 14; i < out.length; i++) {
      expect(out[i]!).toBeGreaterThanOrEqual(0)
      expect(out[i]!).toBeLessThanOrEqual(100)
    }
  })
  it('uses TA-Lib 0.6.1+ epsilon (1e-14): satoshi-scale prices still give a real RSI', () => {
    // gain+loss ~ 1e-9: above 1e-14, so not forced to 0 (0.4's 1e-8 epsilon would have said 0).
    // Changes +1e-9, −0.5e-9 → gain 0.5e-9, loss 0.25e-9 → 66.66…
    const out = rsi(f64(1e-8, 1.1e-8, 1.05e-8), 2)
    expect(out[2]).toBeCloseTo(200 / 3, 6)
  })
  it('rejects n = 1', () => {
    expect(() => rsi(f64(1, 2, 3), 1)).toThrow(RangeError)
  })
})
