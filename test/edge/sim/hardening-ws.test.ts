// Issue 13, item 2, over real WebSocket on 127.0.0.1: one client's messages cannot hold the venue's
// event loop (codes de-duplicated and capped, subscriptions capped and merged, realtime messages
// built once per trade), and Upbit's documented rates apply (5 messages/s and 100/min per
// connection, 5 connects/s).
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { WS_MAX_CODES_PER_REQUEST, WS_MAX_SUBSCRIPTIONS } from '../../../edge/sim/ws-limits.ts'
import { isUpbitError, startTestVenue } from './helpers.ts'
import type { Json } from './helpers.ts'

let venue: StartedSimVenue | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await venue?.close()
  venue = undefined
})

/** Opens a socket and collects decoded frames; `next(n)` resolves once n frames have arrived. */
function connect(v: StartedSimVenue, path = '/websocket/v1') {
  const ws = new WebSocket(`${v.wsUrl}${path}`)
  sockets.push(ws)
  const frames: Json[] = []
  const waiters: Array<() => void> = []
  ws.on('message', (data) => {
    frames.push(JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as Json)
    for (const w of waiters.splice(0)) w()
  })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const next = (n: number): Promise<Json[]> =>
    new Promise((resolve) => {
      const check = (): void => (frames.length >= n ? resolve(frames) : void waiters.push(check))
      check()
    })
  /** Resolves with every frame once the server has answered a PING sent after what came before. */
  const settle = async (): Promise<Json[]> => {
    const n = frames.length
    ws.send('PING')
    for (;;) {
      const got = await next(frames.length + 1)
      if (got.slice(n).some((f) => f.status === 'UP')) return got.filter((f) => f.status !== 'UP')
    }
  }
  return { ws, frames, next, opened, settle }
}

/** The longest the event loop was late by while `run` was under way (a 5 ms probe). */
async function maxLoopDelay(run: () => Promise<void>): Promise<number> {
  let worst = 0
  let last = performance.now()
  const probe = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 5)
    last = now
  }, 5)
  try {
    await run()
  } finally {
    clearInterval(probe)
  }
  return worst
}

const errorFrames = (frames: Json[]): Json[] => frames.filter((f) => 'error' in f)

/**
 * Sends `message` and, while the venue handles it, a GET /v1/market/all; resolves once the first
 * frame is back with the event loop's worst delay and the HTTP call's time.
 */
async function sendBesideHttp(
  v: StartedSimVenue,
  c: ReturnType<typeof connect>,
  message: string,
): Promise<{ loopMs: number; httpMs: number }> {
  let httpMs = 0
  const loopMs = await maxLoopDelay(async () => {
    const frames = c.frames.length
    c.ws.send(message)
    const t0 = performance.now()
    expect((await fetch(`${v.url}/v1/market/all`)).status).toBe(200)
    httpMs = performance.now() - t0
    await c.next(frames + 1)
  })
  return { loopMs, httpMs }
}

describe('one client cannot hold the venue (item 2)', () => {
  it('answers a ticker request with 10,000 duplicate codes with an error frame, without blocking HTTP', async () => {
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], enforceRateLimits: false }))
    const c = connect(v)
    await c.opened
    const { loopMs, httpMs } = await sendBesideHttp(
      v,
      c,
      JSON.stringify([{ ticket: 't' }, { type: 'ticker', codes: Array(10_000).fill('KRW-BTC') }]),
    )
    expect(loopMs).toBeLessThan(200)
    expect(httpMs).toBeLessThan(200)
    expect(c.frames).toHaveLength(1)
    expect(isUpbitError(c.frames[0])).toBe(true)
    expect(c.frames[0]).toMatchObject({ error: { name: 'INVALID_PARAM' } })
  })

  it('de-duplicates codes: 1,000 copies of one code give one snapshot', async () => {
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], enforceRateLimits: false }))
    const c = connect(v)
    await c.opened
    c.ws.send(JSON.stringify([{ ticket: 't' }, { type: 'ticker', codes: Array(WS_MAX_CODES_PER_REQUEST).fill('KRW-BTC') }]))
    const frames = await c.settle()
    expect(frames.map((f) => [f.type, f.code, f.stream_type])).toEqual([['ticker', 'KRW-BTC', 'SNAPSHOT']])
  })

  it('refuses 5,000 subscriptions in one request, and merges repeated types so each trade is sent once', async () => {
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], enforceRateLimits: false }))
    const c = connect(v)
    await c.opened
    const many = Array.from({ length: 5000 }, () => ({ type: 'trade', codes: ['KRW-BTC'], is_only_realtime: true }))
    const { loopMs, httpMs } = await sendBesideHttp(v, c, JSON.stringify([{ ticket: 't' }, ...many]))
    expect(loopMs).toBeLessThan(200)
    expect(httpMs).toBeLessThan(200)
    // 5,000 of them exceed the request size cap (~190 KB); 17 exceed the subscription cap.
    expect(c.frames[0]).toMatchObject({ error: { name: 'INVALID_PARAM' } })
    c.ws.send(JSON.stringify([{ ticket: 't1' }, ...many.slice(0, WS_MAX_SUBSCRIPTIONS + 1)]))
    expect((await c.next(2))[1]).toMatchObject({
      error: { name: 'INVALID_PARAM', message: expect.stringContaining(String(WS_MAX_SUBSCRIPTIONS)) },
    })

    // At the cap, 16 copies of the same subscription: one realtime message per generated trade.
    c.ws.send(JSON.stringify([{ ticket: 't2' }, ...many.slice(0, WS_MAX_SUBSCRIPTIONS)]))
    await c.settle()
    const start = c.frames.length
    v.clock.advance(5 * 60_000)
    await c.settle()
    const trades = c.frames.slice(start).filter((f) => f.type === 'trade')
    expect(trades.length).toBeGreaterThan(0)
    expect(new Set(trades.map((f) => f.sequential_id)).size).toBe(trades.length)
  })

  it('survives nesting and non-string codes with an error frame and keeps the connection', async () => {
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], enforceRateLimits: false }))
    const c = connect(v)
    await c.opened
    c.ws.send(`[{"ticket":"t"},{"type":"ticker","codes":${'['.repeat(20_000)}${']'.repeat(20_000)}}]`)
    c.ws.send(JSON.stringify([{ ticket: 't' }, { type: 'ticker', codes: [['KRW-BTC']] }]))
    c.ws.send(JSON.stringify([{ ticket: 't' }, { type: ['ticker'], codes: ['KRW-BTC'] }]))
    c.ws.send(JSON.stringify([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }, { format: 'XML' }]))
    const frames = await c.settle()
    expect(frames.map((f) => (f.error as Json).name)).toEqual(['WRONG_FORMAT', 'WRONG_FORMAT', 'INVALID_PARAM', 'INVALID_PARAM'])
    expect(frames.every(isUpbitError)).toBe(true)
  })
})

describe('Upbit WebSocket rate limits (item 2)', () => {
  it('allows 5 messages per second per connection, then answers Too Many Requests', async () => {
    let now = 1_000_000
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], rateLimitNowMs: () => now }))
    const c = connect(v)
    await c.opened
    for (let i = 0; i < 6; i++) c.ws.send('PING')
    const frames = await c.next(6)
    expect(frames.filter((f) => f.status === 'UP')).toHaveLength(5)
    expect(errorFrames(frames)).toEqual([{ error: { name: 'Too Many Requests', message: expect.any(String) } }])
    now += 1000
    c.ws.send('PING')
    expect((await c.next(7))[6]).toEqual({ status: 'UP' })
  })

  it('allows 100 messages per minute per connection', async () => {
    let now = 1_000_000
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], rateLimitNowMs: () => now }))
    const c = connect(v)
    await c.opened
    for (let i = 0; i < 20; i++) {
      for (let k = 0; k < 5; k++) c.ws.send('PING')
      await c.next((i + 1) * 5)
      now += 1000
    }
    c.ws.send('PING')
    const frames = await c.next(101)
    expect(frames.slice(0, 100).every((f) => f.status === 'UP')).toBe(true)
    expect(frames[100]).toMatchObject({ error: { name: 'Too Many Requests' } })
    now += 60_000
    c.ws.send('PING')
    expect((await c.next(102))[101]).toEqual({ status: 'UP' })
  })

  it('closes a connection that keeps sending over the limit', async () => {
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], rateLimitNowMs: () => 1_000_000 }))
    const c = connect(v)
    await c.opened
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)))
    for (let i = 0; i < 40; i++) c.ws.send('PING')
    expect(await closed).toBe(1008)
    expect(c.frames.at(-1)).toMatchObject({ error: { name: "I'm a teapot" } })
  })

  it('allows 5 connects per second per IP, then refuses the handshake with 429 and an Upbit error body', async () => {
    let now = 1_000_000
    const v = (venue = await startTestVenue({ markets: ['KRW-BTC'], rateLimitNowMs: () => now }))
    for (let i = 0; i < 5; i++) await connect(v).opened
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${v.wsUrl}/websocket/v1`)
      sockets.push(ws)
      ws.once('open', () => reject(new Error('the sixth connect was accepted')))
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString('utf8')))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      ws.once('error', () => {})
    })
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.body)).toEqual({ error: { name: 'Too Many Requests', message: expect.any(String) } })
    now += 1000
    await connect(v).opened
  })
})
