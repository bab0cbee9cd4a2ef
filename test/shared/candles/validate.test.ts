import { describe, it, expect } from 'vitest'
import { validateSeries, assertValidSeries, CandleValidationError, seriesFromRows } from '../../../shared/candles/index.ts'
import type { CandleRow, CandleSeries } from '../../../shared/candles/index.ts'

const T0 = Date.UTC(2025, 2, 2, 10, 12) // 2025-03-02T10:12Z
const M = 60_000

function rows(n: number): CandleRow[] {
  return Array.from({ length: n }, (_, i) => ({ timeMs: T0 + i * M, open: 100, high: 103, low: 99, close: 102, volume: 1 }))
}

function issuesOf(s: CandleSeries, tf: '1m' | '1d' = '1m'): string[] {
  const r = validateSeries(s, tf)
  return r.ok ? [] : r.error.issues.map((e) => e.message)
}

describe('validateSeries', () => {
  it('accepts a valid series and an empty one', () => {
    expect(validateSeries(seriesFromRows(rows(5)), '1m')).toEqual({ ok: true })
    expect(validateSeries(seriesFromRows([]), '1d')).toEqual({ ok: true })
  })

  it('names bar, time, field and problem for high below close', () => {
    const r = rows(5)
    r[2] = { ...r[2]!, high: 101, close: 102 }
    const res = validateSeries(seriesFromRows(r), '1m')
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error.kind).toBe('invalid-series')
    expect(res.error.issues).toEqual([
      {
        index: 2,
        timeIso: '2025-03-02T10:14:00.000Z',
        field: 'high',
        message: 'bar 2 (2025-03-02T10:14:00.000Z): high 101 is below close 102',
      },
    ])
    expect(res.error.totalErrors).toBe(1)
  })

  it('reports each OHLC rule', () => {
    const r = rows(6)
    r[0] = { ...r[0]!, high: 99.5 } // below open 100 and close 102
    r[1] = { ...r[1]!, low: 100.5 } // above open 100
    r[2] = { ...r[2]!, open: 98, close: 98, low: 98.5, high: 103 } // low above open and close
    r[3] = { ...r[3]!, open: 1, close: 1, high: 0.5, low: 0.8 } // high below low (and below open/close)
    const msgs = issuesOf(seriesFromRows(r))
    expect(msgs).toContain('bar 0 (2025-03-02T10:12:00.000Z): high 99.5 is below open 100')
    expect(msgs).toContain('bar 0 (2025-03-02T10:12:00.000Z): high 99.5 is below close 102')
    expect(msgs).toContain('bar 1 (2025-03-02T10:13:00.000Z): low 100.5 is above open 100')
    expect(msgs).toContain('bar 2 (2025-03-02T10:14:00.000Z): low 98.5 is above close 98')
    expect(msgs).toContain('bar 3 (2025-03-02T10:15:00.000Z): high 0.5 is below low 0.8')
  })

  it('rejects non-finite values, non-positive prices and negative volume', () => {
    const r = rows(4)
    r[0] = { ...r[0]!, open: Number.NaN }
    r[1] = { ...r[1]!, volume: -1 }
    r[2] = { ...r[2]!, low: 0 }
    r[3] = { ...r[3]!, volume: Number.POSITIVE_INFINITY }
    const msgs = issuesOf(seriesFromRows(r))
    expect(msgs).toEqual([
      'bar 0 (2025-03-02T10:12:00.000Z): open NaN is not finite',
      'bar 1 (2025-03-02T10:13:00.000Z): volume -1 is negative',
      'bar 2 (2025-03-02T10:14:00.000Z): low 0 is not positive',
      'bar 3 (2025-03-02T10:15:00.000Z): volume Infinity is not finite',
    ])
  })

  it('rejects non-increasing, misaligned and non-finite times', () => {
    const r = rows(5)
    r[1] = { ...r[1]!, timeMs: T0 } // duplicate of bar 0
    r[3] = { ...r[3]!, timeMs: T0 + 3 * M + 30_000 } // half a minute off
    r[4] = { ...r[4]!, timeMs: Number.NaN }
    const msgs = issuesOf(seriesFromRows(r))
    expect(msgs).toEqual([
      "bar 1 (2025-03-02T10:12:00.000Z): time is not after the previous bar's 2025-03-02T10:12:00.000Z",
      'bar 3 (2025-03-02T10:15:30.000Z): time is not aligned to 1m (UTC)',
      'bar 4 (invalid time NaN): time NaN is not finite',
    ])
  })

  it('aligns 1d bars to 00:00 UTC (09:00 KST)', () => {
    const day = Date.UTC(2025, 0, 1)
    const ok = seriesFromRows([0, 1].map((i) => ({ timeMs: day + i * 86_400_000, open: 1, high: 1, low: 1, close: 1, volume: 0 })))
    expect(validateSeries(ok, '1d').ok).toBe(true)
    const kstMidnight = seriesFromRows([{ timeMs: day - 9 * 3_600_000, open: 1, high: 1, low: 1, close: 1, volume: 0 }])
    expect(issuesOf(kstMidnight, '1d')).toEqual(['bar 0 (2024-12-31T15:00:00.000Z): time is not aligned to 1d (UTC)'])
  })

  it('reports columns of unequal length', () => {
    const s = seriesFromRows(rows(3))
    const bad: CandleSeries = { ...s, volume: s.volume.subarray(0, 2) }
    const res = validateSeries(bad, '1m')
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error.issues[0]).toMatchObject({
      index: 2,
      field: 'volume',
      message: 'bar 2 (2025-03-02T10:14:00.000Z): column volume has 2 bars but time has 3',
    })
  })

  it('caps the reported issues but counts them all', () => {
    const r = rows(300).map((x) => ({ ...x, volume: -1 }))
    const res = validateSeries(seriesFromRows(r), '1m', { maxIssues: 10 })
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error.issues).toHaveLength(10)
    expect(res.error.totalErrors).toBe(300)
    const def = validateSeries(seriesFromRows(r), '1m')
    expect(def.ok === false && def.error.issues.length).toBe(100)
  })

  it('assertValidSeries throws a CandleValidationError carrying the issues', () => {
    const r = rows(3)
    r[1] = { ...r[1]!, low: 200 }
    expect(() => assertValidSeries(seriesFromRows(rows(3)), '1m')).not.toThrow()
    let caught: unknown
    try {
      assertValidSeries(seriesFromRows(r), '1m')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(CandleValidationError)
    const err = caught as CandleValidationError
    expect(err.totalErrors).toBe(3) // above open, above close, and above high
    expect(err.issues.map((i) => i.index)).toEqual([1, 1, 1])
    expect(err.message).toContain('bar 1 (2025-03-02T10:13:00.000Z): low 200 is above open 100')
  })
})
