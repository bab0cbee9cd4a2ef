// The data cell's chart data: one candle and one volume bar per bucket of the window's plan
// (every bar at step 1; merged bars otherwise, checked against a plain merge), volume coloured by
// its candle, the legend's candle, and colours with another opacity.
import { describe, expect, it } from 'vitest'
import { planWindow } from '../../../../../lab/notebook/cells/backtest/chart-data.ts'
import { chartData, readout, wholeSeries, withAlpha } from '../../../../../lab/notebook/cells/data/chart-data.ts'
import type { CandleSeries } from '../../../../../shared/candles/index.ts'
import { randomWalk } from '../../../../helpers/series.ts'

const candleData = (x: CandleSeries) => chartData(x, wholeSeries(x), 'U', 'D').candles
const volumeData = (x: CandleSeries, up: string, down: string) => chartData(x, wholeSeries(x), up, down).volume

const series = (rows: [number, number, number, number, number, number][]): CandleSeries => ({
  time: Float64Array.from(rows, (r) => r[0]),
  open: Float64Array.from(rows, (r) => r[1]),
  high: Float64Array.from(rows, (r) => r[2]),
  low: Float64Array.from(rows, (r) => r[3]),
  close: Float64Array.from(rows, (r) => r[4]),
  volume: Float64Array.from(rows, (r) => r[5]),
})

const s = series([
  [60_000, 100, 110, 95, 105, 2],
  [120_000, 105, 106, 99, 100, 0.5],
  [180_000, 100, 101, 100, 100, 0],
])

describe('data chart data', () => {
  it('candles in seconds, every bar', () => {
    expect(candleData(s)).toEqual([
      { time: 60, open: 100, high: 110, low: 95, close: 105 },
      { time: 120, open: 105, high: 106, low: 99, close: 100 },
      { time: 180, open: 100, high: 101, low: 100, close: 100 },
    ])
  })

  it('volume bars take the colour of their candle (unchanged counts as up)', () => {
    expect(volumeData(s, 'U', 'D')).toEqual([
      { time: 60, value: 2, color: 'U' },
      { time: 120, value: 0.5, color: 'D' },
      { time: 180, value: 0, color: 'U' },
    ])
  })

  it('129,600 bars (three months of 1m) build in one pass', () => {
    const n = 129_600
    const big: CandleSeries = {
      time: Float64Array.from({ length: n }, (_, i) => i * 60_000),
      open: new Float64Array(n).fill(1),
      high: new Float64Array(n).fill(2),
      low: new Float64Array(n).fill(0.5),
      close: Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1.5 : 0.8)),
      volume: new Float64Array(n).fill(3),
    }
    const c = candleData(big)
    const v = volumeData(big, 'U', 'D')
    expect(c).toHaveLength(n)
    expect(v).toHaveLength(n)
    expect(c[n - 1]!.time).toBe((n - 1) * 60)
    expect(v[1]!.color).toBe('D')
  })

  it('zoomed out, a candle merges its bucket: first open, highest high, lowest low, last close, summed volume', () => {
    const x = randomWalk(3, 10_000)
    const plan = planWindow(10_000, 0, 9_999, 700)
    expect(plan.step).toBeGreaterThan(1)
    const { candles, volume } = chartData(x, plan, 'U', 'D')
    expect(candles).toHaveLength(plan.count)
    for (let j = 0; j < plan.count; j++) {
      const a = plan.first + j * plan.step
      const b = Math.min(10_000, a + plan.step)
      const bars = Array.from({ length: b - a }, (_, k) => a + k)
      const want = {
        time: x.time[a]! / 1000,
        open: x.open[a]!,
        high: Math.max(...bars.map((i) => x.high[i]!)),
        low: Math.min(...bars.map((i) => x.low[i]!)),
        close: x.close[b - 1]!,
      }
      expect(candles[j]).toEqual(want)
      expect(volume[j]!.value).toBeCloseTo(
        bars.reduce((t, i) => t + x.volume[i]!, 0),
        9,
      )
      expect(volume[j]!.color).toBe(want.close >= want.open ? 'U' : 'D')
    }
    // Every bar is in exactly one candle.
    expect(plan.first).toBe(0)
    expect(plan.first + (plan.count - 1) * plan.step).toBeLessThanOrEqual(9_999)
    expect(plan.first + plan.count * plan.step).toBeGreaterThan(9_999)
    // The legend reads the merged candle under the pointer, and off the chart the last one.
    expect(readout(x, 2, plan)).toMatchObject({
      index: 2 * plan.step,
      open: candles[2]!.open,
      high: candles[2]!.high,
      close: candles[2]!.close,
    })
    expect(readout(x, null, plan)).toMatchObject({ close: x.close[9_999], index: (plan.count - 1) * plan.step })
    // Zoomed in on 100 bars: every bar.
    const near = planWindow(10_000, 5_000, 5_100, 700)
    expect(near.step).toBe(1)
    expect(chartData(x, near, 'U', 'D').candles[0]).toEqual({
      time: x.time[near.first]! / 1000,
      open: x.open[near.first]!,
      high: x.high[near.first]!,
      low: x.low[near.first]!,
      close: x.close[near.first]!,
    })
  })

  it('the legend reads the hovered bar, clamped, else the last; change against the previous close', () => {
    expect(readout(s, null)).toMatchObject({ index: 2, close: 100, change: 0 })
    expect(readout(s, 1)).toMatchObject({ index: 1, timeMs: 120_000, open: 105, close: 100, volume: 0.5 })
    expect(readout(s, 1)!.change).toBeCloseTo(100 / 105 - 1)
    expect(readout(s, 0)!.change).toBeCloseTo(0.05)
    expect(readout(s, -4)!.index).toBe(0)
    expect(readout(s, 99.4)!.index).toBe(2)
    expect(readout(series([]), null)).toBeNull()
  })

  it('colours with another opacity', () => {
    expect(withAlpha('rgb(31, 138, 76)', 0.5)).toBe('rgba(31, 138, 76, 0.5)')
    expect(withAlpha('rgba(31, 138, 76, 1)', 0.4)).toBe('rgba(31, 138, 76, 0.4)')
    expect(withAlpha('#1f8a4c', 0.5)).toBe('rgba(31, 138, 76, 0.5)')
    expect(withAlpha('color(srgb 1 0 0)', 0.5)).toBe('color(srgb 1 0 0)')
  })
})
