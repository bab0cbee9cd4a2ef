// Statistical sanity of the synthetic market with fixed seeds: the stylised facts it claims.
import { describe, it, expect } from 'vitest'
import {
  generateMinuteCandles,
  createMinuteStream,
  createMinuteBar,
  SYNTHETIC_MARKETS,
  DEFAULT_ORIGIN_MS,
  REGIMES,
} from '../../../shared/synthetic/index.ts'
import type { RegimeKind } from '../../../shared/synthetic/index.ts'
import { countMissingBars, findGaps, resample } from '../../../shared/candles/index.ts'

const D = 86_400_000
const O = DEFAULT_ORIGIN_MS
const btc = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], O, O + 20 * D)

function logReturns(close: Float64Array): number[] {
  const r: number[] = []
  for (let i = 1; i < close.length; i++) r.push(Math.log(close[i]! / close[i - 1]!))
  return r
}

function kurtosis(x: number[]): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length
  let m2 = 0
  let m4 = 0
  for (const v of x) {
    const d = v - mean
    m2 += d * d
    m4 += d * d * d * d
  }
  m2 /= x.length
  m4 /= x.length
  return m4 / (m2 * m2)
}

function autocorr(x: number[], lag: number): number {
  const mean = x.reduce((a, b) => a + b, 0) / x.length
  let num = 0
  let den = 0
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - mean) ** 2
    if (i >= lag) num += (x[i]! - mean) * (x[i - lag]! - mean)
  }
  return num / den
}

describe('synthetic market statistics (fixed seeds)', () => {
  it('has fat-tailed returns (kurtosis > 3) at 1m and 5m', () => {
    expect(kurtosis(logReturns(btc.close))).toBeGreaterThan(5)
    expect(kurtosis(logReturns(resample(btc, '5m').close))).toBeGreaterThan(4)
  })

  it('clusters volatility: |returns| are positively autocorrelated', () => {
    const abs = logReturns(resample(btc, '5m').close).map(Math.abs)
    for (const lag of [1, 5, 12]) expect(autocorr(abs, lag)).toBeGreaterThan(0.05)
    // while signed returns are close to uncorrelated
    expect(Math.abs(autocorr(logReturns(resample(btc, '5m').close), 1))).toBeLessThan(0.05)
  })

  it('has a realised volatility near the spec', () => {
    const daily = logReturns(resample(btc, '60m').close)
    const annualised = Math.sqrt((daily.reduce((a, v) => a + v * v, 0) / daily.length) * 24 * 365)
    expect(annualised).toBeGreaterThan(0.3)
    expect(annualised).toBeLessThan(1.2)
  })

  it('has no-trade minutes (missing bars), more of them in thin hours', () => {
    expect(countMissingBars(btc, '1m')).toBeGreaterThan(10)
    const doge = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-DOGE'], O, O + 20 * D)
    const missingByHour = new Array<number>(24).fill(0)
    for (const g of findGaps(doge, '1m')) {
      for (let t = g.fromMs; t < g.toMs; t += 60_000) missingByHour[new Date(t).getUTCHours()]!++
    }
    const busy = missingByHour[0]! + missingByHour[1]! + missingByHour[14]!
    const quiet = missingByHour[19]! + missingByHour[20]! + missingByHour[21]!
    expect(quiet).toBeGreaterThan(1.5 * busy)
  })

  it('has intraday volume seasonality (09:00 KST busier than the KST night)', () => {
    const byHour = new Array<number>(24).fill(0)
    for (let i = 0; i < btc.time.length; i++) byHour[new Date(btc.time[i]!).getUTCHours()]! += btc.volume[i]! * btc.close[i]!
    expect(byHour[0]!).toBeGreaterThan(2 * byHour[20]!)
  })

  it('switches regimes and jumps', () => {
    const stream = createMinuteStream(SYNTHETIC_MARKETS['KRW-BTC'])
    const bar = createMinuteBar()
    const seen = new Set<RegimeKind>()
    let switches = 0
    let jumps = 0
    let prev: RegimeKind | null = null
    for (let i = 0; i < 60 * 1440; i++) {
      stream.next(bar)
      seen.add(bar.regime)
      if (prev !== null && bar.regime !== prev) switches++
      prev = bar.regime
      if (bar.jumpLogReturn !== 0) jumps++
    }
    expect([...seen].sort()).toEqual([...REGIMES].sort())
    expect(switches).toBeGreaterThan(10)
    expect(jumps).toBeGreaterThan(10) // ~0.6/day in trends, more when turbulent
    expect(jumps).toBeLessThan(300)
  })
})
