import { describe, it, expect } from 'vitest'
import { indexAtOrAfter, sliceByIndex, sliceByTime, seriesFromRows } from '../../../shared/candles/index.ts'

const M = 60_000
const T0 = Date.UTC(2025, 0, 1)
const s = seriesFromRows(
  [0, 1, 2, 5, 6].map((i) => ({ timeMs: T0 + i * M, open: i + 1, high: i + 1, low: i + 1, close: i + 1, volume: i })),
)

describe('indexAtOrAfter', () => {
  it('returns the first bar at or after t', () => {
    expect(indexAtOrAfter(s.time, T0 - M)).toBe(0)
    expect(indexAtOrAfter(s.time, T0)).toBe(0)
    expect(indexAtOrAfter(s.time, T0 + 1)).toBe(1)
    expect(indexAtOrAfter(s.time, T0 + 3 * M)).toBe(3) // inside the gap: next present bar
    expect(indexAtOrAfter(s.time, T0 + 6 * M)).toBe(4)
    expect(indexAtOrAfter(s.time, T0 + 7 * M)).toBe(5)
    expect(indexAtOrAfter(new Float64Array(0), T0)).toBe(0)
  })
})

describe('sliceByTime', () => {
  it('is half-open [from, to)', () => {
    const w = sliceByTime(s, T0 + M, T0 + 5 * M)
    expect(Array.from(w.time)).toEqual([T0 + M, T0 + 2 * M])
    expect(Array.from(sliceByTime(s, T0 + M, T0 + 5 * M + 1).time)).toEqual([T0 + M, T0 + 2 * M, T0 + 5 * M])
    expect(sliceByTime(s, T0 + 3 * M, T0 + 5 * M).time.length).toBe(0)
    expect(sliceByTime(s, T0 + 9 * M, T0).time.length).toBe(0)
    expect(Array.from(sliceByTime(s, -Infinity, Infinity).close)).toEqual([1, 2, 3, 6, 7])
  })

  it('returns views over the same memory (no copy)', () => {
    const w = sliceByTime(s, T0 + M, T0 + 3 * M)
    expect(w.close.buffer).toBe(s.close.buffer)
    expect(w.close.byteOffset).toBe(8)
  })
})

describe('sliceByIndex', () => {
  it('clamps indices to the series', () => {
    expect(Array.from(sliceByIndex(s, 3, 99).volume)).toEqual([5, 6])
    expect(sliceByIndex(s, -5, 2).time.length).toBe(2)
    expect(sliceByIndex(s, 4, 2).time.length).toBe(0)
  })
})
