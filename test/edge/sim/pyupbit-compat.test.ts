// Regression tests for requests shaped like pyupbit's (Python `requests`): params encoded with
// urlencode(doseq=True) — quote_plus, so a space travels as '+', and a list as a repeated key —
// PyJWT HS256 tokens whose query_hash is sha512(urlencode(query)), and POST bodies from
// json.dumps with its default ', ' / ': ' separators. Fixed in the sim: '+' in query values reads as
// a space (as Upbit's servlet stack does), and repeated `markets` keys read as a comma list.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { base64UrlEncode, hmacSign, sha512Hex } from '../../../shared/upbit/jwt.ts'
import { AK, SK, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC', 'KRW-ETH'], balances: { KRW: 10_000_000, BTC: 0.1 }, enforceRateLimits: false })
})
afterEach(() => venue.close())

type PyParams = Record<string, string | number | string[]>

/** Python's urlencode(params, doseq=True): quote_plus on keys and values, lists as repeated keys. */
function pyUrlencode(params: PyParams): string {
  const q = (s: string): string =>
    encodeURIComponent(s)
      .replace(/%20/g, '+')
      .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%7E/g, '~')
  return Object.entries(params)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${q(k)}=${q(String(x))}`))
    .join('&')
}

/** pyupbit's Upbit._request_headers: PyJWT HS256 over compact JSON. */
async function pyupbitAuth(query: PyParams | null): Promise<Record<string, string>> {
  const payload: Record<string, string> = { access_key: AK, nonce: randomUUID() }
  if (query !== null) {
    payload.query_hash = await sha512Hex(pyUrlencode(query))
    payload.query_hash_alg = 'SHA512'
  }
  const head = `${base64UrlEncode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64UrlEncode(JSON.stringify(payload))}`
  return { Authorization: `Bearer ${head}.${base64UrlEncode(await hmacSign('HS256', SK, head))}` }
}

/** json.dumps(obj) with Python's default separators. */
const pyJsonDumps = (obj: Record<string, string>): string =>
  `{${Object.entries(obj)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`

async function pyGet(path: string, params: PyParams | null, auth: boolean): Promise<{ status: number; body: unknown }> {
  const url = `${venue.url}${path}${params ? `?${pyUrlencode(params)}` : ''}`
  const res = await fetch(url, { headers: auth ? await pyupbitAuth(params) : {} })
  return { status: res.status, body: await res.json() }
}

describe('sim venue with pyupbit-shaped requests', () => {
  it('reads a space sent as "+" in candle `to` (get_ohlcv sends "YYYY-MM-DD HH:MM:SS" in UTC)', async () => {
    const spaced = await pyGet('/v1/candles/minutes/1', { market: 'KRW-BTC', count: 3, to: '2025-07-01 12:00:00' }, false)
    expect(pyUrlencode({ to: '2025-07-01 12:00:00' })).toBe('to=2025-07-01+12%3A00%3A00')
    expect(spaced.status).toBe(200)
    const iso = await (await fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC&count=3&to=2025-07-01T12%3A00%3A00Z`)).json()
    expect(spaced.body).toEqual(iso)
    expect((spaced.body as Json[]).map((c) => c.candle_date_time_utc)).toEqual([
      '2025-07-01T11:59:00',
      '2025-07-01T11:58:00',
      '2025-07-01T11:57:00',
    ])
  })

  it('still honours an offset whose "+" was sent unencoded (it arrives as a space)', async () => {
    const literal = await (await fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC&count=2&to=2025-07-01T21:00:00+09:00`)).json()
    const encoded = await (
      await fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC&count=2&to=2025-07-01T21%3A00%3A00%2B09%3A00`)
    ).json()
    expect(literal).toEqual(encoded)
    expect((literal as Json[])[0]!.candle_date_time_utc).toBe('2025-07-01T11:59:00')
  })

  it('reads repeated `markets` keys as a list (get_current_price([...]))', async () => {
    const { status, body } = await pyGet('/v1/ticker', { markets: ['KRW-BTC', 'KRW-ETH'] }, false)
    expect(status).toBe(200)
    expect((body as Json[]).map((t) => t.market)).toEqual(['KRW-BTC', 'KRW-ETH'])
    const ob = await pyGet('/v1/orderbook', { markets: ['KRW-BTC', 'KRW-ETH'] }, false)
    expect((ob.body as Json[]).map((t) => t.market)).toEqual(['KRW-BTC', 'KRW-ETH'])
  })

  it('runs pyupbit’s order flow: json.dumps body, deprecated /v1/orders list with kind, cancel by uuid', async () => {
    const [ob] = (await pyGet('/v1/orderbook', { markets: 'KRW-BTC' }, false)).body as Json[]
    const ask = (ob!.orderbook_units as Array<Record<string, number>>)[0]!.ask_price!
    const data = { market: 'KRW-BTC', side: 'ask', volume: String(0.0005), price: String(ask + 1_000_000), ord_type: 'limit' }
    const res = await fetch(`${venue.url}/v1/orders`, {
      method: 'POST',
      headers: { ...(await pyupbitAuth(data)), 'Content-Type': 'application/json' },
      body: pyJsonDumps(data),
    })
    const placed = (await res.json()) as Json
    expect(res.status, JSON.stringify(placed)).toBe(201)
    expect(placed).toMatchObject({ state: 'wait', volume: '0.0005', locked: '0.0005' })
    const listed = await pyGet('/v1/orders', { market: 'KRW-BTC', state: 'wait', kind: 'normal', order_by: 'desc' }, true)
    expect(listed.status).toBe(200)
    expect((listed.body as Json[]).map((o) => o.uuid)).toEqual([placed.uuid])
    const q = { uuid: placed.uuid as string }
    const del = await fetch(`${venue.url}/v1/order?${pyUrlencode(q)}`, { method: 'DELETE', headers: await pyupbitAuth(q) })
    expect(del.status).toBe(200)
    expect((await pyGet('/v1/order', q, true)).body).toMatchObject({ state: 'cancel', locked: '0' })
    const accounts = (await pyGet('/v1/accounts', null, true)).body as Json[]
    expect(accounts.find((a) => a.currency === 'BTC')).toMatchObject({ balance: '0.1', locked: '0' })
  })
})
