// Order placement under every fault a venue can produce: one intent never becomes two orders,
// ambiguous outcomes are resolved by identifier, resubmission only under the same identifier and
// only after the venue proved it never got the order. Real HTTP against a small model venue.
import { describe, it, expect, afterEach } from 'vitest'
import { createUpbitClient } from '../../../edge/upbit/client.ts'
import { startStub, fakeClock, type StubReply, type StubServer } from './stub-server.ts'

type Fault =
  | 'none'
  | 'timeout-after-commit'
  | 'response-lost'
  | 'reset-before-commit'
  | '500-before'
  | '500-after'
  | '429'
  | '418'
  | 'malformed-after'
  | 'html-400'
  | 'reject-funds'

interface Venue {
  readonly orders: Map<string, Record<string, unknown>>
  readonly used: Set<string>
  posts: number
  lookups: number
  /** Lookups that must answer 404 even though the order exists (eventual consistency). */
  hideForLookups: number
}

const orderJson = (identifier: string, n: number) => ({
  uuid: `uuid-${n}`,
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
  identifier,
})

function venueHandler(venue: Venue, faults: Fault[]) {
  return (req: { method: string; path: string; query: URLSearchParams; body: string }): StubReply => {
    if (req.method === 'GET' && req.path === '/v1/order') {
      venue.lookups++
      const id = req.query.get('identifier') ?? ''
      const o = venue.orders.get(id)
      if (!o || venue.hideForLookups-- > 0)
        return { status: 404, json: { error: { name: 'order_not_found', message: '주문을 찾지 못했습니다.' } } }
      return { status: 200, json: { ...o, trades: [] } }
    }
    if (req.method === 'POST' && req.path === '/v1/orders') {
      venue.posts++
      const fault = faults.shift() ?? 'none'
      const id = (JSON.parse(req.body) as { identifier: string }).identifier
      const commit = (): Record<string, unknown> | StubReply => {
        if (venue.used.has(id)) return { status: 400, json: { error: { name: 'duplicated_identifier', message: 'dup' } } }
        venue.used.add(id)
        const o = orderJson(id, venue.orders.size + 1)
        venue.orders.set(id, o)
        return o
      }
      const committed = (f: (o: Record<string, unknown>) => StubReply): StubReply => {
        const r = commit()
        return 'status' in r && typeof r.status === 'number' ? (r as StubReply) : f(r as Record<string, unknown>)
      }
      switch (fault) {
        case 'none':
          return committed((o) => ({ status: 201, json: o }))
        case 'timeout-after-commit':
          return committed((o) => ({ status: 201, json: o, delayMs: 1200 }))
        case 'response-lost':
          return committed(() => ({ destroy: true }))
        case 'reset-before-commit':
          return { destroy: true }
        case '500-before':
          return { status: 500, json: { error: { name: 'server_error', message: 'oops' } } }
        case '500-after':
          return committed(() => ({ status: 500, text: 'Internal Server Error' }))
        case '429':
          return { status: 429, text: 'Too many API requests.' }
        case '418':
          return { status: 418, text: 'blocked for 30 seconds', headers: { 'Retry-After': '30' } }
        case 'malformed-after':
          return committed(() => ({ status: 201, text: '{"uuid":"trunc' }))
        case 'html-400':
          return { status: 400, text: '<html>Bad Request</html>' }
        case 'reject-funds':
          venue.used.add(id)
          return { status: 400, json: { error: { name: 'insufficient_funds_bid', message: '주문가능한 금액(KRW)이 부족합니다.' } } }
      }
    }
    return { status: 404, json: { error: { name: 'not_found', message: req.path } } }
  }
}

let stub: StubServer | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

async function setup(faults: Fault[], hideForLookups = 0) {
  const venue: Venue = { orders: new Map(), used: new Set(), posts: 0, lookups: 0, hideForLookups }
  stub = await startStub(venueHandler(venue, faults))
  const clock = fakeClock()
  const client = createUpbitClient({
    baseUrl: stub.url,
    accessKey: 'ak',
    secretKey: 'sk',
    timeoutMs: 500,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  })
  const place = () =>
    client.placeOrder({ market: 'KRW-BTC', side: 'bid', ordType: 'limit', price: 145_000_000, volume: 0.001, identifier: 'intent-1' })
  return { venue, place }
}

describe('placeOrder: never two orders', () => {
  const cases: ReadonlyArray<readonly [Fault, 'response' | 'lookup' | 'resubmit' | 'rejected' | 'ambiguous', number]> = [
    ['none', 'response', 1],
    ['timeout-after-commit', 'lookup', 1],
    ['response-lost', 'lookup', 1],
    ['reset-before-commit', 'resubmit', 2],
    ['500-before', 'resubmit', 2],
    ['500-after', 'lookup', 1],
    ['429', 'resubmit', 2],
    ['malformed-after', 'lookup', 1],
    ['html-400', 'resubmit', 2],
    ['reject-funds', 'rejected', 1],
    ['418', 'ambiguous', 1],
  ]
  for (const [fault, expected, posts] of cases) {
    it(`${fault} → ${expected}, ${posts} POST(s), at most one order`, async () => {
      const { venue, place } = await setup([fault])
      const r = await place()
      expect(venue.orders.size).toBeLessThanOrEqual(1)
      expect(venue.posts).toBe(posts)
      if (expected === 'rejected') {
        expect(r).toMatchObject({ ok: false, error: { kind: 'upbit', name: 'insufficient_funds_bid' } })
        expect(venue.lookups).toBe(0)
      } else if (expected === 'ambiguous') {
        expect(r).toMatchObject({ ok: false, error: { kind: 'ambiguous' } })
        if (!r.ok) expect(r.error.retryAtMs).toBeGreaterThan(0)
      } else {
        expect(r).toMatchObject({ ok: true, value: { resolvedBy: expected, order: { identifier: 'intent-1' } } })
        expect(venue.orders.size).toBe(1)
        if (r.ok) expect(r.value.order.uuid).toBe(venue.orders.get('intent-1')!.uuid)
      }
      // Every POST carried the same identifier.
      const ids = stub!.requests.filter((q) => q.method === 'POST').map((q) => JSON.parse(q.body).identifier)
      expect(new Set(ids)).toEqual(new Set(['intent-1']))
    })
  }

  it('adopts an order that lookups only see on the third try (eventual consistency)', async () => {
    const { venue, place } = await setup(['response-lost'], 2)
    const r = await place()
    expect(r).toMatchObject({ ok: true, value: { resolvedBy: 'lookup' } })
    expect(venue.posts).toBe(1)
    expect(venue.lookups).toBe(3)
  })

  it('a faulty resubmission is resolved by lookup, still one order', async () => {
    const { venue, place } = await setup(['reset-before-commit', 'response-lost'])
    const r = await place()
    expect(r).toMatchObject({ ok: true, value: { resolvedBy: 'lookup' } })
    expect(venue.posts).toBe(2)
    expect(venue.orders.size).toBe(1)
  })

  it('never sends a third POST even when everything fails', async () => {
    const { venue, place } = await setup(['500-before', '500-before', '500-before'])
    const r = await place()
    expect(r).toMatchObject({ ok: false, error: { kind: 'ambiguous' } })
    expect(venue.posts).toBe(2)
    expect(venue.orders.size).toBe(0)
  })

  it('a duplicated identifier with no order at the venue is "not placed", without resubmitting', async () => {
    const { venue, place } = await setup([])
    venue.used.add('intent-1')
    const r = await place()
    expect(r).toMatchObject({ ok: false, error: { kind: 'upbit', name: 'duplicated_identifier' } })
    expect(venue.posts).toBe(1)
    expect(venue.lookups).toBe(3)
  })

  it('a duplicated identifier whose order exists is adopted (placed before a restart)', async () => {
    const { venue, place } = await setup(['none'])
    expect((await place()).ok).toBe(true)
    const again = await place()
    expect(again).toMatchObject({ ok: true, value: { resolvedBy: 'lookup', order: { uuid: 'uuid-1' } } })
    expect(venue.orders.size).toBe(1)
  })
})
