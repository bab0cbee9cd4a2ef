// The candle store: candles in IndexedDB as columnar day chunks (one record per
// venue/market/timeframe/UTC day holding Float64Arrays, never one record per candle) plus a
// coverage index per series (which time ranges were downloaded completely, gaps included).
// Every key starts with the venue, so simulated and real candles never mix.
import type { DBSchema } from 'idb'
import {
  allocSeries,
  concatSeries,
  DAY_MS,
  findGaps,
  mergeSeries,
  sliceByTime,
  TIMEFRAME_MS,
  type CandleGap,
  type CandleSeries,
  type Timeframe,
} from '../../shared/candles/index.ts'
import { compactSeries, dayOf, splitByDay } from './days.ts'
import { openLabDb, type LabDb } from './open.ts'
import { clipRanges, totalLength, unionRanges, type TimeRange } from './ranges.ts'

export interface SeriesKey {
  readonly venue: string
  readonly market: string
  readonly timeframe: Timeframe
}

export interface DayRecord extends SeriesKey, CandleSeries {
  readonly dayMs: number
}

export interface CoverageRecord extends SeriesKey {
  /** Union-normalised [fromMs, toMs) ranges known complete (a missing bar inside is a real gap). */
  readonly ranges: TimeRange[]
  readonly updatedMs: number
}

interface CandleSchema extends DBSchema {
  days: { key: [string, string, string, number]; value: DayRecord }
  coverage: { key: [string, string, string]; value: CoverageRecord }
}

export const CANDLE_DB = 'upbit-lab-candles'
export const CANDLE_DB_VERSION = 1

export interface LoadedRange {
  readonly series: CandleSeries
  /** Covered parts of the requested range. */
  readonly covered: TimeRange[]
  /** Share of the requested range that is covered, 0..1. */
  readonly coveredFraction: number
  /** Bar slots without a candle inside the covered parts (minutes without trades). */
  readonly gaps: CandleGap[]
  readonly missingBars: number
}

const dayKey = (k: SeriesKey, dayMs: number): [string, string, string, number] => [k.venue, k.market, k.timeframe, dayMs]
const seriesKey = (k: SeriesKey): [string, string, string] => [k.venue, k.market, k.timeframe]

export class CandleStore {
  private constructor(private readonly handle: LabDb<CandleSchema>) {}

  static async open(name = CANDLE_DB): Promise<CandleStore> {
    const handle = await openLabDb<CandleSchema>(name, CANDLE_DB_VERSION, (db) => {
      db.createObjectStore('days', { keyPath: ['venue', 'market', 'timeframe', 'dayMs'] })
      db.createObjectStore('coverage', { keyPath: ['venue', 'market', 'timeframe'] })
    })
    return new CandleStore(handle)
  }

  close(): void {
    this.handle.close()
  }

  async coverage(key: SeriesKey): Promise<TimeRange[]> {
    return this.handle.guard(async (db) => (await db.get('coverage', seriesKey(key)))?.ranges ?? [])
  }

  /**
   * Stores one downloaded window: its bars (merged into the day records they fall in, a repeated
   * bar replaced, never duplicated) and [fromMs, toMs) as covered. One transaction, so coverage
   * never claims bars that were not written.
   */
  async putWindow(key: SeriesKey, series: CandleSeries, fromMs: number, toMs: number, nowMs = Date.now()): Promise<void> {
    await this.handle.guard(async (db) => {
      const tx = db.transaction(['days', 'coverage'], 'readwrite')
      const days = tx.objectStore('days')
      for (const part of splitByDay(series)) {
        const old = await days.get(dayKey(key, part.dayMs))
        const merged = old === undefined ? part.series : mergeSeries(old, part.series).series
        await days.put({ ...key, dayMs: part.dayMs, ...compactSeries(merged) })
      }
      const cov = tx.objectStore('coverage')
      const prev = (await cov.get(seriesKey(key)))?.ranges ?? []
      if (toMs > fromMs) await cov.put({ ...key, ranges: unionRanges([...prev, [fromMs, toMs]]), updatedMs: nowMs })
      await tx.done
    })
  }

  /**
   * Bars of [fromMs, toMs) as one columnar series (typed-array copies, no per-candle objects).
   * Day records of many bars (5m and finer: 14 KB and up) are read with one get per day, all in
   * flight at once: Chromium answers a getAll of megabytes as one message and was measured 2-4×
   * slower for 3 months of 1m days (90 × 69 KB). Small records come with one getAll.
   */
  async load(key: SeriesKey, fromMs: number, toMs: number): Promise<LoadedRange> {
    return this.handle.guard(async (db) => {
      const tx = db.transaction(['days', 'coverage'], 'readonly')
      const days = tx.objectStore('days')
      const first = dayOf(fromMs)
      const last = dayOf(toMs - 1)
      const perDay = toMs > fromMs && DAY_MS / TIMEFRAME_MS[key.timeframe] >= 288
      const read: Promise<(DayRecord | undefined)[]> = perDay
        ? Promise.all(Array.from({ length: (last - first) / DAY_MS + 1 }, (_, i) => days.get(dayKey(key, first + i * DAY_MS))))
        : days.getAll(IDBKeyRange.bound(dayKey(key, first), dayKey(key, last)))
      const [found, cov] = await Promise.all([read, tx.objectStore('coverage').get(seriesKey(key))])
      await tx.done
      const records = found.filter((r): r is DayRecord => r !== undefined)
      const parts = records.map((r) => sliceByTime(r, fromMs, toMs))
      const series = parts.length === 0 ? allocSeries(0) : concatSeries(parts)
      const covered = clipRanges(cov?.ranges ?? [], [fromMs, toMs])
      const gaps = covered.flatMap(([a, b]) =>
        findGaps(sliceByTime(series, a, b), key.timeframe, { fromMs: alignUp(a, key.timeframe), toMs: b }),
      )
      return {
        series,
        covered,
        coveredFraction: toMs > fromMs ? totalLength(covered) / (toMs - fromMs) : 0,
        gaps,
        missingBars: gaps.reduce((n, g) => n + g.missingBars, 0),
      }
    })
  }

  /** Forgets a whole series (its day records and coverage), e.g. to free space. */
  async clear(key: SeriesKey): Promise<void> {
    await this.handle.guard(async (db) => {
      const tx = db.transaction(['days', 'coverage'], 'readwrite')
      await tx.objectStore('days').delete(IDBKeyRange.bound(dayKey(key, -Infinity), dayKey(key, Infinity)))
      await tx.objectStore('coverage').delete(seriesKey(key))
      await tx.done
    })
  }

  /** How many day records a series has (tests and the storage summary). */
  async dayCount(key: SeriesKey): Promise<number> {
    return this.handle.guard((db) => db.count('days', IDBKeyRange.bound(dayKey(key, -Infinity), dayKey(key, Infinity))))
  }
}

const alignUp = (ms: number, tf: Timeframe): number => Math.ceil(ms / TIMEFRAME_MS[tf]) * TIMEFRAME_MS[tf]
