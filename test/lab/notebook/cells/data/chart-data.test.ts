// The data cell's chart data: one candle and one volume bar per stored bar (seconds, in order),
// volume coloured by its candle, the legend's bar, and colours with another opacity.
import { describe, expect, it } from 'vitest'
import { candleData, readout, volumeData, withAlpha } from '../../../../../lab/notebook/cells/data/chart-data.ts'
import type { CandleSeries } from '../../../../../shared/candles/index.ts'

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
