import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'
import { buildQueryString } from '../../../shared/upbit/query.ts'
import { errorName, signed, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC'], balances: { KRW: 10_000_000, BTC: 0.1 }, enforceRateLimits: false })
})
afterEach(() => venue.close())

const book = async (): Promise<{ bid: number; ask: number; askSize: number }> => {
  const [ob] = (await (await fetch(`${venue.url}/v1/orderbook?markets=KRW-BTC&count=1`)).json()) as Json[]
  const u = (ob!.orderbook_units as Array<Record<string, number>>)[0]!
  return { bid: u.bid_price!, ask: u.ask_price!, askSize: u.ask_size! }
}
const accounts = async (): Promise<Record<string, Json>> => {
  const rows = (await (await signed(venue, 'GET', '/v1/accounts')).json()) as Json[]
  return Object.fromEntries(rows.map((r) => [r.currency as string, r]))
}
const place = (params: Record<string, string>) => signed(venue, 'POST', '/v1/orders', params)
const getOrder = async (params: Record<string, string>): Promise<Json> =>
  (await (await signed(venue, 'GET', '/v1/order', params)).json()) as Json

describe('sim venue orders', () => {
  it('rests a limit bid, locks funds, and fills at its price when a trade prints at or below it', async () => {
    const { bid } = await book()
    const price = bid - 100_000 // below the market: rests
    const res = await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.01',
      price: String(price),
      ord_type: 'limit',
      identifier: 'lim-1',
    })
    expect(res.status).toBe(201)
    const o = (await res.json()) as Json
    expect(o).toMatchObject({
      side: 'bid',
      ord_type: 'limit',
      state: 'wait',
      volume: '0.01',
      remaining_volume: '0.01',
      identifier: 'lim-1',
      trades_count: 0,
    })
    expect(o.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/)
    const locked = price * 0.01 * 1.0005
    expect(Number(o.locked)).toBeCloseTo(locked, 6)
    const acc = await accounts()
    expect(Number(acc.KRW!.locked)).toBeCloseTo(locked, 6)
    expect(Number(acc.KRW!.balance)).toBeCloseTo(10_000_000 - locked, 6)
    // Advance until the market trades through the price (bounded: one simulated day).
    let state = 'wait'
    for (let i = 0; i < 1440 && state === 'wait'; i++) {
      venue.clock.advance(60_000)
      state = venue.orders()[0]!.state
    }
    expect(state).toBe('done')
    const done = await getOrder({ identifier: 'lim-1' })
    expect(done).toMatchObject({ state: 'done', executed_volume: '0.01', locked: '0', remaining_fee: '0' })
    const trades = done.trades as Json[]
    expect(trades.length).toBeGreaterThan(0)
    for (const t of trades) expect(Number(t.price)).toBe(price)
    const after = await accounts()
    expect(Number(after.BTC!.balance)).toBeCloseTo(0.11, 8)
    expect(Number(after.KRW!.locked)).toBe(0)
    expect(Number(after.KRW!.balance)).toBeCloseTo(10_000_000 - price * 0.01 * 1.0005, 4)
  })

  it('refuses an identifier forever, even after a failed attempt', async () => {
    const bad = await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.00001',
      price: '100000000',
      ord_type: 'limit',
      identifier: 'id-x',
    })
    expect(bad.status).toBe(400)
    expect(await errorName(bad)).toBe('under_min_total_bid')
    const again = await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: '100000000',
      ord_type: 'limit',
      identifier: 'id-x',
    })
    expect(again.status).toBe(400)
    expect(await errorName(again)).toBe('duplicated_identifier')
    expect(venue.orders()).toHaveLength(0)
  })

  it('checks ticks, minimum total and funds with Upbit error names', async () => {
    const tick = await place({ market: 'KRW-BTC', side: 'bid', volume: '0.001', price: '145000500', ord_type: 'limit' })
    expect(tick.status).toBe(400)
    expect(await errorName(tick)).toBe('invalid_price_bid')
    const tickAsk = await place({ market: 'KRW-BTC', side: 'ask', volume: '0.001', price: '145000500', ord_type: 'limit' })
    expect(await errorName(tickAsk)).toBe('invalid_price_ask')
    const minAsk = await place({ market: 'KRW-BTC', side: 'ask', volume: '0.00001', ord_type: 'market' })
    expect(await errorName(minAsk)).toBe('under_min_total_ask')
    const funds = await place({ market: 'KRW-BTC', side: 'bid', volume: '1', price: '100000000', ord_type: 'limit' })
    expect(funds.status).toBe(400)
    expect(await errorName(funds)).toBe('insufficient_funds_bid')
    const fundsAsk = await place({ market: 'KRW-BTC', side: 'ask', volume: '1', price: '100000000', ord_type: 'limit' })
    expect(await errorName(fundsAsk)).toBe('insufficient_funds_ask')
    const combo = await place({ market: 'KRW-BTC', side: 'bid', volume: '0.001', ord_type: 'price' })
    expect(await errorName(combo)).toBe('create_bid_error')
  })

  it('fills a market buy by total against the book and ends it as cancel with the dust refunded', async () => {
    const { ask } = await book()
    const res = await place({ market: 'KRW-BTC', side: 'bid', price: '100000', ord_type: 'price' })
    expect(res.status).toBe(201)
    const o = venue.orders()[0]!
    expect(o.executedVolume).toBeCloseTo(Math.floor((100_000 / ask) * 1e8) / 1e8, 8)
    expect(o.trades[0]!.price).toBe(ask)
    expect(['cancel', 'done']).toContain(o.state)
    const acc = await accounts()
    expect(Number(acc.KRW!.locked)).toBe(0)
    expect(Number(acc.KRW!.balance)).toBeCloseTo(10_000_000 - o.executedFunds * 1.0005, 4)
  })

  it('fills a market sell by volume at the best bid', async () => {
    const { bid } = await book()
    expect((await place({ market: 'KRW-BTC', side: 'ask', volume: '0.01', ord_type: 'market' })).status).toBe(201)
    const o = venue.orders()[0]!
    expect(o.state).toBe('done')
    expect(o.trades[0]!.price).toBe(bid)
    const acc = await accounts()
    expect(Number(acc.BTC!.balance)).toBeCloseTo(0.09, 8)
    expect(Number(acc.KRW!.balance)).toBeCloseTo(10_000_000 + bid * 0.01 * 0.9995, 4)
  })

  it('applies ioc, fok and post_only on limit and best orders', async () => {
    const { ask, bid } = await book()
    // FOK at the best bid cannot trade (the best ask is higher): killed, nothing executed.
    await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: String(bid),
      ord_type: 'limit',
      time_in_force: 'fok',
      identifier: 'fok-kill',
    })
    expect(venue.orders().find((x) => x.identifier === 'fok-kill')).toMatchObject({ state: 'cancel', executedVolume: 0, locked: 0 })
    await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: String(ask),
      ord_type: 'limit',
      time_in_force: 'fok',
      identifier: 'fok-fill',
    })
    expect(venue.orders().find((x) => x.identifier === 'fok-fill')).toMatchObject({ state: 'done', executedVolume: 0.001 })
    // IOC below the ask: nothing fills and nothing rests.
    await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: String(bid),
      ord_type: 'limit',
      time_in_force: 'ioc',
      identifier: 'ioc-miss',
    })
    expect(venue.orders().find((x) => x.identifier === 'ioc-miss')).toMatchObject({ state: 'cancel', executedVolume: 0 })
    await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: String(ask),
      ord_type: 'limit',
      time_in_force: 'ioc',
      identifier: 'ioc',
    })
    expect(venue.orders().find((x) => x.identifier === 'ioc')).toMatchObject({ state: 'done', executedVolume: 0.001 })
    await place({
      market: 'KRW-BTC',
      side: 'bid',
      volume: '0.001',
      price: String(ask),
      ord_type: 'limit',
      time_in_force: 'post_only',
      identifier: 'po',
    })
    expect(venue.orders().find((x) => x.identifier === 'po')).toMatchObject({ state: 'cancel', executedVolume: 0 })
    await place({ market: 'KRW-BTC', side: 'bid', price: '50000', ord_type: 'best', time_in_force: 'ioc', identifier: 'best' })
    const best = venue.orders().find((x) => x.identifier === 'best')!
    expect(best.trades.every((t) => t.price === ask)).toBe(true)
    expect(best.executedFunds).toBeGreaterThan(49_000)
    const noTif = await place({ market: 'KRW-BTC', side: 'bid', price: '50000', ord_type: 'best' })
    expect(await errorName(noTif)).toBe('invalid_time_in_force')
    const poBest = await place({ market: 'KRW-BTC', side: 'ask', volume: '0.001', ord_type: 'best', time_in_force: 'post_only' })
    expect(await errorName(poBest)).toBe('invalid_time_in_force')
  })

  it('cancels by identifier (answer still wait, then cancel) and lists open/closed orders', async () => {
    const { bid } = await book()
    await place({ market: 'KRW-BTC', side: 'bid', volume: '0.001', price: String(bid - 1_000_000), ord_type: 'limit', identifier: 'c-1' })
    const open = (await (
      await signed(venue, 'GET', '/v1/orders/open', { market: 'KRW-BTC', 'states[]': ['wait', 'watch'] })
    ).json()) as Json[]
    expect(open.map((o) => o.identifier)).toEqual(['c-1'])
    const del = await signed(venue, 'DELETE', '/v1/order', { identifier: 'c-1' })
    expect(del.status).toBe(200)
    expect(((await del.json()) as Json).state).toBe('wait')
    expect(await getOrder({ identifier: 'c-1' })).toMatchObject({ state: 'cancel', locked: '0' })
    expect(Number((await accounts()).KRW!.locked)).toBe(0)
    const closed = (await (await signed(venue, 'GET', '/v1/orders/closed', { market: 'KRW-BTC', state: 'cancel' })).json()) as Json[]
    expect(closed.map((o) => o.identifier)).toEqual(['c-1'])
    const missing = await signed(venue, 'GET', '/v1/order', { uuid: 'no-such' })
    expect(missing.status).toBe(404)
    expect(await errorName(missing)).toBe('order_not_found')
  })

  it('accepts the order parameters in the query string too', async () => {
    const { bid } = await book()
    const params = { market: 'KRW-BTC', side: 'bid', volume: '0.001', price: String(bid - 1_000_000), ord_type: 'limit' }
    const qs = buildQueryString(params)
    const token = await signUpbitJwt({ accessKey: 'TEST_AK', secretKey: 'TEST_SK_secret', nonce: 'qs-1', query: qs, alg: 'HS512' })
    const res = await fetch(`${venue.url}/v1/orders?${qs}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(201)
    expect(venue.orders()).toHaveLength(1)
  })
})
