// Metrics conventions of design §7.4, checked against a direct two-pass computation written here.
import { describe, expect, it } from 'vitest'
import { DAY_MS } from '../../../shared/candles/types.ts'
import { MetricsAccumulator, type TradeStats } from '../../../shared/metrics/accumulator.ts'
import { METRIC_COUNT, METRIC_NAMES, metricsFromRow } from '../../../shared/metrics/types.ts'
import { seriesIndexOf } from '../../../shared/candles/series-index.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { createRng } from '../../../shared/random.ts'
import { randomWalk } from '../../helpers/series.ts'

const noTrades: TradeStats = { closedTrades: 0, wins: 0, grossProfit: 0, grossLoss: 0, sumReturns: 0, feesPaid: 0, barsInPosition: 0 }
const D0 = Date.UTC(2025, 0, 1)
const H = 3_600_000

function run(points: Array<[number, number]>, initial: number, stats = noTrades, closes: [number, number] = [1, 1]) {
  const acc = new MetricsAccumulator()
  acc.reset(initial)
  for (const [t, e] of points) acc.bar(t, e)
  const row = new Float64Array(METRIC_COUNT)
  acc.finish(stats, closes[0], closes[1], row, 0)
  return metricsFromRow(row)
}

describe('daily returns, Sharpe and Sortino', () => {
  it('uses UTC day-end equity, carries empty days forward, and measures day 1 from the initial cash', () => {
    // Day 0 ends at 110 (from 100: +10%), day 1 has no bars (0%), day 2 ends at 104.5 (−5%).
    const m = run(
      [
        [D0 + H, 105],
        [D0 + 20 * H, 110],
        [D0 + 2 * DAY_MS + H, 120],
        [D0 + 2 * DAY_MS + 5 * H, 104.5],
      ],
      100,
    )
    const rets = [0.1, 0, 104.5 / 110 - 1]
    const mean = rets.reduce((a, b) => a + b) / 3
    const sd = Math.sqrt(rets.reduce((a, r) => a + (r - mean) ** 2, 0) / 2)
    const dd = Math.sqrt(rets.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / 3)
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 12)
    expect(m.sortino).toBeCloseTo((mean / dd) * Math.sqrt(365), 12)
    expect(m.totalReturn).toBeCloseTo(0.045, 15)
    // Max drawdown of the bar curve: peak 120 → 104.5.
    expect(m.maxDrawdown).toBeCloseTo(104.5 / 120 - 1, 15)
    // CAGR over the span from the first to the last bar's open time, 365-day years.
    const years = (2 * DAY_MS + 4 * H) / (365 * DAY_MS)
    expect(m.cagr).toBeCloseTo(Math.pow(1.045, 1 / years) - 1, 9)
    expect(m.calmar).toBeCloseTo(m.cagr / Math.abs(m.maxDrawdown), 9)
  })

  it('reports zero-denominator ratios as NaN or Infinity', () => {
    const flat = run(
      [
        [D0, 100],
        [D0 + DAY_MS, 100],
      ],
      100,
    )
    expect(flat.sharpe).toBeNaN() // 0 / 0
    expect(flat.winRate).toBeNaN()
    expect(flat.profitFactor).toBeNaN()
    expect(flat.maxDrawdown).toBe(0)
    const up = run(
      [
        [D0, 100],
        [D0 + DAY_MS, 110],
      ],
      100,
      { ...noTrades, closedTrades: 1, wins: 1, grossProfit: 10, sumReturns: 0.1 },
    )
    expect(up.profitFactor).toBe(Infinity)
    expect(up.calmar).toBe(Infinity)
    expect(up.winRate).toBe(1)
    expect(up.sortino).toBe(Infinity)
  })

  it('trade statistics: win rate, profit factor in KRW, expectancy, exposure, buy-and-hold', () => {
    const stats: TradeStats = {
      closedTrades: 4,
      wins: 1,
      grossProfit: 300,
      grossLoss: 100,
      sumReturns: 0.02,
      feesPaid: 12,
      barsInPosition: 3,
    }
    const m = run(
      [
        [D0, 100],
        [D0 + H, 101],
        [D0 + 2 * H, 102],
        [D0 + 3 * H, 103],
      ],
      100,
      stats,
      [50, 60],
    )
    expect(m.winRate).toBe(0.25)
    expect(m.profitFactor).toBe(3)
    expect(m.expectancy).toBe(0.005)
    expect(m.trades).toBe(4)
    expect(m.exposure).toBe(0.75)
    expect(m.feesPaid).toBe(12)
    expect(m.buyHoldReturn).toBeCloseTo(0.2, 15)
  })
})

describe('daily returns out', () => {
  it('writes each daily return (empty days as 0) when dailyOut is set', () => {
    const acc = new MetricsAccumulator()
    acc.reset(100)
    acc.dailyOut = new Float64Array(5).fill(NaN)
    for (const [t, e] of [
      [D0 + H, 105],
      [D0 + 20 * H, 110],
      [D0 + 2 * DAY_MS + H, 99],
    ] as const)
      acc.bar(t, e)
    acc.finish(noTrades, 1, 1, new Float64Array(METRIC_COUNT), 0)
    expect(acc.dayCount).toBe(3)
    expect(Array.from(acc.dailyOut.subarray(0, 3))).toEqual([110 / 100 - 1, 0, 99 / 110 - 1])
    expect(acc.dailyOut[3]).toBeNaN()
  })
})

describe('bulk marking equals bar by bar', () => {
  // markRun (the backtest loop's holding runs) skips whole days and blocks when the series index
  // proves no bar sets a new maximum drawdown; flatRun marks constant equity a day at a time.
  // Both must leave exactly what bar() per bar leaves, in every metric.
  function perBar(series: CandleSeries, segments: ReadonlyArray<readonly [number, number, number]>): Float64Array {
    const acc = new MetricsAccumulator()
    acc.reset(1_000_000)
    let k = 0
    for (const [end, cash, qty] of segments) for (; k < end; k++) acc.bar(series.time[k]!, qty > 0 ? cash + qty * series.close[k]! : cash)
    const row = new Float64Array(METRIC_COUNT)
    acc.finish(noTrades, series.close[0]!, series.close[series.close.length - 1]!, row, 0)
    return row
  }
  function bulk(series: CandleSeries, segments: ReadonlyArray<readonly [number, number, number]>): Float64Array {
    const idx = seriesIndexOf(series)
    const acc = new MetricsAccumulator()
    acc.reset(1_000_000)
    acc.index = idx
    let k = 0
    for (const [end, cash, qty] of segments) {
      if (qty > 0) acc.markRun(series.time, series.close, cash, qty, k, end, null, 0)
      else acc.flatRun(series.time, idx.dayEnd, k, end, cash)
      k = end
    }
    const row = new Float64Array(METRIC_COUNT)
    acc.finish(noTrades, series.close[0]!, series.close[series.close.length - 1]!, row, 0)
    return row
  }

  it('over random walks, long holding stretches and an account at its lows (seeded)', () => {
    for (let c = 0; c < 30; c++) {
      const rng = createRng(700 + c)
      const n = 5_000 + rng.int(20_000)
      const series = randomWalk(800 + c, n, [60_000, 150, 100_000_000][c % 3]!)
      if (c % 5 === 4) series.close[rng.int(n)] = NaN
      const segments: Array<[number, number, number]> = []
      // Equity continues across segments (a sale turns the position into cash at that close).
      // Odd cases: an account blown to ~5,000 KRW that keeps trading, so equity hovers near its
      // running low and new drawdowns come here and there inside otherwise quiet days.
      let equity = c % 2 === 0 ? 1_000_000 : 5_000
      let at = 0
      while (at < n) {
        const from = at
        at = Math.min(n, at + 1 + rng.int(c % 2 === 0 ? 6_000 : 3_000))
        const c0 = series.close[from]!
        const flat = rng.next() < 0.3 || !(c0 > 0)
        const qty = flat ? 0 : (equity * 0.9) / c0
        const cash = flat ? equity : equity - qty * c0
        segments.push([at, cash, qty])
        const last = series.close[at - 1]!
        if (!flat && last > 0) equity = cash + qty * last
      }
      // Every prefix that ends inside a segment: the final maximum drawdown is then often a
      // recent low, which a wrongly skipped block would miss.
      for (let cut = 0; cut < 12; cut++) {
        const end = cut === 0 ? n : 100 + rng.int(n - 100)
        const prefix = segments
          .filter(([e]) => e < end)
          .concat([[end, ...segments.find(([e]) => e >= end)!.slice(1)] as [number, number, number]])
        const a = perBar(series, prefix)
        const b = bulk(series, prefix)
        METRIC_NAMES.forEach((name, i) => expect(Object.is(a[i], b[i]), `${name} case ${c} end ${end}: ${a[i]} vs ${b[i]}`).toBe(true))
      }
    }
  })
})
