import { describe, it, expect } from 'vitest'
import { findGaps, countMissingBars, seriesFromRows } from '../../../shared/candles/index.ts'

const M = 60_000
const T0 = Date.UTC(2025, 0, 1)
const at = (minutes: number[]) =>
  seriesFromRows(minutes.map((i) => ({ timeMs: T0 + i * M, open: 1, high: 1, low: 1, close: 1, volume: 1 })))

describe('findGaps', () => {
  it('finds runs of missing minutes between bars', () => {
    const s = at([0, 1, 4, 5, 7])
    expect(findGaps(s, '1m')).toEqual([
      { afterIndex: 1, fromMs: T0 + 2 * M, toMs: T0 + 4 * M, missingBars: 2 },
      { afterIndex: 3, fromMs: T0 + 6 * M, toMs: T0 + 7 * M, missingBars: 1 },
    ])
    expect(countMissingBars(s, '1m')).toBe(3)
  })

  it('finds nothing in a contiguous series', () => {
    expect(findGaps(at([0, 1, 2]), '1m')).toEqual([])
    expect(countMissingBars(at([0, 1, 2]), '1m')).toBe(0)
  })

  it('reports leading and trailing gaps against an expected range', () => {
    const s = at([2, 3])
    const range = { fromMs: T0, toMs: T0 + 6 * M }
    expect(findGaps(s, '1m', range)).toEqual([
      { afterIndex: -1, fromMs: T0, toMs: T0 + 2 * M, missingBars: 2 },
      { afterIndex: 1, fromMs: T0 + 4 * M, toMs: T0 + 6 * M, missingBars: 2 },
    ])
    expect(countMissingBars(s, '1m', range)).toBe(4)
    expect(findGaps(at([]), '5m', { fromMs: T0, toMs: T0 + 60 * M })).toEqual([
      { afterIndex: -1, fromMs: T0, toMs: T0 + 60 * M, missingBars: 12 },
    ])
    expect(countMissingBars(at([]), '5m', { fromMs: T0, toMs: T0 + 60 * M })).toBe(12)
  })

  it('counts in bars of the given timeframe', () => {
    const s = at([0, 15, 60])
    expect(findGaps(s, '15m')).toEqual([{ afterIndex: 1, fromMs: T0 + 30 * M, toMs: T0 + 60 * M, missingBars: 2 }])
    expect(countMissingBars(s, '15m')).toBe(2)
  })
})
