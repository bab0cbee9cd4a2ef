// Seeded random inputs for the venue fuzz test (fuzz.test.ts): REST requests (quotation, signed
// exchange calls with junk parameters, mutated order bodies, forged tokens, raw bodies, unknown
// routes) and WebSocket messages. Deterministic for a seed (shared/random.ts), so a failure prints
// the seed and case number that reproduce it.
import { createRng } from '../../../shared/random.ts'
import type { Rng } from '../../../shared/random.ts'

export interface RestCase {
  readonly method: string
  readonly path: string
  /** Signed with the venue's keys (query hash over `params`), or sent with `authorization` as is. */
  readonly sign: boolean
  readonly params: Record<string, unknown>
  /** A raw query string (unsigned cases), appended as is. */
  readonly rawQuery?: string
  /** A raw body instead of JSON.stringify(params) (POST). */
  readonly rawBody?: string
  readonly authorization?: string
}

const JUNK_TEXT = [
  '',
  ' ',
  '0',
  '-1',
  '-0',
  '00001',
  '.5',
  '5.',
  '1e400',
  '1e-400',
  'NaN',
  'Infinity',
  '0x10',
  '1,000',
  '1_000',
  '0.000000001',
  '0.0000000000000001',
  '99999999999999999999',
  '100000000000000000000',
  '10000000.0000000001',
  'abc',
  '%',
  '%zz',
  '%00',
  '\u0000',
  '한글',
  '𝔘𝔭𝔟𝔦𝔱',
  'null',
  'true',
  '[]',
  '{}',
  '1'.repeat(300),
  'x'.repeat(65),
  '0.5',
  '5000',
  '10000',
  '1000000000',
  '1000000001',
  '2024-02-30T00:00:00',
  '2024-13-45T99:99:99',
  '9'.repeat(400),
  'remain_only',
  'KRW-BTC',
  'KRW-NOPE',
  'krw-btc',
  'bid',
  'ask',
  'limit',
  'price',
  'market',
  'best',
  'ioc',
  'fok',
  'post_only',
  'wait',
  'watch',
  'done',
  'cancel',
  'asc',
  'desc',
  'sideways',
  'all',
  '2025-07-01T00:00:00+09:00',
  '1751328000000',
]

const QUOTATION_PATHS = [
  '/v1/market/all',
  '/v1/candles/seconds',
  '/v1/candles/minutes/1',
  '/v1/candles/minutes/7',
  '/v1/candles/minutes/abc',
  '/v1/candles/days',
  '/v1/candles/weeks',
  '/v1/candles/months',
  '/v1/candles/years',
  '/v1/ticker',
  '/v1/ticker/all',
  '/v1/orderbook',
  '/v1/trades/ticks',
]
const QUOTATION_KEYS = [
  'market',
  'markets',
  'to',
  'count',
  'is_details',
  'isDetails',
  'level',
  'days_ago',
  'cursor',
  'quote_currencies',
  'converting_price_unit',
]
const EXCHANGE_READS: Array<[string, string]> = [
  ['GET', '/v1/accounts'],
  ['GET', '/v1/orders/chance'],
  ['GET', '/v1/order'],
  ['GET', '/v1/orders/open'],
  ['GET', '/v1/orders/closed'],
  ['GET', '/v1/orders/uuids'],
  ['GET', '/v1/orders'],
  ['DELETE', '/v1/order'],
  ['DELETE', '/v1/orders/uuids'],
  ['DELETE', '/v1/orders/open'],
]
const EXCHANGE_KEYS = [
  'market',
  'uuid',
  'identifier',
  'state',
  'states[]',
  'start_time',
  'end_time',
  'limit',
  'page',
  'order_by',
  'uuids[]',
  'identifiers[]',
  'cancel_side',
  'count',
  'pairs',
  'excluded_pairs',
  'quote_currencies',
]
const ORDER_KEYS = ['market', 'side', 'ord_type', 'price', 'volume', 'time_in_force', 'smp_type', 'identifier']
const POST_ROUTES = ['/v1/orders', '/v1/orders/test', '/v1/orders/cancel_and_new']

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!
}

/** A random JSON value: junk text, odd numbers, null, booleans, arrays and objects up to `depth`. */
function jsonValue(rng: Rng, depth = 3): unknown {
  const k = rng.int(depth > 0 ? 9 : 6)
  if (k === 0) return pick(rng, JUNK_TEXT)
  if (k === 1) return pick(rng, [0, -1, 1e-9, 1e21, 5000, 0.1 + 0.2, 123456789.12345679, Number.MAX_SAFE_INTEGER + 2])
  if (k === 2) return null
  if (k === 3) return rng.int(2) === 0
  if (k === 4) return String(Math.floor(rng.next() * 10 ** rng.int(12)) / 10 ** rng.int(12))
  if (k === 5) return pick(rng, JUNK_TEXT).repeat(1 + rng.int(3))
  if (k === 6 || k === 7) return Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth - 1))
  return Object.fromEntries(Array.from({ length: rng.int(3) }, () => [pick(rng, [...ORDER_KEYS, 'x', '']), jsonValue(rng, depth - 1)]))
}

function scalarText(rng: Rng): string {
  return rng.int(3) === 0 ? String(jsonValue(rng, 0)) : pick(rng, JUNK_TEXT)
}

/** A mostly valid order whose fields are then mutated. */
function orderBody(rng: Rng, bid: number): Record<string, unknown> {
  const side = pick(rng, ['bid', 'ask'])
  const templates: Array<Record<string, unknown>> = [
    {
      market: 'KRW-BTC',
      side,
      ord_type: 'limit',
      price: String(bid - 1000 * rng.int(2000)),
      volume: (rng.int(5000) / 1e6 + 0.0001).toFixed(8),
    },
    { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: String(5000 + rng.int(100_000)) },
    { market: 'KRW-BTC', side: 'ask', ord_type: 'market', volume: (rng.int(500) / 1e5 + 0.0001).toFixed(5) },
    {
      market: 'KRW-BTC',
      side,
      ord_type: 'best',
      time_in_force: pick(rng, ['ioc', 'fok']),
      ...(side === 'bid' ? { price: '10000' } : { volume: '0.001' }),
    },
  ]
  const body: Record<string, unknown> = { ...pick(rng, templates) }
  const mutations = rng.int(4)
  for (let i = 0; i < mutations; i++) {
    const key = pick(rng, [...ORDER_KEYS, 'extra', 'price', 'volume'])
    if (rng.int(5) === 0) delete body[key]
    else body[key] = jsonValue(rng)
  }
  if (rng.int(4) === 0) body.identifier = `fz-${rng.int(50)}`
  return body
}

function authorization(rng: Rng): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return pick(rng, [
    '',
    'Bearer',
    'Bearer ',
    'Basic QUs6U0s=',
    `Bearer ${pick(rng, JUNK_TEXT)}`,
    'Bearer a.b.c',
    'Bearer ...',
    `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ access_key: 'TEST_AK', nonce: 'n' })}.`,
    `Bearer ${b64({ alg: 'HS512' })}.${b64({ access_key: 'TEST_AK', nonce: 'n', query_hash: 'x' })}.${'A'.repeat(86)}`,
  ])
}

function rawBody(rng: Rng): string {
  if (rng.int(3) === 0) {
    // Deep enough to overflow a recursive walk (the venue once built its hash string that way).
    const depth = 4000 + rng.int(4000)
    return `{"market":${'['.repeat(depth)}${']'.repeat(depth)}}`
  }
  return pick(rng, [
    `{"market":${'['.repeat(100 + rng.int(6000))}${']'.repeat(100)}}`,
    '{"market":"KRW-BTC"',
    '[1,2,3]',
    '"string"',
    'null',
    `{"market":"${'x'.repeat(9000)}"}`,
    '{"a":{"b":{"c":{"d":{"e":1}}}}}',
    '\u0000\u0001\u0002',
    '{"market":"KRW-BTC","market":"KRW-ETH"}',
  ])
}

function randomQuery(rng: Rng, keys: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  const n = rng.int(4)
  for (let i = 0; i < n; i++) {
    const key = pick(rng, keys)
    params[key] = key.endsWith('[]') ? Array.from({ length: rng.int(25) }, () => scalarText(rng)) : scalarText(rng)
  }
  return params
}

/** The `i`-th REST case of a seed; `bid` is the market's best bid, `uuids` the venue's orders. */
export function restCase(seed: number, i: number, bid: number, uuids: readonly string[]): RestCase {
  const rng = createRng(seed * 1_000_003 + i)
  const kind = rng.int(10)
  if (kind <= 1) {
    const path = pick(rng, QUOTATION_PATHS)
    if (rng.int(4) === 0) {
      const raw = Array.from(
        { length: 1 + rng.int(4) },
        () =>
          `${pick(rng, QUOTATION_KEYS)}=${pick(rng, ['%', '%zz', '%E0%A4%A', '+', '&&', '=', 'KRW-BTC,KRW-BTC', '2024-01-01+00:00:00'])}`,
      ).join('&')
      return { method: 'GET', path, sign: false, params: {}, rawQuery: raw }
    }
    return { method: 'GET', path, sign: false, params: { market: 'KRW-BTC', ...randomQuery(rng, QUOTATION_KEYS) } }
  }
  if (kind <= 3) {
    const [method, path] = pick(rng, EXCHANGE_READS)
    const params = randomQuery(rng, EXCHANGE_KEYS)
    if (uuids.length > 0 && rng.int(3) === 0) params.uuid = pick(rng, uuids)
    return { method, path, sign: true, params }
  }
  if (kind <= 7) {
    const path = pick(rng, POST_ROUTES)
    const body = orderBody(rng, bid)
    if (path.endsWith('cancel_and_new')) {
      const renamed: Record<string, unknown> = { prev_order_uuid: uuids.length > 0 && rng.int(4) > 0 ? pick(rng, uuids) : scalarText(rng) }
      // cancel_and_new names the new order's fields new_<field> (market and side are the old order's).
      for (const [k, v] of Object.entries(body)) if (k !== 'market' && k !== 'side') renamed[`new_${k}`] = v
      return { method: 'POST', path, sign: true, params: renamed }
    }
    return { method: 'POST', path, sign: true, params: body }
  }
  if (kind === 8) {
    const [method, path] = rng.int(4) === 0 ? pick(rng, EXCHANGE_READS) : ['POST', pick(rng, POST_ROUTES)]
    return {
      method,
      path,
      sign: false,
      params: {},
      authorization: authorization(rng),
      ...(method === 'POST' ? { rawBody: rawBody(rng) } : {}),
    }
  }
  if (rng.int(2) === 0) return { method: 'POST', path: pick(rng, POST_ROUTES), sign: true, params: {}, rawBody: rawBody(rng) }
  return {
    method: pick(rng, ['PUT', 'PATCH', 'GET', 'DELETE', 'POST']),
    path: pick(rng, ['/v1/nope', '/', '/v2/orders', '/v1/orders/../accounts', '/v1/ticker%00']),
    sign: false,
    params: {},
  }
}

const WS_TYPES = [
  'ticker',
  'ticker',
  'ticker',
  'trade',
  'orderbook',
  'candle.1m',
  'candle.240m',
  'candle.2m',
  'myOrder',
  'myAsset',
  'announcement',
  '',
  'TICKER',
]
const WS_CODES = ['KRW-BTC', 'KRW-BTC.5', 'KRW-BTC.7', 'KRW-ETH', 'KRW-NOPE', '', '.', 'KRW-BTC.', 'krw-btc']

/** The `i`-th WebSocket message of a seed. */
export function wsCase(seed: number, i: number): string {
  const rng = createRng(seed * 7_000_003 + i)
  const kind = rng.int(8)
  if (kind === 0) {
    const depth = 3000 + rng.int(6000)
    return pick(rng, [
      'PING',
      'ping',
      ' PING ',
      '',
      '[]',
      '{}',
      'null',
      '[{"ticket":"t"}]',
      '[[[[[[[[[[]]]]]]]]]]',
      `[{"ticket":"t"},{"type":"ticker","codes":${'['.repeat(depth)}${']'.repeat(depth)}}]`,
    ])
  }
  if (kind === 1) return JSON.stringify(jsonValue(rng, 4))
  const objects: unknown[] = []
  if (rng.int(6) > 0) objects.push({ ticket: rng.int(5) > 0 ? `t-${i}` : jsonValue(rng, 1) })
  const types = 1 + rng.int(rng.int(5) === 0 ? 30 : 4)
  for (let t = 0; t < types; t++) {
    const o: Record<string, unknown> = { type: rng.int(8) > 0 ? pick(rng, WS_TYPES) : jsonValue(rng, 1) }
    if (rng.int(6) > 0) {
      const n = rng.int(4) === 0 ? 1 + rng.int(1500) : 1 + rng.int(4)
      o.codes = Array.from({ length: n }, () => (rng.int(10) > 0 ? pick(rng, WS_CODES) : jsonValue(rng, 1)))
    }
    if (rng.int(3) === 0)
      o[pick(rng, ['is_only_snapshot', 'is_only_realtime', 'isOnlySnapshot', 'isOnlyRealtime'])] = rng.int(3) > 0 ? true : jsonValue(rng, 0)
    objects.push(o)
  }
  if (rng.int(3) === 0)
    objects.push({ format: rng.int(4) > 0 ? pick(rng, ['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST', 'XML']) : jsonValue(rng, 1) })
  return JSON.stringify(objects)
}
