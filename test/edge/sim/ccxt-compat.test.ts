// Regression tests for the sim's compatibility with ccxt's upbit client (checked live with ccxt
// 4.5.83 against `npm run sim`): each request here is built the way ccxt builds it
// (ccxt-request.ts). Fixed incompatibilities: second and year candles (fetchOHLCV '1s'/'1y'),
// POST /v1/orders/cancel_and_new (editOrder), post_only limits that do not cross must rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { ccxtJwt, ccxtRequest, ccxtUrlencode } from './ccxt-request.ts'
import type { CcxtParams } from './ccxt-request.ts'
import { AK, SK, START_MS, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC'], balances: { KRW: 10_000_000, BTC: 0.1 }, enforceRateLimits: false })
})
afterEach(() => venue.close())

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: CcxtParams,
  auth = true,
): Promise<{ status: number; body: unknown }> {
  const r = await ccxtRequest(venue.url, method, path, params, auth ? { accessKey: AK, secret: SK } : null)
  const res = await fetch(r.url, r.init)
  return { status: res.status, body: await res.json() }
}
const ok = async (method: 'GET' | 'POST' | 'DELETE', path: string, params: CcxtParams, auth = true): Promise<unknown> => {
  const { status, body } = await call(method, path, params, auth)
  expect(status, JSON.stringify(body)).toBeLessThan(300)
  return body
}
const bestPrices = async (): Promise<{ bid: number; ask: number }> => {
  const [ob] = (await ok('GET', 'orderbook', { markets: 'KRW-BTC', count: 1 }, false)) as Json[]
  const u = (ob!.orderbook_units as Array<Record<string, number>>)[0]!
  return { bid: u.bid_price!, ask: u.ask_price! }
}

describe('ccxt request shapes (helper pinned to tokens ccxt 4.5.83 produced)', () => {
  it('signs like ccxt: HS256, unencoded query hash, JSON body hash in body order', async () => {
    // upbit.sign('orders/cancel_and_new', 'private', 'POST', params) with uuid() = 'fixed-nonce', keys AK/SK.
    const post = { prev_order_uuid: 'u-1', new_ord_type: 'limit', new_price: '100000000', new_volume: '0.0001' }
    expect(await ccxtJwt('AK', 'SK', post, 'fixed-nonce')).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiQUsiLCJub25jZSI6ImZpeGVkLW5vbmNlIiwicXVlcnlfaGFzaCI6IjY0YTI3OTk4M2MyNTBkMDU2YjFmZGUwNDAxOWE2YzI4NzE2MmUyM2JkNTI3MTgzZmY5NWZkMzJiZTNiMDVkMjFjZjViNGExYTFkYWVlZWU4ODAwZGQ5MmQwYWMxOWRhODlhN2Y0MTE0ZTFhNmI3MDE0YTViMzRhZGE2YjExYzZlIiwicXVlcnlfaGFzaF9hbGciOiJTSEE1MTIifQ.cHUK9K_wli1z8V6UuGPOtxnf7khNfVkO72ye6G9lZLY',
    )
    expect(await ccxtJwt('AK', 'SK', {}, 'fixed-nonce')).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3Nfa2V5IjoiQUsiLCJub25jZSI6ImZpeGVkLW5vbmNlIn0.KcLKD3pRaxx95YWg5jKtqVdyAU1j1zP7exgHOkWhet4',
    )
    // fetchOHLCV(symbol, '1s', since=1751370780000, limit=2): to = since + 2 s … here the URL ccxt printed.
    expect(ccxtUrlencode({ market: 'KRW-BTC', count: 2, to: new Date(1751371380000).toISOString() })).toBe(
      'market=KRW-BTC&count=2&to=2025-07-01T12%3A03%3A00.000Z',
    )
  })
})

describe('sim venue with ccxt-shaped requests', () => {
  it('serves second candles (fetchOHLCV 1s): one candle per trade second, newest first, `to` exclusive', async () => {
    const candles = (await ok('GET', 'candles/seconds', { market: 'KRW-BTC', count: 6 }, false)) as Json[]
    const ticks = (await ok('GET', 'trades/ticks', { market: 'KRW-BTC', count: 6 }, false)) as Json[]
    expect(candles).toHaveLength(6)
    candles.forEach((c, i) => {
      const t = ticks[i]!
      const sec = Math.floor((t.timestamp as number) / 1000) * 1000
      expect(c.candle_date_time_utc).toBe(new Date(sec).toISOString().slice(0, 19))
      expect(c).toMatchObject({
        market: 'KRW-BTC',
        opening_price: t.trade_price,
        high_price: t.trade_price,
        low_price: t.trade_price,
        trade_price: t.trade_price,
        candle_acc_trade_volume: t.trade_volume,
        timestamp: t.timestamp,
      })
      expect(c).not.toHaveProperty('unit')
      expect(c).not.toHaveProperty('first_day_of_period')
    })
    // ccxt's `to` (ISO with millis and Z) is exclusive: starting at the second candle's time skips the first two.
    const to = `${candles[1]!.candle_date_time_utc as string}.000Z`
    const older = (await ok('GET', 'candles/seconds', { market: 'KRW-BTC', count: 2, to }, false)) as Json[]
    expect(older.map((c) => c.candle_date_time_utc)).toEqual([candles[2]!.candle_date_time_utc, candles[3]!.candle_date_time_utc])
  })

  it('answers [] for second candles older than the ~3 month retention', async () => {
    venue.clock.advance(91 * 86_400_000)
    expect(await ok('GET', 'candles/seconds', { market: 'KRW-BTC', count: 5, to: new Date(START_MS).toISOString() }, false)).toEqual([])
  })

  it('serves year candles (fetchOHLCV 1y) aggregating the whole history', async () => {
    const [year] = (await ok('GET', 'candles/years', { market: 'KRW-BTC', count: 2 }, false)) as Json[]
    const days = (await ok('GET', 'candles/days', { market: 'KRW-BTC', count: 200 }, false)) as Json[]
    expect(year).toMatchObject({
      candle_date_time_utc: '2025-01-01T00:00:00',
      first_day_of_period: '2025-01-01',
      trade_price: days[0]!.trade_price,
      opening_price: days[days.length - 1]!.opening_price,
    })
    const vol = days.reduce((s, d) => s + (d.candle_acc_trade_volume as number), 0)
    expect(year!.candle_acc_trade_volume as number).toBeCloseTo(vol, 6)
    expect(year!.high_price).toBe(Math.max(...days.map((d) => d.high_price as number)))
  })

  it('rests a post_only limit that does not cross (createOrder postOnly) and cancels one that would', async () => {
    const { bid, ask } = await bestPrices()
    const rest = (await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: String(bid - 100_000),
      volume: '0.001',
      time_in_force: 'post_only',
    })) as Json
    expect(rest).toMatchObject({ state: 'wait', time_in_force: 'post_only' })
    const cross = (await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: String(ask),
      volume: '0.001',
      time_in_force: 'post_only',
    })) as Json
    const open = (await ok('GET', 'orders/open', { market: 'KRW-BTC' })) as Json[]
    expect(open.map((o) => o.uuid)).toEqual([rest.uuid])
    expect(await ok('GET', 'order', { uuid: cross.uuid as string })).toMatchObject({ state: 'cancel', executed_volume: '0' })
  })

  it('edits an order with cancel_and_new (editOrder): old one cancelled, new one resting with its funds locked', async () => {
    const { ask } = await bestPrices()
    const prev = (await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'ask',
      ord_type: 'limit',
      price: String(ask + 1_000_000),
      volume: '0.002',
      identifier: 'e-1',
    })) as Json
    const newPrice = ask + 2_000_000
    const { status, body } = await call('POST', 'orders/cancel_and_new', {
      prev_order_uuid: prev.uuid as string,
      new_ord_type: 'limit',
      new_price: String(newPrice),
      new_volume: '0.001',
      new_identifier: 'e-2',
    })
    expect(status).toBe(201)
    expect(body).toMatchObject({ uuid: prev.uuid, state: 'wait', side: 'ask', market: 'KRW-BTC', new_order_identifier: 'e-2' })
    const newUuid = (body as Json).new_order_uuid as string
    expect(newUuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(await ok('GET', 'order', { uuid: prev.uuid as string })).toMatchObject({ state: 'cancel', locked: '0' })
    expect(await ok('GET', 'order', { uuid: newUuid })).toMatchObject({
      state: 'wait',
      side: 'ask',
      ord_type: 'limit',
      price: String(newPrice),
      volume: '0.001',
      identifier: 'e-2',
      locked: '0.001',
    })
    const btc = ((await ok('GET', 'accounts', {})) as Json[]).find((a) => a.currency === 'BTC')!
    expect(btc).toMatchObject({ locked: '0.001', balance: '0.099' })
  })

  it('takes remain_only and prev_order_identifier in cancel_and_new', async () => {
    const { bid } = await bestPrices()
    await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: String(bid - 200_000),
      volume: '0.003',
      identifier: 'r-1',
    })
    const body = (await ok('POST', 'orders/cancel_and_new', {
      prev_order_identifier: 'r-1',
      new_ord_type: 'limit',
      new_price: String(bid - 300_000),
      new_volume: 'remain_only',
    })) as Json
    expect(body).not.toHaveProperty('new_order_identifier')
    expect(await ok('GET', 'order', { uuid: body.new_order_uuid as string })).toMatchObject({
      side: 'bid',
      volume: '0.003',
      price: String(bid - 300_000),
      state: 'wait',
    })
  })

  it('refuses cancel_and_new without changing anything when the new order is invalid or the old one is gone', async () => {
    const { ask } = await bestPrices()
    const prev = (await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'ask',
      ord_type: 'limit',
      price: String(ask + 1_000_000),
      volume: '0.002',
      identifier: 'x-1',
    })) as Json
    const offTick = await call('POST', 'orders/cancel_and_new', {
      prev_order_uuid: prev.uuid as string,
      new_ord_type: 'limit',
      new_price: String(ask + 1_000_001),
      new_volume: '0.002',
    })
    expect(offTick).toMatchObject({ status: 400, body: { error: { name: 'invalid_price_ask' } } })
    const sameId = await call('POST', 'orders/cancel_and_new', {
      prev_order_uuid: prev.uuid as string,
      new_ord_type: 'limit',
      new_price: String(ask + 2_000_000),
      new_volume: '0.002',
      new_identifier: 'x-1',
    })
    expect(sameId).toMatchObject({ status: 400, body: { error: { name: 'duplicated_identifier' } } })
    const missing = await call('POST', 'orders/cancel_and_new', {
      new_ord_type: 'limit',
      new_price: String(ask + 2_000_000),
      new_volume: '0.002',
    })
    expect(missing).toMatchObject({ status: 400, body: { error: { name: 'validation_error' } } })
    expect(await ok('GET', 'order', { uuid: prev.uuid as string })).toMatchObject({ state: 'wait', locked: '0.002' })
    await ok('DELETE', 'order', { uuid: prev.uuid as string })
    const gone = await call('POST', 'orders/cancel_and_new', {
      prev_order_uuid: prev.uuid as string,
      new_ord_type: 'limit',
      new_price: String(ask + 2_000_000),
      new_volume: '0.002',
    })
    expect(gone).toMatchObject({ status: 404, body: { error: { name: 'order_not_found' } } })
    expect(venue.orders()).toHaveLength(1)
  })

  it('accepts the rest of ccxt’s flow: closed orders by ms start/end time, cancel by uuid, fetch by identifier', async () => {
    const { ask } = await bestPrices()
    const filled = (await ok('POST', 'orders', { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000' })) as Json
    const closed = (await ok('GET', 'orders/closed', {
      state: 'cancel',
      market: 'KRW-BTC',
      start_time: START_MS - 60_000,
      end_time: START_MS + 60_000,
      limit: 10,
    })) as Json[]
    expect(closed.map((o) => o.uuid)).toEqual([filled.uuid])
    const rest = (await ok('POST', 'orders', {
      market: 'KRW-BTC',
      side: 'ask',
      ord_type: 'limit',
      price: String(ask + 1_000_000),
      volume: '0.001',
      identifier: 'f-1',
    })) as Json
    expect(await ok('GET', 'order', { identifier: 'f-1' })).toMatchObject({ uuid: rest.uuid, state: 'wait' })
    expect(await ok('DELETE', 'order', { uuid: rest.uuid as string })).toMatchObject({ uuid: rest.uuid, state: 'wait' })
    expect(await ok('GET', 'order', { uuid: rest.uuid as string })).toMatchObject({ state: 'cancel' })
  })
})
