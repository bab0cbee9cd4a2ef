import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'
import { AK, signed, SK, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue
const sockets: WebSocket[] = []
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC'], enforceRateLimits: false })
})
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await venue.close()
})

/** Opens a socket and collects decoded frames; `next(n)` resolves once n frames have arrived. */
function connect(path: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${venue.wsUrl}${path}`, { headers })
  sockets.push(ws)
  const frames: Array<{ binary: boolean; body: Json }> = []
  const waiters: Array<() => void> = []
  ws.on('message', (data, binary) => {
    frames.push({ binary, body: JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as Json })
    for (const w of waiters.splice(0)) w()
  })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = (n: number): Promise<typeof frames> =>
    new Promise((resolve) => {
      const check = (): void => (frames.length >= n ? resolve(frames) : void waiters.push(check))
      check()
    })
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  return { ws, frames, next, opened, closed }
}

describe('sim venue WebSocket', () => {
  it('sends a binary SNAPSHOT then REALTIME trades as the clock moves', async () => {
    const c = connect('/websocket/v1')
    await c.opened
    c.ws.send(JSON.stringify([{ ticket: 't-1' }, { type: 'trade', codes: ['KRW-BTC', 'KRW-NOPE'] }, { format: 'DEFAULT' }]))
    const [snap] = await c.next(1)
    expect(snap!.binary).toBe(true)
    expect(snap!.body).toMatchObject({ type: 'trade', code: 'KRW-BTC', stream_type: 'SNAPSHOT' })
    venue.clock.advance(60_000)
    const frames = await c.next(5)
    expect(frames.slice(1).every((f) => f.body.stream_type === 'REALTIME' && f.body.type === 'trade')).toBe(true)
  })

  it('supports ticker, orderbook and candle types and the SIMPLE format', async () => {
    const c = connect('/websocket/v1')
    await c.opened
    c.ws.send(
      JSON.stringify([
        { ticket: 't-2' },
        { type: 'ticker', codes: ['KRW-BTC'] },
        { type: 'orderbook', codes: ['KRW-BTC.5'] },
        { type: 'candle.1m', codes: ['KRW-BTC'] },
        { format: 'SIMPLE' },
      ]),
    )
    const frames = await c.next(3)
    const types = frames.map((f) => f.body.ty)
    expect(types).toEqual(['ticker', 'orderbook', 'candle.1m'])
    expect((frames[1]!.body.obu as unknown[]).length).toBe(5)
    expect(frames[0]!.body.st).toBe('SNAPSHOT')
  })

  it('answers PING with status UP and reports request errors', async () => {
    const c = connect('/websocket/v1')
    await c.opened
    c.ws.send('PING')
    expect((await c.next(1))[0]!.body).toEqual({ status: 'UP' })
    c.ws.send(JSON.stringify([{ type: 'ticker', codes: ['KRW-BTC'] }]))
    expect(((await c.next(2))[1]!.body.error as Json).name).toBe('NO_TICKET')
  })

  it('authenticates the private endpoint and streams myOrder and myAsset', async () => {
    const bad = connect('/websocket/v1/private', { Authorization: 'Bearer nope' })
    await bad.opened
    expect(((await bad.next(1))[0]!.body.error as Json).name).toBe('INVALID_AUTH')
    await bad.closed
    const token = await signUpbitJwt({ accessKey: AK, secretKey: SK, nonce: randomUUID(), query: undefined, alg: 'HS512' })
    const c = connect('/websocket/v1/private', { Authorization: `Bearer ${token}` })
    await c.opened
    c.ws.send(JSON.stringify([{ ticket: 'p-1' }, { type: 'myOrder' }, { type: 'myAsset' }]))
    // Let the server process the subscription before the order (PING round trip).
    c.ws.send('PING')
    await c.next(1)
    const res = await signed(venue, 'POST', '/v1/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'price',
      price: '10000',
      identifier: 'ws-1',
    })
    expect(res.status).toBe(201)
    const frames = await c.next(4)
    const orders = frames.filter((f) => f.body.type === 'myOrder').map((f) => f.body)
    expect(orders[0]).toMatchObject({ code: 'KRW-BTC', state: 'wait', identifier: 'ws-1', ask_bid: 'BID', order_type: 'price' })
    expect(orders.some((o) => o.state === 'trade' && typeof o.price === 'number' && o.trade_uuid !== null)).toBe(true)
    const bad2 = connect('/websocket/v1')
    await bad2.opened
    bad2.ws.send(JSON.stringify([{ ticket: 'x' }, { type: 'myAsset' }]))
    expect(((await bad2.next(1))[0]!.body.error as Json).name).toBe('INVALID_AUTH')
  })

  it('drops open sockets on a drop-ws fault', async () => {
    const c = connect('/websocket/v1')
    await c.opened
    venue.faults.inject({ endpoint: 'ws', kind: 'drop-ws' })
    await c.closed
    expect(c.ws.readyState).toBe(WebSocket.CLOSED)
    venue.faults.inject({ endpoint: 'ws', kind: 'drop-ws', count: 1 })
    const d = connect('/websocket/v1')
    await d.closed
    const e = connect('/websocket/v1')
    await e.opened
    e.ws.send('PING')
    expect((await e.next(1))[0]!.body).toEqual({ status: 'UP' })
  })
})
