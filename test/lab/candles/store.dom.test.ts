// The candle store over fake-indexeddb: one record per UTC day, coverage, overlapping windows
// merged without duplicates, venues isolated, ranges loaded into Float64Array columns; day
// records keep times as Int32 offsets and whole prices as Int32 columns, read back exactly.
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { DAY_MS, MINUTE_MS } from '../../../shared/candles/index.ts'
import { CandleStore, subtractRanges, unionRanges, clipRanges, splitByDay } from '../../../lab/candles/index.ts'
import { concatRecords, fromDayRecord, toDayRecord, type DayRecord } from '../../../lab/candles/store.ts'
import { minutes } from './fixtures.ts'

const DAY0 = Date.UTC(2024, 6, 1)
const key = { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' } as const
let n = 0
const stores: CandleStore[] = []
const open = async (): Promise<CandleStore> => {
  const s = await CandleStore.open(`candles-test-${n++}`)
  stores.push(s)
  return s
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('time ranges', () => {
  it('unions, subtracts and clips half-open ranges', () => {
    expect(
      unionRanges([
        [5, 7],
        [0, 2],
        [2, 3],
        [6, 9],
        [10, 10],
      ]),
    ).toEqual([
      [0, 3],
      [5, 9],
    ])
    expect(
      subtractRanges(
        [0, 10],
        [
          [2, 3],
          [5, 12],
        ],
      ),
    ).toEqual([
      [0, 2],
      [3, 5],
    ])
    expect(subtractRanges([0, 10], [])).toEqual([[0, 10]])
    expect(subtractRanges([4, 6], [[0, 10]])).toEqual([])
    expect(
      clipRanges(
        [
          [0, 3],
          [5, 9],
        ],
        [2, 6],
      ),
    ).toEqual([
      [2, 3],
      [5, 6],
    ])
  })
})

describe('CandleStore', () => {
  it('splits a window that crosses midnight into one record per UTC day', async () => {
    const s = await open()
    const t0 = DAY0 + DAY_MS - 3 * MINUTE_MS // three bars before midnight, three after
    const bars = minutes(t0, [0, 1, 2, 3, 4, 5])
    expect(splitByDay(bars).map((p) => p.dayMs)).toEqual([DAY0, DAY0 + DAY_MS])
    await s.putWindow(key, bars, t0, t0 + 6 * MINUTE_MS)
    expect(await s.dayCount(key)).toBe(2)
    expect(await s.coverage(key)).toEqual([[t0, t0 + 6 * MINUTE_MS]])
  })

  it('merges overlapping windows: one bar per time, the newer download wins, coverage is one range', async () => {
    const s = await open()
    await s.putWindow(key, minutes(DAY0, [0, 1, 2, 3]), DAY0, DAY0 + 4 * MINUTE_MS)
    await s.putWindow(key, minutes(DAY0, [2, 3, 4, 5], 0.5), DAY0 + 2 * MINUTE_MS, DAY0 + 6 * MINUTE_MS)
    const r = await s.load(key, DAY0, DAY0 + 6 * MINUTE_MS)
    expect(Array.from(r.series.time)).toEqual([0, 1, 2, 3, 4, 5].map((m) => DAY0 + m * MINUTE_MS))
    expect(Array.from(r.series.close)).toEqual([100, 101, 102.5, 103.5, 104.5, 105.5])
    expect(r.covered).toEqual([[DAY0, DAY0 + 6 * MINUTE_MS]])
    expect(await s.dayCount(key)).toBe(1)
  })

  it('keeps venues (and markets, timeframes) apart', async () => {
    const s = await open()
    await s.putWindow(key, minutes(DAY0, [0, 1]), DAY0, DAY0 + 2 * MINUTE_MS)
    const real = { ...key, venue: 'upbit' }
    expect(await s.coverage(real)).toEqual([])
    expect((await s.load(real, DAY0, DAY0 + DAY_MS)).series.time.length).toBe(0)
    await s.putWindow(real, minutes(DAY0, [0], 1000), DAY0, DAY0 + MINUTE_MS)
    expect(Array.from((await s.load(key, DAY0, DAY0 + DAY_MS)).series.close)).toEqual([100, 101])
    expect(Array.from((await s.load(real, DAY0, DAY0 + DAY_MS)).series.close)).toEqual([1100])
    expect((await s.load({ ...key, market: 'KRW-ETH' }, DAY0, DAY0 + DAY_MS)).series.time.length).toBe(0)
    expect((await s.load({ ...key, timeframe: '5m' }, DAY0, DAY0 + DAY_MS)).series.time.length).toBe(0)
  })

  it('loads a multi-day range into Float64Array columns, with gaps and coverage of the range', async () => {
    const s = await open()
    // Two days of 1m bars with minute 10 of day 1 missing (no trades), stored in 200-bar windows.
    for (let a = DAY0; a < DAY0 + 2 * DAY_MS; a += 200 * MINUTE_MS) {
      const b = Math.min(DAY0 + 2 * DAY_MS, a + 200 * MINUTE_MS)
      const offs: number[] = []
      for (let t = a; t < b; t += MINUTE_MS) if (t !== DAY0 + DAY_MS + 10 * MINUTE_MS) offs.push((t - DAY0) / MINUTE_MS)
      await s.putWindow(key, minutes(DAY0, offs), a, b)
    }
    const from = DAY0 + 12 * 60 * MINUTE_MS
    const to = DAY0 + 3 * DAY_MS // a day beyond what is stored
    const r = await s.load(key, from, to)
    expect(r.series.time).toBeInstanceOf(Float64Array)
    expect(r.series.close).toBeInstanceOf(Float64Array)
    expect(r.series.time.length).toBe(36 * 60 - 1)
    expect(r.series.time[0]).toBe(from)
    expect(r.covered).toEqual([[from, DAY0 + 2 * DAY_MS]])
    expect(r.coveredFraction).toBeCloseTo(36 / 60, 10)
    expect(r.gaps).toHaveLength(1)
    expect(r.missingBars).toBe(1)
    expect(await s.dayCount(key)).toBe(2)
  })

  it('stores a window without bars as covered (a quiet stretch is known, not missing)', async () => {
    const s = await open()
    await s.putWindow(key, minutes(DAY0, []), DAY0, DAY0 + 10 * MINUTE_MS)
    const r = await s.load(key, DAY0, DAY0 + 10 * MINUTE_MS)
    expect(r.coveredFraction).toBe(1)
    expect(r.missingBars).toBe(10)
    expect(await s.dayCount(key)).toBe(0)
  })

  it('clear forgets a series and nothing else', async () => {
    const s = await open()
    await s.putWindow(key, minutes(DAY0, [0]), DAY0, DAY0 + MINUTE_MS)
    await s.putWindow({ ...key, venue: 'upbit' }, minutes(DAY0, [0]), DAY0, DAY0 + MINUTE_MS)
    await s.clear(key)
    expect(await s.coverage(key)).toEqual([])
    expect(await s.dayCount(key)).toBe(0)
    expect(await s.dayCount({ ...key, venue: 'upbit' })).toBe(1)
  })

  it('a day record keeps times as Int32 offsets: a full day of 1m bars stays under 64 KiB (Chromium keeps it inline)', () => {
    const day = minutes(
      DAY0,
      Array.from({ length: 1440 }, (_, i) => i),
    )
    const r = toDayRecord(key, DAY0, day)
    expect(r.time).toBeUndefined()
    expect(Array.from(r.t!.slice(0, 3))).toEqual([0, MINUTE_MS, 2 * MINUTE_MS])
    // Fractional prices (Float64 columns), the larger case: the key fields and the clone's
    // framing are a few hundred bytes more.
    const frac = toDayRecord(key, DAY0, { ...day, close: day.close.map((x) => x + 0.5) })
    const bytes = [frac.t!, frac.open, frac.high, frac.low, frac.close, frac.volume].reduce((n, a) => n + a.byteLength, 0)
    expect(bytes).toBeLessThan(64 * 1024 - 1024)
    expect(fromDayRecord(r)).toEqual(day)
  })

  it('whole prices that fit an Int32 are stored as Int32 columns (a day of 1m bars about 40 KB); anything else stays Float64; both read back exactly', async () => {
    const day = minutes(
      DAY0,
      Array.from({ length: 1440 }, (_, i) => i),
    )
    const whole = toDayRecord(key, DAY0, day)
    for (const c of [whole.open, whole.high, whole.low, whole.close]) expect(c).toBeInstanceOf(Int32Array)
    expect(whole.volume).toBeInstanceOf(Float64Array)
    const bytes = [whole.t!, whole.open, whole.high, whole.low, whole.close, whole.volume].reduce((n, a) => n + a.byteLength, 0)
    expect(bytes).toBe(1440 * (4 + 4 * 4 + 8))
    expect(fromDayRecord(whole)).toEqual(day)
    // One price that an Int32 cannot hold exactly keeps the whole day in Float64.
    for (const odd of [0.5, 2 ** 31, -(2 ** 31) - 1, -0, NaN, 1e-9]) {
      const close = day.close.slice()
      close[700] = odd
      const r = toDayRecord(key, DAY0, { ...day, close })
      expect(r.open, String(odd)).toBeInstanceOf(Float64Array)
      expect(Object.is(fromDayRecord(r).close[700], odd)).toBe(true)
    }
    // 2^31 − 1 and −2^31 still fit.
    const edge = day.close.slice()
    edge[1] = 2 ** 31 - 1
    edge[2] = -(2 ** 31)
    const r = toDayRecord(key, DAY0, { ...day, close: edge })
    expect(r.close).toBeInstanceOf(Int32Array)
    expect(Array.from(fromDayRecord(r).close.slice(0, 3))).toEqual([100, 2 ** 31 - 1, -(2 ** 31)])
    // Through the store: an Int32 day beside a Float64 day load as one exact Float64 series.
    const s = await open()
    await s.putWindow(key, minutes(DAY0, [0, 1, 2]), DAY0, DAY0 + 3 * MINUTE_MS)
    await s.putWindow(key, minutes(DAY0 + DAY_MS, [0, 1], 0.25), DAY0 + DAY_MS, DAY0 + DAY_MS + 2 * MINUTE_MS)
    const loaded = await s.load(key, DAY0, DAY0 + 2 * DAY_MS)
    expect(loaded.series.close).toBeInstanceOf(Float64Array)
    expect(Array.from(loaded.series.close)).toEqual([100, 101, 102, 100.25, 101.25])
    expect(Array.from(loaded.series.low)).toEqual([99, 100, 101, 99.25, 100.25])
  })

  it('reads and merges day records written before the offsets (Float64 epoch times)', async () => {
    const name = `candles-test-${n++}`
    const s = await CandleStore.open(name)
    stores.push(s)
    await s.putWindow(key, minutes(DAY0, [0]), DAY0, DAY0 + MINUTE_MS)
    // Overwrite the day with a record of the old layout, as an older lab stored it.
    const old: DayRecord = { ...key, dayMs: DAY0, ...minutes(DAY0, [0, 1, 2]) }
    await new Promise<void>((resolve, reject) => {
      const q = indexedDB.open(name)
      q.onsuccess = () => {
        const tx = q.result.transaction('days', 'readwrite')
        tx.objectStore('days').put(old)
        tx.oncomplete = () => (q.result.close(), resolve())
        tx.onerror = () => reject(tx.error)
      }
    })
    expect(Array.from((await s.load(key, DAY0, DAY0 + 3 * MINUTE_MS)).series.close)).toEqual([100, 101, 102])
    await s.putWindow(key, minutes(DAY0, [2, 3], 0.5), DAY0 + 2 * MINUTE_MS, DAY0 + 4 * MINUTE_MS)
    const r = await s.load(key, DAY0, DAY0 + 4 * MINUTE_MS)
    expect(Array.from(r.series.time)).toEqual([0, 1, 2, 3].map((m) => DAY0 + m * MINUTE_MS))
    expect(Array.from(r.series.close)).toEqual([100, 101, 102.5, 103.5])
  })

  it('concatRecords cuts and joins days exactly as slicing each day and concatenating would', () => {
    const days = [0, 1, 3].map((d) => DAY0 + d * DAY_MS)
    const records: DayRecord[] = days.map((dayMs, k) =>
      k === 1 ? { ...key, dayMs, ...minutes(dayMs, [0, 5, 1439]) } : toDayRecord(key, dayMs, minutes(dayMs, [0, 1, 700, 1439])),
    )
    for (const [a, b] of [
      [DAY0, DAY0 + 4 * DAY_MS],
      [DAY0 + MINUTE_MS, DAY0 + DAY_MS + 5 * MINUTE_MS],
      [DAY0 + 2 * DAY_MS, DAY0 + 3 * DAY_MS],
      [DAY0 + 700 * MINUTE_MS, DAY0 + 3 * DAY_MS + MINUTE_MS],
    ] as const) {
      const want = records.flatMap((r) => {
        const s = fromDayRecord(r)
        return Array.from(s.time.keys())
          .filter((i) => s.time[i]! >= a && s.time[i]! < b)
          .map((i) => [s.time[i]!, s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!])
      })
      const got = concatRecords(records, a, b)
      expect(
        Array.from(got.time.keys()).map((i) => [got.time[i]!, got.open[i]!, got.high[i]!, got.low[i]!, got.close[i]!, got.volume[i]!]),
      ).toEqual(want)
    }
  })
})
