// The candle store: candles in IndexedDB as columnar day chunks (one record per
// venue/market/timeframe/UTC day holding Float64Arrays, never one record per candle) plus a
// coverage index per series (which time ranges were downloaded completely, gaps included).
// Every key starts with the venue, so simulated and real candles never mix.
// A day record keeps its bar times as Int32 ms offsets from its UTC midnight (exact: a day is
// 86,400,000 ms < 2^31), not as Float64 epoch ms, and its prices as Int32 when every price of the
// day is a whole number that fits (PriceColumn): a full day of 1m bars is then about 40 KB (63 KB
// with fractional prices), under the 64 KiB above which Chromium's IndexedDB wraps a value into a
// blob kept beside the database. Measured on 90 days of 1m bars: 69 KB records read about 3×
// slower than 63 KB ones, and the read is most of a load. Records written before (a Float64
// `time` column, Float64 prices) are still read.
import type { DBSchema } from 'idb'
import {
  allocSeries,
  DAY_MS,
  findGaps,
  mergeSeries,
  sliceByTime,
  TIMEFRAME_MS,
  type CandleGap,
  type CandleSeries,
  type Timeframe,
} from '../../shared/candles/index.ts'
import { dayOf, splitByDay } from './days.ts'
import { openLabDb, type LabDb } from './open.ts'
import { clipRanges, totalLength, unionRanges, type TimeRange } from './ranges.ts'

export interface SeriesKey {
  readonly venue: string
  readonly market: string
  readonly timeframe: Timeframe
}

/**
 * A price column as stored: Int32Array when every price of the day is a whole number that fits
 * (KRW markets priced from 1 KRW up to 2^31 − 1), which makes a full day of 1m bars about 40 KB
 * instead of 63 KB; IndexedDB read time grows with the bytes (90 days of 1m bars: the read is
 * most of the load). Float64Array otherwise. Either reads back exactly.
 */
export type PriceColumn = Float64Array | Int32Array

/** One stored UTC day of a series. */
export interface DayRecord extends SeriesKey {
  readonly dayMs: number
  /** Bar open times as ms after dayMs. */
  readonly t?: Int32Array
  /** Bar open times as epoch ms: records written before `t` (read, never written any more). */
  readonly time?: Float64Array
  readonly open: PriceColumn
  readonly high: PriceColumn
  readonly low: PriceColumn
  readonly close: PriceColumn
  readonly volume: Float64Array
}

/** Whether every value is a whole number an Int32 holds exactly (not −0, not NaN). */
function fitsInt32(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    if ((x | 0) !== x || (x === 0 && 1 / x < 0)) return false
  }
  return true
}

/** A day's bars as a record: own copies of the columns (IndexedDB clones a view's whole buffer). */
export function toDayRecord(key: SeriesKey, dayMs: number, s: CandleSeries): DayRecord {
  const t = new Int32Array(s.time.length)
  for (let i = 0; i < t.length; i++) t[i] = s.time[i]! - dayMs
  const whole = fitsInt32(s.open) && fitsInt32(s.high) && fitsInt32(s.low) && fitsInt32(s.close)
  const price = (a: Float64Array): PriceColumn => (whole ? Int32Array.from(a) : a.slice())
  return {
    ...key,
    dayMs,
    t,
    open: price(s.open),
    high: price(s.high),
    low: price(s.low),
    close: price(s.close),
    volume: s.volume.slice(),
  }
}

const asFloat64 = (a: PriceColumn): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a))

/** Bar open times of a record as epoch ms. */
function timesOf(r: DayRecord): Float64Array {
  if (r.time !== undefined) return r.time
  const t = r.t ?? new Int32Array(0)
  const out = new Float64Array(t.length)
  for (let i = 0; i < t.length; i++) out[i] = r.dayMs + t[i]!
  return out
}

/** A record's bars as a series (views of its Float64 columns, copies of Int32 ones). */
export function fromDayRecord(r: DayRecord): CandleSeries {
  return {
    time: timesOf(r),
    open: asFloat64(r.open),
    high: asFloat64(r.high),
    low: asFloat64(r.low),
    close: asFloat64(r.close),
    volume: r.volume,
  }
}

/** First index whose time is at or after `ms` in a record (time ascending). */
function firstAtOrAfter(r: DayRecord, ms: number): number {
  const a = r.t ?? r.time ?? new Int32Array(0)
  const base = r.t !== undefined ? r.dayMs : 0
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (base + a[mid]! < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The bars of [fromMs, toMs) of day records (ascending, disjoint days) as one series: one
 * allocation of the result, each column filled in place (no intermediate slices or copies).
 */
export function concatRecords(records: readonly DayRecord[], fromMs: number, toMs: number): CandleSeries {
  const cuts = new Int32Array(2 * records.length)
  let n = 0
  records.forEach((r, k) => {
    cuts[2 * k] = firstAtOrAfter(r, fromMs)
    cuts[2 * k + 1] = firstAtOrAfter(r, toMs)
    n += cuts[2 * k + 1]! - cuts[2 * k]!
  })
  const out = allocSeries(n)
  let at = 0
  records.forEach((r, k) => {
    const a = cuts[2 * k]!
    const b = cuts[2 * k + 1]!
    if (b <= a) return
    if (r.t !== undefined) {
      const t = r.t
      const day = r.dayMs
      for (let i = a; i < b; i++) out.time[at + i - a] = day + t[i]!
    } else if (r.time !== undefined) out.time.set(r.time.subarray(a, b), at)
    out.open.set(r.open.subarray(a, b), at)
    out.high.set(r.high.subarray(a, b), at)
    out.low.set(r.low.subarray(a, b), at)
    out.close.set(r.close.subarray(a, b), at)
    out.volume.set(r.volume.subarray(a, b), at)
    at += b - a
  })
  return out
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
        const merged = old === undefined ? part.series : mergeSeries(fromDayRecord(old), part.series).series
        await days.put(toDayRecord(key, part.dayMs, merged))
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
   * slower for 3 months of 1m days (90 records of about 64 KB). Small records come with one getAll.
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
      const series = concatRecords(records, fromMs, toMs)
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
  /**
   * What is stored, series by series, without loading the candles: every (venue, market,
   * timeframe) that has day records or a coverage entry, with its coverage ranges, its day-record
   * count and an estimate of its bytes. One read-only transaction: the coverage index (small) and
   * the keys of every day record (a key-only read, no values), grouped by series.
   *
   * Bytes are the typed-array byteLengths of the day records' columns (what the candles weigh;
   * the browser adds its own per-record overhead on disk). A series of at most
   * EXACT_SIZE_BARS bar slots (about 2 MB: 34 days of 1m, years of 1h) has every record read
   * through a cursor over that series only, so its size is exact. A larger one reads
   * SIZE_SAMPLE_DAYS records spread evenly over its days and scales their mean by the day count
   * (`sizeExact: false`): reading every value of a year of 1m bars (about 20 MB) would take
   * Chromium around a second, the sample a few milliseconds.
   */
  async summary(): Promise<StoredSeries[]> {
    return this.handle.guard(async (db) => {
      const tx = db.transaction(['days', 'coverage'], 'readonly')
      const [coverage, keys] = await Promise.all([tx.objectStore('coverage').getAll(), tx.objectStore('days').getAllKeys()])
      const groups = new Map<string, { key: SeriesKey; days: number[]; ranges: TimeRange[] }>()
      const group = (venue: string, market: string, timeframe: string): { key: SeriesKey; days: number[]; ranges: TimeRange[] } => {
        const id = JSON.stringify([venue, market, timeframe])
        let g = groups.get(id)
        if (g === undefined) {
          g = { key: { venue, market, timeframe: timeframe as Timeframe }, days: [], ranges: [] }
          groups.set(id, g)
        }
        return g
      }
      for (const [venue, market, timeframe, dayMs] of keys) group(venue, market, timeframe).days.push(dayMs)
      for (const c of coverage) group(c.venue, c.market, c.timeframe).ranges = c.ranges
      const days = tx.objectStore('days')
      const out = await Promise.all(
        [...groups.values()].map(async ({ key, days: dayList, ranges }): Promise<StoredSeries> => {
          const count = dayList.length
          const slotsPerDay = TIMEFRAME_MS[key.timeframe] > 0 ? DAY_MS / TIMEFRAME_MS[key.timeframe] : 0
          let bytes = 0
          let sizeExact = true
          if (count === 0) bytes = 0
          else if (count * slotsPerDay <= EXACT_SIZE_BARS || count <= SIZE_SAMPLE_DAYS) {
            let cursor = await days.openCursor(IDBKeyRange.bound(dayKey(key, -Infinity), dayKey(key, Infinity)))
            while (cursor !== null) {
              bytes += recordBytes(cursor.value)
              cursor = await cursor.continue()
            }
          } else {
            sizeExact = false
            const picks = Array.from({ length: SIZE_SAMPLE_DAYS }, (_, i) => dayList[Math.floor(((i + 0.5) * count) / SIZE_SAMPLE_DAYS)]!)
            const sample = await Promise.all(picks.map((d) => days.get(dayKey(key, d))))
            const sizes = sample.filter((r): r is DayRecord => r !== undefined).map(recordBytes)
            bytes = sizes.length > 0 ? Math.round((sizes.reduce((a, b) => a + b, 0) / sizes.length) * count) : 0
          }
          return {
            ...key,
            ranges,
            dayCount: count,
            firstDayMs: count > 0 ? dayList[0]! : null,
            lastDayMs: count > 0 ? dayList[count - 1]! : null,
            bytes,
            sizeExact,
          }
        }),
      )
      await tx.done
      const tfMs = (tf: string): number => TIMEFRAME_MS[tf as Timeframe] ?? Infinity
      return out.sort((a, b) => a.venue.localeCompare(b.venue) || a.market.localeCompare(b.market) || tfMs(a.timeframe) - tfMs(b.timeframe))
    })
  }
}

/** A series of at most this many bar slots (days × slots per day) has its size read exactly. */
const EXACT_SIZE_BARS = 50_000
/** Day records read to estimate the size of a larger series. */
const SIZE_SAMPLE_DAYS = 12

/** Bytes of a day record's columns (typed-array byteLengths). */
function recordBytes(r: DayRecord): number {
  return (
    (r.t?.byteLength ?? 0) +
    (r.time?.byteLength ?? 0) +
    r.open.byteLength +
    r.high.byteLength +
    r.low.byteLength +
    r.close.byteLength +
    r.volume.byteLength
  )
}

/** One stored series as the storage summary lists it (no candle data). */
export interface StoredSeries extends SeriesKey {
  /** Its coverage index: union-normalised [fromMs, toMs) ranges downloaded completely. */
  readonly ranges: readonly TimeRange[]
  /** How many UTC-day records it has. */
  readonly dayCount: number
  /** UTC midnight of its first and last day record (null when it has none). */
  readonly firstDayMs: number | null
  readonly lastDayMs: number | null
  /** Bytes of its candle columns: exact, or estimated from a sample of days (`sizeExact` false). */
  readonly bytes: number
  readonly sizeExact: boolean
}

/** What the browser says this site uses and may use (navigator.storage.estimate), when it says. */
export interface StorageUsage {
  readonly usage: number
  readonly quota: number
}

/** The browser's storage estimate for this site, or null where there is none (or it fails). */
export async function storageEstimate(): Promise<StorageUsage | null> {
  try {
    const est = await globalThis.navigator?.storage?.estimate?.()
    if (est === undefined || typeof est.usage !== 'number' || typeof est.quota !== 'number') return null
    return { usage: est.usage, quota: est.quota }
  } catch {
    return null
  }
}

const alignUp = (ms: number, tf: Timeframe): number => Math.ceil(ms / TIMEFRAME_MS[tf]) * TIMEFRAME_MS[tf]
