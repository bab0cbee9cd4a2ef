// The REST client over real HTTP on 127.0.0.1 against a scripted stub: signing, headers, parsing,
// Remaining-Req, 429/418/5xx/timeout handling and retries. Time is a fake clock (no timed tests).
import { describe, it, expect, afterEach } from 'vitest'
import { createUpbitClient } from '../../../edge/upbit/client.ts'
import { createMemoryBlockStore } from '../../../edge/upbit/block-store.ts'
import { decodeJwt, sha512Hex, verifyJwtSignature } from '../../../shared/upbit/jwt.ts'
import { startStub, fakeClock, type StubServer, type RecordedRequest } from './stub-server.ts'

const accessKey = 'AK-test'
const secretKey = 'SK-test-secret'
const candle = (utc: string) => ({
  market: 'KRW-BTC',
  candle_date_time_utc: utc,
  candle_date_time_kst: utc,
  opening_price: 100,
  high_price: 110,
  low_price: 90,
  trade_price: 105,
  timestamp: 1,
  candle_acc_trade_price: 1000,
  candle_acc_trade_volume: 10,
  unit: 1,
})
const account = {
  currency: 'KRW',
  balance: '1000000.0',
  locked: '0',
  avg_buy_price: '0',
  avg_buy_price_modified: false,
  unit_currency: 'KRW',
}

let stub: StubServer | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

/** Checks a request's JWT like Upbit does: signature over the received segments, query_hash over the decoded query. */
async function checkAuth(req: RecordedRequest): Promise<Record<string, unknown>> {
  const auth = req.headers.authorization
  expect(auth).toMatch(/^Bearer /)
  const decoded = decodeJwt(auth!.slice(7))
  if (!decoded.ok) throw new Error(decoded.error.message)
  expect(await verifyJwtSignature(decoded.value, secretKey)).toBe(true)
  const p = decoded.value.payload
  expect(p.access_key).toBe(accessKey)
  let canonical = ''
  if (req.method === 'POST') {
    canonical = Object.entries(JSON.parse(req.body) as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('&')
  } else if (req.rawQuery) {
    canonical = req.rawQuery
      .split('&')
      .map((pair) => pair.split('=').map(decodeURIComponent).join('='))
      .join('&')
  }
  if (canonical) {
    expect(p.query_hash).toBe(await sha512Hex(canonical))
    expect(p.query_hash_alg).toBe('SHA512')
  } else {
    expect(p).not.toHaveProperty('query_hash')
  }
  return p
}

describe('UpbitClient requests', () => {
  it('signs exchange calls with a fresh nonce each time and never sends Origin', async () => {
    stub = await startStub((req) => (req.path === '/v1/accounts' ? { status: 200, json: [account] } : { status: 200, json: [] }))
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey })
    const a = await client.getAccounts()
    expect(a).toMatchObject({ ok: true, value: [{ currency: 'KRW', balance: 1_000_000 }] })
    await client.getAccounts()
    await client.listOpenOrders({ market: 'KRW-BTC', states: ['wait', 'watch'], limit: 10 })
    await client.listClosedOrders({ market: 'KRW-BTC', startTimeMs: Date.UTC(2024, 7, 18, 15), limit: 100 })
    expect(stub.requests).toHaveLength(4)
    const nonces = new Set<unknown>()
    for (const r of stub.requests) {
      expect(r.headers.origin).toBeUndefined()
      nonces.add((await checkAuth(r)).nonce)
    }
    expect(nonces.size).toBe(4)
    expect(stub.requests[2]!.rawQuery).toBe('market=KRW-BTC&states[]=wait&states[]=watch&limit=10')
    expect(stub.requests[3]!.rawQuery).toBe('market=KRW-BTC&start_time=2024-08-19T00%3A00%3A00%2B09%3A00&limit=100')
  })

  it('sends no Authorization on quotation calls and encodes `to`', async () => {
    stub = await startStub(() => ({
      status: 200,
      json: [candle('2025-07-01T12:02:00'), candle('2025-07-01T12:01:00')],
      headers: { 'Remaining-Req': 'group=candles; min=600; sec=9' },
    }))
    const client = createUpbitClient({ baseUrl: stub.url })
    const r = await client.getCandles({ market: 'KRW-BTC', unit: '1m', toMs: Date.UTC(2025, 6, 1, 12, 3), count: 3 })
    expect(r.ok && r.value.map((c) => c.openTimeMs)).toEqual([Date.UTC(2025, 6, 1, 12, 2), Date.UTC(2025, 6, 1, 12, 1)])
    const req = stub.requests[0]!
    expect(req.path).toBe('/v1/candles/minutes/1')
    expect(req.rawQuery).toBe('market=KRW-BTC&to=2025-07-01T12%3A03%3A00Z&count=3')
    expect(req.headers.authorization).toBeUndefined()
    expect(req.headers.origin).toBeUndefined()
    await client.getCandles({ market: 'KRW-BTC', unit: '1d' })
    await client.getCandles({ market: 'KRW-BTC', unit: '240m' })
    expect(stub.requests.map((x) => x.path).slice(1)).toEqual(['/v1/candles/days', '/v1/candles/minutes/240'])
  })

  it('posts orders as JSON with the body in hash order and formatted decimals', async () => {
    stub = await startStub((req) => ({
      status: 201,
      json: {
        uuid: 'u1',
        side: 'bid',
        ord_type: 'limit',
        price: '145000000',
        state: 'wait',
        market: 'KRW-BTC',
        created_at: '2025-07-01T21:03:05+09:00',
        volume: '0.001',
        remaining_volume: '0.001',
        reserved_fee: '72.5',
        remaining_fee: '72.5',
        paid_fee: '0',
        locked: '145072.5',
        executed_volume: '0',
        trades_count: 0,
        identifier: JSON.parse(req.body).identifier,
      },
    }))
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey })
    const r = await client.placeOrder({
      market: 'KRW-BTC',
      side: 'bid',
      ordType: 'limit',
      price: 145_000_000,
      volume: 0.001,
      identifier: 'bot-0001',
    })
    expect(r).toMatchObject({ ok: true, value: { resolvedBy: 'response', order: { uuid: 'u1', identifier: 'bot-0001' } } })
    const req = stub.requests[0]!
    expect(req.body).toBe(
      '{"market":"KRW-BTC","side":"bid","volume":"0.001","price":"145000000","ord_type":"limit","identifier":"bot-0001"}',
    )
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(req.headers.origin).toBeUndefined()
    await checkAuth(req)
  })

  it('returns typed Upbit errors and malformed bodies, never throws', async () => {
    stub = await startStub((req) => {
      if (req.path === '/v1/ticker') return { status: 404, json: { error: { name: 404, message: 'Code not found' } } }
      if (req.path === '/v1/accounts')
        return { status: 401, json: { error: { name: 'jwt_verification', message: 'Jwt 토큰 검증에 실패했습니다.' } } }
      return { status: 200, json: [{ market: 'KRW-BTC' }] }
    })
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey })
    expect(await client.getTickers(['KRW-NOPE'])).toMatchObject({ ok: false, error: { kind: 'upbit', status: 404, name: '404' } })
    expect(await client.getAccounts()).toMatchObject({ ok: false, error: { kind: 'upbit', status: 401, name: 'jwt_verification' } })
    expect(await client.getCandles({ market: 'KRW-BTC', unit: '1m' })).toMatchObject({
      ok: false,
      error: { kind: 'malformed', status: 200 },
    })
    // A shape error is not retried (the same body would come back); 3 requests in all.
    expect(stub.requests).toHaveLength(3)
    const noKeys = createUpbitClient({ baseUrl: stub.url })
    expect(await noKeys.getAccounts()).toMatchObject({ ok: false, error: { kind: 'upbit', name: 'no_credentials' } })
  })
})

describe('UpbitClient limits and retries', () => {
  it('keeps every candle-group second at or under 10 requests (fake clock)', async () => {
    const clock = fakeClock()
    const seen: number[] = []
    stub = await startStub(() => ({ status: 200, json: [], headers: { 'Remaining-Req': 'group=candles; min=600; sec=5' } }))
    const client = createUpbitClient({
      baseUrl: stub.url,
      now: clock.now,
      sleep: clock.sleep,
      fetch: (url, init) => {
        seen.push(clock.now())
        return fetch(url, init)
      },
    })
    await Promise.all(Array.from({ length: 35 }, () => client.getCandles({ market: 'KRW-BTC', unit: '1m' })))
    expect(seen).toHaveLength(35)
    for (const t of seen) expect(seen.filter((x) => x > t - 1000 && x <= t).length).toBeLessThanOrEqual(10)
    expect(client.limiter.sentCount('candle')).toBe(35)
  })

  it('holds a group after Remaining-Req sec=0 it did not expect', async () => {
    const clock = fakeClock()
    stub = await startStub(() => ({ status: 200, json: [], headers: { 'Remaining-Req': 'group=ticker; min=600; sec=0' } }))
    const client = createUpbitClient({ baseUrl: stub.url, now: clock.now, sleep: clock.sleep })
    await client.getTickers(['KRW-BTC'])
    expect(clock.sleeps).toEqual([])
    await client.getTickers(['KRW-BTC'])
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000)
    // Other groups are not held.
    const before = clock.sleeps.length
    await client.getMarkets()
    expect(clock.sleeps.length).toBe(before)
  })

  it('backs off after 429 on reads, then succeeds; a 429 on DELETE is returned, not retried', async () => {
    const clock = fakeClock()
    let n = 0
    stub = await startStub((req) => {
      if (req.method === 'DELETE') return { status: 429, text: 'Too many API requests.' }
      return ++n <= 2 ? { status: 429, text: 'Too many API requests.' } : { status: 200, json: [account] }
    })
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey, now: clock.now, sleep: clock.sleep, random: () => 0.5 })
    const r = await client.getAccounts()
    expect(r.ok).toBe(true)
    expect(stub.requests).toHaveLength(3)
    // Each 429 holds the group at least one full second before the next try.
    expect(clock.sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThanOrEqual(2)
    const nonces = await Promise.all(stub.requests.map(async (x) => (await checkAuth(x)).nonce))
    expect(new Set(nonces).size).toBe(3)
    const c = await client.cancelOrder({ uuid: 'x' })
    expect(c).toMatchObject({ ok: false, error: { kind: 'rate-limited', status: 429 } })
    expect(stub.requests).toHaveLength(4)
  })

  it('retries GET on 5xx and connection resets, gives up after maxAttempts', async () => {
    let n = 0
    stub = await startStub(() =>
      ++n === 1 ? { destroy: true } : n === 2 ? { status: 502, text: '<html>bad gateway</html>' } : { status: 200, json: [account] },
    )
    const clock = fakeClock()
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey, now: clock.now, sleep: clock.sleep })
    expect((await client.getAccounts()).ok).toBe(true)
    expect(stub.requests).toHaveLength(3)
    stub.setHandler(() => ({ status: 503, json: { error: { name: 'server_error', message: 'down' } } }))
    const r = await client.getAccounts()
    expect(r).toMatchObject({ ok: false, error: { kind: 'http', status: 503 } })
    expect(stub.requests).toHaveLength(3 + 4)
  })

  it('times out slow answers and reports `timeout`', async () => {
    stub = await startStub(() => ({ status: 200, json: [], delayMs: 400 }))
    const client = createUpbitClient({ baseUrl: stub.url, timeoutMs: 50, maxAttempts: 2, sleep: async () => {} })
    const r = await client.getTickers(['KRW-BTC'])
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } })
    expect(stub.requests).toHaveLength(2)
  })

  it('on 418 stops every call until the block ends, persists it, and a restarted client respects it', async () => {
    const clock = fakeClock()
    const store = createMemoryBlockStore()
    stub = await startStub(() => ({ status: 418, text: "I'm a teapot", headers: { 'Retry-After': '120' } }))
    const client = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey, now: clock.now, sleep: clock.sleep, blockStore: store })
    const r = await client.getTickers(['KRW-BTC'])
    expect(r).toMatchObject({ ok: false, error: { kind: 'blocked', status: 418 } })
    const until = clock.now() + 121_000
    expect(r.ok ? 0 : r.error.retryAtMs).toBe(until)
    expect(store.load()).toEqual({ blockedUntilMs: until, consecutiveBlocks: 1 })
    expect(stub.requests).toHaveLength(1)
    // Another group, same client: refused without touching the network.
    expect(await client.getAccounts()).toMatchObject({ ok: false, error: { kind: 'blocked', retryAtMs: until } })
    // A "restarted" client with the same store: still blocked.
    stub.setHandler(() => ({ status: 200, json: [account] }))
    const restarted = createUpbitClient({ baseUrl: stub.url, accessKey, secretKey, now: clock.now, sleep: clock.sleep, blockStore: store })
    expect(await restarted.getAccounts()).toMatchObject({ ok: false, error: { kind: 'blocked' } })
    expect(stub.requests).toHaveLength(1)
    clock.advance(121_000)
    expect((await restarted.getAccounts()).ok).toBe(true)
    expect(store.load()).toEqual({ blockedUntilMs: until, consecutiveBlocks: 0 })
  })

  it('uses a doubling fallback when a 418 gives no duration', async () => {
    const clock = fakeClock()
    const store = createMemoryBlockStore()
    stub = await startStub(() => ({ status: 418, text: '' }))
    const client = createUpbitClient({ baseUrl: stub.url, now: clock.now, sleep: clock.sleep, blockStore: store })
    const t0 = clock.now()
    await client.getTickers(['KRW-BTC'])
    expect(store.load()!.blockedUntilMs).toBe(t0 + 60_000 + 1000)
    clock.advance(61_000)
    const t1 = clock.now()
    await client.getTickers(['KRW-BTC'])
    expect(store.load()).toEqual({ blockedUntilMs: t1 + 120_000 + 1000, consecutiveBlocks: 2 })
  })
})
