import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { START_MS, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
beforeAll(async () => {
  // KRW-DOGE has no-trade minutes (5%), so gaps exist in one day of history.
  venue = await startTestVenue({ markets: ['KRW-BTC', 'KRW-DOGE'], enforceRateLimits: false })
})
afterAll(() => venue.close())

const get = async (path: string): Promise<Json[]> => {
  const res = await fetch(`${venue.url}${path}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Json[]
}

describe('sim venue quotation API', () => {
  it('lists markets, with market_event only when asked', async () => {
    const plain = await get('/v1/market/all')
    expect(plain.map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-DOGE'])
    expect(plain[0]).not.toHaveProperty('market_event')
    const detailed = await get('/v1/market/all?is_details=true')
    expect(detailed[0]!.market_event).toMatchObject({ warning: false })
  })

  it('pages minute candles newest first with `to` exclusive, in every time format', async () => {
    const a = await get('/v1/candles/minutes/1?market=KRW-BTC&to=2025-07-01T12%3A00%3A00Z&count=3')
    expect(a.map((c) => c.candle_date_time_utc)).toEqual(['2025-07-01T11:59:00', '2025-07-01T11:58:00', '2025-07-01T11:57:00'])
    expect(a[0]).toMatchObject({ market: 'KRW-BTC', candle_date_time_kst: '2025-07-01T20:59:00', unit: 1 })
    expect(await get('/v1/candles/minutes/1?market=KRW-BTC&to=2025-07-01%2012%3A00%3A00&count=3')).toEqual(a)
    expect(await get('/v1/candles/minutes/1?market=KRW-BTC&to=2025-07-01T21%3A00%3A00%2B09%3A00&count=3')).toEqual(a)
    const next = await get(
      `/v1/candles/minutes/1?market=KRW-BTC&to=${encodeURIComponent(`${a[2]!.candle_date_time_utc as string}Z`)}&count=2`,
    )
    expect(next.map((c) => c.candle_date_time_utc)).toEqual(['2025-07-01T11:56:00', '2025-07-01T11:55:00'])
    expect((await get('/v1/candles/minutes/1?market=KRW-BTC&count=1000')).length).toBe(200)
  })

  it('makes no candle for a minute without trades', async () => {
    const rows = await get('/v1/candles/minutes/1?market=KRW-DOGE&count=200&to=2025-07-01T12%3A00%3A00Z')
    const times = rows.map((c) => Date.parse(`${c.candle_date_time_utc as string}Z`))
    const gaps = times.slice(1).filter((t, i) => times[i]! - t > 60_000)
    expect(gaps.length).toBeGreaterThan(0)
    for (const c of rows) expect(c.candle_acc_trade_volume as number).toBeGreaterThan(0)
  })

  it('shows only the part of the current minute that has traded', async () => {
    // At 12:00:30 only the prints at :07 and :21 of the 12:00 minute exist.
    const [cur] = await get('/v1/candles/minutes/1?market=KRW-BTC')
    expect(cur!.candle_date_time_utc).toBe('2025-07-01T12:00:00')
    expect(cur!.timestamp).toBe(START_MS - 30_000 + 21_487)
    const ticks = await get('/v1/trades/ticks?market=KRW-BTC&count=2')
    expect(ticks.map((t) => t.timestamp)).toEqual([START_MS - 30_000 + 21_487, START_MS - 30_000 + 7_113])
    const vol = (ticks[0]!.trade_volume as number) + (ticks[1]!.trade_volume as number)
    expect(cur!.candle_acc_trade_volume).toBeCloseTo(vol, 8)
  })

  it('aggregates higher units from the trades', async () => {
    const [five] = await get('/v1/candles/minutes/5?market=KRW-BTC&to=2025-07-01T12%3A00%3A00Z')
    const ones = await get('/v1/candles/minutes/1?market=KRW-BTC&to=2025-07-01T12%3A00%3A00Z&count=5')
    expect(five!.candle_date_time_utc).toBe('2025-07-01T11:55:00')
    expect(five!.opening_price).toBe(ones[4]!.opening_price)
    expect(five!.trade_price).toBe(ones[0]!.trade_price)
    expect(five!.high_price).toBe(Math.max(...ones.map((c) => c.high_price as number)))
    expect(five!.candle_acc_trade_volume).toBeCloseTo(
      ones.reduce((s, c) => s + (c.candle_acc_trade_volume as number), 0),
      7,
    )
    const days = await get('/v1/candles/days?market=KRW-BTC&count=2')
    expect(days[0]).toHaveProperty('prev_closing_price')
  })

  it('answers Upbit quotation errors with numeric names', async () => {
    const unit = await fetch(`${venue.url}/v1/candles/minutes/7?market=KRW-BTC`)
    expect(unit.status).toBe(400)
    expect(await unit.json()).toEqual({ error: { name: 400, message: 'specified unit is not valid.' } })
    const nope = await fetch(`${venue.url}/v1/ticker?markets=KRW-NOPE`)
    expect(nope.status).toBe(404)
    expect(await nope.json()).toEqual({ error: { name: 404, message: 'Code not found' } })
  })

  it('derives ticker and orderbook from the last trade', async () => {
    const [t] = await get('/v1/ticker?markets=KRW-BTC')
    const [last] = await get('/v1/trades/ticks?market=KRW-BTC')
    expect(t!.trade_price).toBe(last!.trade_price)
    expect(t!.trade_timestamp).toBe(last!.timestamp)
    const [ob] = await get('/v1/orderbook?markets=KRW-BTC&count=5')
    const units = ob!.orderbook_units as Array<Record<string, number>>
    expect(units).toHaveLength(5)
    expect(units[0]!.bid_price).toBe(t!.trade_price)
    expect(units[0]!.ask_price).toBeGreaterThan(units[0]!.bid_price!)
    expect(units[1]!.ask_price).toBeGreaterThan(units[0]!.ask_price!)
  })

  it('moves with the manual clock', async () => {
    venue.clock.advance(60_000)
    const [cur] = await get('/v1/candles/minutes/1?market=KRW-BTC')
    expect(cur!.candle_date_time_utc).toBe('2025-07-01T12:01:00')
  })
})
