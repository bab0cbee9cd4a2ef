// Seed 001 (volatility-breakout, rsi, dual-momentum) and seed 004 (rsi-macd-cci, engulfing-rsi):
// hand-worked examples, and the documented rules re-applied to the indicator outputs.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { cci, engulfing, macd, rsi } from '../../../shared/indicators/index.ts'
import { getStrategy } from '../../../shared/strategies/index.ts'
import type { Params } from '../../../shared/strategies/index.ts'
import { generateMinuteCandles } from '../../../shared/synthetic/index.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.UTC(2024, 2, 1)

function bars(rows: readonly (readonly [number, number, number, number, number])[]): CandleSeries {
  const col = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k]!)
  return { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: new Float64Array(rows.length).fill(1) }
}
function closes(xs: readonly number[]): CandleSeries {
  return bars(xs.map((c, i) => [T0 + i * 60_000, c, c, c, c] as const))
}
const run = (id: string, s: CandleSeries, p: Params = {}): number[] => [...getStrategy(id).signals(s, p)]

describe('volatility-breakout', () => {
  // 6-hour bars: day 0 (range 110 − 90 = 20), day 1, day 2, then day 3 missing, day 4.
  const s = bars([
    [T0, 100, 105, 95, 100],
    [T0 + 6 * HOUR, 100, 110, 98, 108],
    [T0 + 12 * HOUR, 108, 108, 90, 92],
    [T0 + 18 * HOUR, 92, 100, 91, 99],
    [T0 + DAY, 100, 106, 99, 105], // target 100 + 0.5·20 = 110: first bar of the day → −1
    [T0 + DAY + 6 * HOUR, 105, 112, 104, 111], // 111 ≥ 110 → +1
    [T0 + DAY + 12 * HOUR, 111, 111, 94, 95], // between prevLow 90 and target → 0
    [T0 + DAY + 18 * HOUR, 95, 96, 88, 89], // 89 < prevLow 90 → −1
    [T0 + 2 * DAY, 90, 103, 89, 102.5], // day-1 range 112 − 88 = 24: target 102 → +1 on the first bar
    [T0 + 2 * DAY + 6 * HOUR, 102, 103, 100, 101], // → 0
    [T0 + 4 * DAY, 150, 210, 150, 200], // day 3 had no bars: no target; first bar → −1
    [T0 + 4 * DAY + 6 * HOUR, 200, 310, 200, 300], // no target, not first → 0
  ])
  it('worked example with k = 0.5 on UTC days', () => {
    expect(run('volatility-breakout', s, { k: 0.5 })).toEqual([0, 0, 0, 0, -1, 1, 0, -1, 1, 0, -1, 0])
  })
  it('periodHours = 12 regroups the same bars', () => {
    // Periods: [0,1] [2,3] [4,5] [6,7] [8,9] (gap) [10,11].
    // p1: open 108, prev range 110−95 = 15 → target 115.5: bar 2 first → −1, bar 3 → 0 (99 ≥ prevLow 95? no: 99 ≥ 95 → 0)
    // p2: open 100, prev range 108−90 = 18 → 109: bar 4 → −1, bar 5 111 → +1
    // p3: open 111, prev range 112−99 = 13 → 117.5: bar 6 → −1, bar 7 89 < prevLow 99 → −1
    // p4: open 90, prev range 111−88 = 23 → 101.5: bar 8 102.5 → +1, bar 9 101 → 0
    // p5 (after a gap): bar 10 → −1, bar 11 → 0
    expect(run('volatility-breakout', s, { k: 0.5, periodHours: 12 })).toEqual([0, 0, -1, 0, -1, 1, -1, -1, 1, 0, -1, 0])
  })
  it('on daily bars every bar is its own period: +1 on a breakout close, else −1', () => {
    const d = bars([
      [T0, 100, 120, 90, 110],
      [T0 + DAY, 110, 130, 105, 126], // target 110 + 0.5·30 = 125 → +1
      [T0 + 2 * DAY, 126, 128, 100, 127], // target 126 + 12.5 = 138.5 → −1
    ])
    expect(run('volatility-breakout', d, {})).toEqual([0, 1, -1])
  })
})

describe('rsi (cross)', () => {
  it('worked example, period 2: cross up through 30 → +1, cross down through 70 → −1', () => {
    // RSI(2): –, –, 0, 0, 50, 75, 87.5, 43.75, 21.875
    expect(run('rsi', closes([10, 9, 8, 7, 8, 9, 10, 9, 8]), { period: 2 })).toEqual([0, 0, 0, 0, 1, 0, 0, -1, 0])
  })
})

describe('dual-momentum', () => {
  const s = closes([10, 10, 10, 10, 10, 10, 11, 9, 10.3])
  it('absolute momentum against cash', () => {
    expect(run('dual-momentum', s, { lookback: 5 })).toEqual([0, 0, 0, 0, 0, -1, 1, -1, 1])
  })
  it('relative momentum against a benchmark return', () => {
    expect(run('dual-momentum', s, { lookback: 5, benchmarkReturnRate: 0.04 })).toEqual([0, 0, 0, 0, 0, -1, 1, -1, -1])
    expect(run('dual-momentum', s, { lookback: 5, benchmarkReturnRate: -0.05 })).toEqual([0, 0, 0, 0, 0, -1, 1, -1, 1])
  })
})

describe('indicator strategies follow their documented rule on synthetic 1m data', () => {
  const s = generateMinuteCandles({ seed: 5, startPrice: 3_000_000 }, T0, T0 + 2 * DAY)
  const n = s.close.length

  it('rsi-macd-cci', () => {
    const p = { rsiPeriod: 10, rsiBuy: 40, rsiSell: 60, macdFast: 8, macdSlow: 21, macdSignal: 5, cciPeriod: 14, cciLevel: 75 }
    const r = rsi(s.close, 10)
    const h = macd(s.close, 8, 21, 5).hist
    const c = cci(s.high, s.low, s.close, 14)
    const want = new Int8Array(n)
    for (let t = 1; t < n; t++) {
      if (r[t]! < 40 && c[t]! < -75 && h[t]! > h[t - 1]!) want[t] = 1
      else if (r[t]! > 60 && c[t]! > 75 && h[t]! < h[t - 1]!) want[t] = -1
    }
    const got = getStrategy('rsi-macd-cci').signals(s, p)
    expect(got).toEqual(want)
    expect(got.includes(1) && got.includes(-1)).toBe(true)
  })

  it('engulfing-rsi', () => {
    const e = engulfing(s.open, s.high, s.low, s.close)
    const r = rsi(s.close, 14)
    const want = new Int8Array(n)
    for (let t = 0; t < n; t++) {
      if (e[t]! > 0 && r[t]! < 45) want[t] = 1
      else if (e[t]! < 0 && r[t]! > 55) want[t] = -1
    }
    const got = getStrategy('engulfing-rsi').signals(s, { rsiBuy: 45, rsiSell: 55 })
    expect(got).toEqual(want)
    expect(got.includes(1) && got.includes(-1)).toBe(true)
  })

  it('rsi matches the crossing rule on RSI(14)', () => {
    const r = rsi(s.close, 14)
    const got = getStrategy('rsi').signals(s, { oversold: 35, overbought: 65 })
    for (let t = 1; t < n; t++) {
      const want = r[t - 1]! < 35 && 35 <= r[t]! ? 1 : r[t - 1]! > 65 && 65 >= r[t]! ? -1 : 0
      if (got[t] !== want) expect.fail(`t=${t}: got ${got[t]}, want ${want}`)
    }
    expect(got.includes(1) && got.includes(-1)).toBe(true)
  })
})
