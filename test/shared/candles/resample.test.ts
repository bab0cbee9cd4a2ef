import { describe, it, expect } from 'vitest'
import {
  resample,
  resampleFrom,
  seriesFromRows,
  rowsFromSeries,
  validateSeries,
  TIMEFRAMES,
  TIMEFRAME_MS,
} from '../../../shared/candles/index.ts'
import type { CandleRow, CandleSeries } from '../../../shared/candles/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../../shared/synthetic/index.ts'

const M = 60_000
const row = (timeMs: number, open: number, high: number, low: number, close: number, volume: number): CandleRow => ({
  timeMs,
  open,
  high,
  low,
  close,
  volume,
})

/** Reference: bucket by floor(t / tf) with a Map of row objects (slow and obvious). */
function naiveResample(s: CandleSeries, tfMs: number): CandleRow[] {
  const buckets = new Map<number, CandleRow>()
  for (const r of rowsFromSeries(s)) {
    const b = Math.floor(r.timeMs / tfMs) * tfMs
    const cur = buckets.get(b)
    buckets.set(
      b,
      cur === undefined
        ? { ...r, timeMs: b }
        : {
            timeMs: b,
            open: cur.open,
            high: Math.max(cur.high, r.high),
            low: Math.min(cur.low, r.low),
            close: r.close,
            volume: cur.volume + r.volume,
          },
    )
  }
  return [...buckets.values()].sort((a, b) => a.timeMs - b.timeMs)
}

/** OHLC and time exactly; volume up to float summation order. */
function expectSameBars(got: CandleSeries, want: CandleSeries): void {
  expect(Array.from(got.time)).toEqual(Array.from(want.time))
  expect(Array.from(got.open)).toEqual(Array.from(want.open))
  expect(Array.from(got.high)).toEqual(Array.from(want.high))
  expect(Array.from(got.low)).toEqual(Array.from(want.low))
  expect(Array.from(got.close)).toEqual(Array.from(want.close))
  for (let i = 0; i < want.volume.length; i++) expect(got.volume[i]!).toBeCloseTo(want.volume[i]!, 6)
}

describe('resample', () => {
  it('aggregates 1m into 5m by hand, leaving empty buckets out', () => {
    const t = Date.UTC(2025, 0, 1, 12, 0)
    const s = seriesFromRows([
      row(t + 1 * M, 10, 12, 9, 11, 1), // bucket 12:00 (starts at 12:01: first bar present)
      row(t + 3 * M, 11, 15, 10, 14, 2),
      row(t + 4 * M, 14, 14, 8, 9, 3),
      // 12:05 bucket entirely missing
      row(t + 10 * M, 9, 9, 9, 9, 0.5), // bucket 12:10
      row(t + 14 * M, 9, 10, 7, 8, 0.25),
    ])
    expect(rowsFromSeries(resample(s, '5m'))).toEqual([row(t, 10, 15, 8, 9, 6), row(t + 10 * M, 9, 10, 7, 8, 0.75)])
  })

  it('splits 1d buckets at 00:00 UTC (09:00 KST)', () => {
    const midnight = Date.UTC(2025, 5, 2)
    const s = seriesFromRows([
      row(midnight - 2 * M, 100, 101, 99, 100, 1),
      row(midnight - M, 100, 105, 100, 104, 1),
      row(midnight, 104, 104, 90, 95, 2),
      row(midnight + 9 * 3_600_000, 95, 96, 94, 96, 4),
    ])
    expect(rowsFromSeries(resample(s, '1d'))).toEqual([
      row(midnight - 86_400_000, 100, 105, 99, 104, 2),
      row(midnight, 104, 104, 90, 96, 6),
    ])
    // 240m buckets: 00:00, 04:00, 08:00 UTC (09:00, 13:00, 17:00 KST).
    expect(Array.from(resample(s, '240m').time)).toEqual([midnight - 4 * 3_600_000, midnight, midnight + 8 * 3_600_000])
  })

  it('returns a copy for the same timeframe and empty for empty input', () => {
    const s = seriesFromRows([row(0, 1, 2, 1, 2, 1)])
    const same = resample(s, '1m')
    expect(rowsFromSeries(same)).toEqual(rowsFromSeries(s))
    expect(same.close).not.toBe(s.close)
    expect(resample(seriesFromRows([]), '1d').time.length).toBe(0)
  })

  it('resampleFrom chains through intermediate timeframes and rejects non-multiples', () => {
    const origin = Date.UTC(2024, 0, 1)
    const m1 = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-XRP'], origin, origin + 3 * 86_400_000)
    const direct = resample(m1, '60m')
    const via = resampleFrom(resample(m1, '15m'), '15m', '60m')
    expect(direct.time.length).toBe(72)
    expectSameBars(via, direct)
    expectSameBars(resampleFrom(resample(m1, '3m'), '3m', '30m'), resample(m1, '30m'))
    expect(() => resampleFrom(m1, '3m', '5m')).toThrow(RangeError)
    expect(() => resampleFrom(m1, '5m', '1m')).toThrow(/not a multiple/)
  })

  it('equals the direct bucket computation on generated data for every timeframe', () => {
    const from = Date.UTC(2024, 0, 3, 7, 13)
    const m1 = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-DOGE'], from, from + 2 * 86_400_000 + 17 * M)
    for (const tf of TIMEFRAMES) {
      const got = resample(m1, tf)
      expect(rowsFromSeries(got)).toEqual(naiveResample(m1, TIMEFRAME_MS[tf]))
      expect(validateSeries(got, tf)).toEqual({ ok: true })
    }
  })
})
