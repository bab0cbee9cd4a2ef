// The candle store's summary: every stored series with its coverage, day count and size, read
// without loading candles for the caller (exact for small series, from a sample of days for large
// ones), venues kept apart, and a cleared series gone from it.
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { DAY_MS, MINUTE_MS } from '../../../shared/candles/index.ts'
import { CandleStore, storageEstimate } from '../../../lab/candles/index.ts'
import { minutes } from './fixtures.ts'

const DAY0 = Date.UTC(2024, 6, 1)
const HOUR_MS = 60 * MINUTE_MS
let n = 0
const stores: CandleStore[] = []
const open = async (): Promise<CandleStore> => {
  const s = await CandleStore.open(`summary-test-${n++}`)
  stores.push(s)
  return s
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

/** `count` bars every `stepMs` from `t0`, whole prices (stored as Int32: 28 bytes a bar). */
const bars = (t0: number, stepMs: number, count: number): ReturnType<typeof minutes> =>
  minutes(
    t0,
    Array.from({ length: count }, (_, i) => (i * stepMs) / MINUTE_MS),
  )

describe('CandleStore.summary', () => {
  it('is empty for an empty store', async () => {
    const store = await open()
    expect(await store.summary()).toEqual([])
  })

  it('lists each series with its coverage, days and exact size', async () => {
    const store = await open()
    const btc = { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' } as const
    const eth = { venue: 'upbit', market: 'KRW-ETH', timeframe: '60m' } as const
    // 3 days of 1m, 10 bars a day; coverage [DAY0, DAY0 + 3d).
    for (let d = 0; d < 3; d++)
      await store.putWindow(btc, bars(DAY0 + d * DAY_MS, MINUTE_MS, 10), DAY0 + d * DAY_MS, DAY0 + (d + 1) * DAY_MS)
    // 2 days of 60m (48 bars) with fractional prices (Float64: 44 bytes a bar), then a later window: two ranges.
    const frac = bars(DAY0, HOUR_MS, 48)
    frac.close[0] = 100.5
    frac.open[0] = 100.5
    await store.putWindow(eth, frac, DAY0, DAY0 + 2 * DAY_MS)
    await store.putWindow(eth, bars(DAY0 + 5 * DAY_MS, HOUR_MS, 3), DAY0 + 5 * DAY_MS, DAY0 + 5 * DAY_MS + 3 * HOUR_MS)

    const list = await store.summary()
    expect(list.map((s) => [s.venue, s.market, s.timeframe])).toEqual([
      ['sim', 'KRW-BTC', '1m'],
      ['upbit', 'KRW-ETH', '60m'],
    ])
    const [a, b] = list as [(typeof list)[0], (typeof list)[0]]
    expect(a).toMatchObject({
      dayCount: 3,
      firstDayMs: DAY0,
      lastDayMs: DAY0 + 2 * DAY_MS,
      ranges: [[DAY0, DAY0 + 3 * DAY_MS]],
      sizeExact: true,
    })
    expect(a.bytes).toBe(30 * 28)
    expect(b).toMatchObject({ dayCount: 3, firstDayMs: DAY0, lastDayMs: DAY0 + 5 * DAY_MS, sizeExact: true })
    expect(b.ranges).toEqual([
      [DAY0, DAY0 + 2 * DAY_MS],
      [DAY0 + 5 * DAY_MS, DAY0 + 5 * DAY_MS + 3 * HOUR_MS],
    ])
    // Day 1 has a fractional price (Float64 prices), day 2 and the later day are whole (Int32).
    expect(b.bytes).toBe(24 * 44 + 24 * 28 + 3 * 28)

    await store.clear(btc)
    expect((await store.summary()).map((s) => s.market)).toEqual(['KRW-ETH'])
  })

  it('estimates a large series from a sample of its days', async () => {
    const store = await open()
    const key = { venue: 'sim', market: 'KRW-XRP', timeframe: '1m' } as const
    // 40 days of 1m is 57,600 bar slots: above the exact-read limit. 5 bars a day.
    const days = 40
    const offs: number[] = []
    for (let d = 0; d < days; d++) for (let i = 0; i < 5; i++) offs.push(d * 1440 + i)
    await store.putWindow(key, minutes(DAY0, offs), DAY0, DAY0 + days * DAY_MS)
    const [s] = await store.summary()
    expect(s).toMatchObject({ dayCount: days, sizeExact: false })
    expect(s!.bytes).toBe(days * 5 * 28)
  })

  it('reports the browser estimate, or null where there is none', async () => {
    const est = await storageEstimate()
    expect(est === null || (typeof est.usage === 'number' && typeof est.quota === 'number')).toBe(true)
  })
})
