import { describe, it, expect } from 'vitest'
import { seriesFromRows, rowsFromSeries, concatSeries, mergeSeries } from '../../../shared/candles/index.ts'
import { sliceByTime } from '../../../shared/candles/index.ts'
import type { CandleRow } from '../../../shared/candles/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS, DEFAULT_ORIGIN_MS } from '../../../shared/synthetic/index.ts'

const M = 60_000
const T0 = Date.UTC(2025, 0, 1)
const bar = (i: number, close = 10 + i): CandleRow => ({ timeMs: T0 + i * M, open: 10, high: 20, low: 5, close, volume: i })

describe('rows <-> series', () => {
  it('round-trips rows through columns', () => {
    const rows = [bar(0), bar(1), bar(3)]
    const s = seriesFromRows(rows)
    expect(Array.from(s.time)).toEqual([T0, T0 + M, T0 + 3 * M])
    expect(Array.from(s.close)).toEqual([10, 11, 13])
    expect(rowsFromSeries(s)).toEqual(rows)
  })

  it('concatenates parts in order', () => {
    const s = concatSeries([seriesFromRows([bar(0)]), seriesFromRows([]), seriesFromRows([bar(1), bar(2)])])
    expect(rowsFromSeries(s)).toEqual([bar(0), bar(1), bar(2)])
  })
})

describe('mergeSeries', () => {
  it('unions by time, ascending, collapsing identical duplicates silently', () => {
    const a = seriesFromRows([bar(0), bar(2), bar(4)])
    const b = seriesFromRows([bar(1), bar(2), bar(5)])
    const m = mergeSeries(a, b)
    expect(Array.from(m.series.time)).toEqual([0, 1, 2, 4, 5].map((i) => T0 + i * M))
    expect(m.totalConflicts).toBe(0)
    expect(m.conflicts).toEqual([])
  })

  it('keeps the later bar on conflict and reports it', () => {
    const a = seriesFromRows([bar(0), bar(1, 99)])
    const b = seriesFromRows([bar(1, 11), bar(2)])
    const m = mergeSeries(a, b)
    expect(rowsFromSeries(m.series)).toEqual([bar(0), bar(1, 11), bar(2)])
    expect(m.totalConflicts).toBe(1)
    expect(m.conflicts[0]).toEqual({ timeMs: T0 + M, timeIso: '2025-01-01T00:01:00.000Z', dropped: bar(1, 99), kept: bar(1, 11) })
  })

  it('sorts unsorted input and resolves duplicates within one input (later row wins)', () => {
    const a = seriesFromRows([bar(3), bar(1), bar(3, 42)])
    const m = mergeSeries(a, seriesFromRows([]))
    expect(rowsFromSeries(m.series)).toEqual([bar(1), bar(3, 42)])
    expect(m.totalConflicts).toBe(1)
  })

  it('merges overlapping downloads of the same market back into the original', () => {
    const O = DEFAULT_ORIGIN_MS
    const full = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-ETH'], O, O + 2 * 86_400_000)
    const first = sliceByTime(full, O, O + 30 * 3_600_000)
    const second = sliceByTime(full, O + 20 * 3_600_000, O + 48 * 3_600_000)
    const m = mergeSeries(second, first) // order of arguments does not matter without conflicts
    expect(m.totalConflicts).toBe(0)
    expect(rowsFromSeries(m.series)).toEqual(rowsFromSeries(full))
  })
})
