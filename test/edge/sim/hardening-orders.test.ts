// Issue 13, items 3–6, over real HTTP on 127.0.0.1: no order beyond the market's precision, one
// validation path for /v1/orders and /v1/orders/test, cancel_and_new validates the new order (with
// the funds the cancel frees) before cancelling, and loose parameters are refused with 400.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { buildEncodedQueryString } from '../../../shared/upbit/query.ts'
import { accountState, errorName, isUpbitError, signed, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC'], balances: { KRW: 10_000_000, BTC: 0.1 }, enforceRateLimits: false })
})
afterEach(() => venue.close())

const place = (params: Record<string, string>) => signed(venue, 'POST', '/v1/orders', params)
const testOrder = (params: Record<string, string>) => signed(venue, 'POST', '/v1/orders/test', params)

/** Sends `params` to /v1/orders and expects a 400 with `name` and no change of balances or orders. */
async function refused(params: Record<string, string>, name: string, route = '/v1/orders'): Promise<void> {
  const before = await accountState(venue)
  const res = await signed(venue, 'POST', route, params)
  const body = (await res.json()) as unknown
  expect(res.status, JSON.stringify({ params, body })).toBe(400)
  expect(isUpbitError(body)).toBe(true)
  expect(body).toMatchObject({ error: { name } })
  expect(await accountState(venue)).toBe(before)
}

describe('market precision (item 3)', () => {
  // [what, side, ord_type, price, volume, expected error]
  const cases: Array<[string, string, string, string, string, string]> = [
    ['volume with 10 decimals (shown rounded before)', 'bid', 'limit', '10000000', '0.0005000001', 'invalid_volume_bid'],
    ['ask volume with 12 decimals', 'ask', 'limit', '200000000', '0.000500000001', 'invalid_volume_ask'],
    ['market sell volume beyond a double', 'ask', 'market', '', '0.010000000000000001', 'invalid_volume_ask'],
    [
      'huge price, tiny volume (was done with volume 0)',
      'bid',
      'limit',
      '100000000000000000000',
      '0.0000000000000001',
      'invalid_volume_bid',
    ],
    ['price above the ceiling', 'bid', 'limit', '100000000000000000000', '0.00000001', 'invalid_price_bid'],
    ['ask price above the ceiling', 'ask', 'limit', '1000001000', '0.00001', 'invalid_price_ask'],
    ['total above the maximum', 'bid', 'limit', '1000000000', '1.5', 'over_krw_funds_bid'],
    ['market buy total above the maximum', 'bid', 'price', '1000000001', '', 'over_krw_funds_bid'],
    ['price a double cannot hold', 'bid', 'limit', '10000000.0000000001', '0.001', 'invalid_price_bid'],
    ['price off the tick ladder', 'bid', 'limit', '10000000.5', '0.001', 'invalid_price_bid'],
    ['market buy total with 9 decimals', 'bid', 'price', '10000.123456789', '', 'invalid_price_bid'],
  ]
  for (const [what, side, ordType, price, volume, name] of cases) {
    it(`refuses ${what} with ${name}`, async () => {
      const params: Record<string, string> = { market: 'KRW-BTC', side, ord_type: ordType }
      if (price !== '') params.price = price
      if (volume !== '') params.volume = volume
      await refused(params, name)
    })
  }

  it('accepts the same values written with trailing zeros or an exponent, and locks exactly what it shows', async () => {
    const res = await place({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '10000000.000', volume: '0.00050000' })
    expect(res.status).toBe(201)
    const o = (await res.json()) as Json
    expect(o).toMatchObject({ price: '10000000', volume: '0.0005', locked: '5002.5' })
    const exp = await place({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '1e7', volume: '5e-4' })
    expect(exp.status).toBe(201)
    expect(venue.orders().map((x) => [x.price, x.volume])).toEqual([
      [10_000_000, 0.0005],
      [10_000_000, 0.0005],
    ])
  })
})

describe('one validation path for /v1/orders and /v1/orders/test (item 4)', () => {
  it('applies the identifier checks on the test route without claiming the identifier', async () => {
    const base = { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000' }
    await refused({ ...base, identifier: 'x'.repeat(65) }, 'validation_error', '/v1/orders/test')
    await refused({ ...base, identifier: 'x'.repeat(65) }, 'validation_error')
    const tested = await testOrder({ ...base, identifier: 'free-1' })
    expect(tested.status).toBe(201)
    expect((await place({ ...base, identifier: 'free-1' })).status).toBe(201)
    await refused({ ...base, identifier: 'free-1' }, 'duplicated_identifier', '/v1/orders/test')
  })

  it('checks precision, ticks and funds on the test route exactly like a real order', async () => {
    await refused(
      { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '10000000', volume: '0.0005000001' },
      'invalid_volume_bid',
      '/v1/orders/test',
    )
    await refused(
      { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '100000000', volume: '1' },
      'insufficient_funds_bid',
      '/v1/orders/test',
    )
    await refused(
      { market: 'KRW-BTC', side: 'ask', ord_type: 'limit', price: '145000500', volume: '0.001' },
      'invalid_price_ask',
      '/v1/orders/test',
    )
    expect(venue.orders()).toEqual([])
  })
})

describe('cancel_and_new validates before it cancels (item 5)', () => {
  it('keeps the old order waiting with its funds locked when the new order is refused', async () => {
    expect(
      (await place({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '1000', volume: '10', identifier: 'old-1' })).status,
    ).toBe(201)
    const before = await accountState(venue)
    const res = await signed(venue, 'POST', '/v1/orders/cancel_and_new', {
      prev_order_identifier: 'old-1',
      new_ord_type: 'limit',
      new_price: '100000000',
      new_volume: '1',
    })
    expect(res.status).toBe(400)
    expect(await errorName(res)).toBe('insufficient_funds_bid')
    expect(await accountState(venue)).toBe(before)
    expect(venue.orders()[0]).toMatchObject({ identifier: 'old-1', state: 'wait', locked: 10_005 })
  })

  it('counts the funds the cancel frees: a replacement only affordable with them is placed', async () => {
    // 9,000,000 KRW locked of 10,000,000; the replacement needs 9,504,750 KRW with its fee.
    expect(
      (await place({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '1000', volume: '8995.5', identifier: 'big-1' })).status,
    ).toBe(201)
    const res = await signed(venue, 'POST', '/v1/orders/cancel_and_new', {
      prev_order_identifier: 'big-1',
      new_ord_type: 'limit',
      new_price: '1000',
      new_volume: '9500',
      new_identifier: 'big-2',
    })
    expect(res.status).toBe(201)
    const orders = venue.orders()
    expect(orders.map((o) => [o.identifier, o.state])).toEqual([
      ['big-1', 'cancel'],
      ['big-2', 'wait'],
    ])
    expect(orders[1]!.locked).toBe(9_504_750)
  })
})

describe('loose parameters are refused (item 6)', () => {
  it('refuses candle `to` dates that do not exist', async () => {
    for (const to of [
      '2024-02-30T00:00:00',
      '2024-13-45T99:99:99',
      '2023-02-29T00:00:00',
      '2024-01-01T24:00:00',
      '2024-01-01T00:00:00+25:00',
    ]) {
      const res = await fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC&to=${encodeURIComponent(to)}`)
      expect(res.status, to).toBe(400)
      expect(await res.json()).toEqual({ error: { name: 400, message: expect.any(String) } })
    }
    // A real leap day is fine.
    expect((await fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC&to=2024-02-29T00:00:00`)).status).toBe(200)
  })

  it('refuses a start_time of 400 nines and other times a Date cannot hold', async () => {
    for (const start_time of ['9'.repeat(400), '99999999999999999', '2024-02-30T00:00:00+09:00']) {
      const res = await signed(venue, 'GET', '/v1/orders/closed', { start_time })
      expect(res.status, start_time).toBe(400)
      expect(await errorName(res)).toBe('invalid_parameter')
    }
  })

  it('refuses an unknown cancel_side and order_by instead of ignoring them', async () => {
    await place({ market: 'KRW-BTC', side: 'bid', ord_type: 'limit', price: '1000', volume: '10', identifier: 'keep-1' })
    const before = await accountState(venue)
    const side = await signed(venue, 'DELETE', '/v1/orders/open', { cancel_side: 'sideways' })
    expect(side.status).toBe(400)
    expect(await errorName(side)).toBe('invalid_parameter')
    const order = await signed(venue, 'DELETE', '/v1/orders/open', { order_by: 'sideways' })
    expect(order.status).toBe(400)
    expect(await accountState(venue)).toBe(before)
    const list = await signed(venue, 'GET', '/v1/orders/open', { order_by: 'up' })
    expect(list.status).toBe(400)
    const tooMany = await signed(venue, 'DELETE', '/v1/orders/uuids', { 'uuids[]': Array.from({ length: 21 }, (_, i) => `u-${i}`) })
    expect(tooMany.status).toBe(400)
    expect(venue.orders()[0]!.state).toBe('wait')
  })

  it('refuses a trades/ticks `to` beyond 23:59:59 and a cursor that is not a number', async () => {
    const queries: Array<Record<string, string>> = [
      { market: 'KRW-BTC', to: '99:99:99' },
      { market: 'KRW-BTC', to: '24:00:00' },
      { market: 'KRW-BTC', cursor: 'abc' },
    ]
    for (const q of queries) {
      const res = await fetch(`${venue.url}/v1/trades/ticks?${buildEncodedQueryString(q)}`)
      expect(res.status, JSON.stringify(q)).toBe(400)
      expect(isUpbitError(await res.json())).toBe(true)
    }
  })
})
