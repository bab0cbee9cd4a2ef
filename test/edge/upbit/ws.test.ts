// The WebSocket client against a ws server on 127.0.0.1: subscription format, binary frames,
// keep-alive, private handshake auth, reconnect + resubscribe + onReconnect after a drop, stale
// detection, backoff delays from the injected random. Waits are on events, never on wall time.
import { describe, it, expect, afterEach } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connectUpbitWs, subscriptionMessage, type UpbitWsClient } from '../../../edge/upbit/ws.ts'
import { decodeJwt, verifyJwtSignature } from '../../../shared/upbit/jwt.ts'

interface Conn {
  readonly socket: ServerSocket
  readonly req: IncomingMessage
  readonly messages: string[]
}

async function startWsServer(opts: { silent?: boolean; rejectFirst?: number } = {}) {
  let rejects = opts.rejectFirst ?? 0
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, done) => {
      if (rejects > 0) {
        rejects--
        done(false, 503)
      } else done(true)
    },
  })
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()))
  const conns: Conn[] = []
  const waiters: Array<() => void> = []
  const notify = () => waiters.splice(0).forEach((w) => w())
  wss.on('connection', (socket, req) => {
    const conn: Conn = { socket, req, messages: [] }
    conns.push(conn)
    socket.on('message', (data, isBinary) => {
      const text = data.toString()
      conn.messages.push(text)
      if (!opts.silent && !isBinary && text === 'PING') socket.send(Buffer.from('{"status":"UP"}'))
      else if (!opts.silent && text.startsWith('[')) {
        socket.send(Buffer.from(JSON.stringify({ type: 'ticker', code: 'KRW-BTC', trade_price: 100, stream_type: 'SNAPSHOT' })), {
          binary: true,
        })
      }
      notify()
    })
    notify()
  })
  const port = (wss.address() as AddressInfo).port
  return {
    url: `ws://127.0.0.1:${port}/websocket/v1`,
    conns,
    /** Resolves when `cond` holds (checked on every server event). */
    until: async (cond: () => boolean) => {
      while (!cond()) await new Promise<void>((resolve) => waiters.push(resolve))
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  }
}

let server: Awaited<ReturnType<typeof startWsServer>> | undefined
let client: UpbitWsClient | undefined
afterEach(async () => {
  await client?.close()
  await server?.close()
  client = server = undefined
})

function waitFor<T>(register: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => register(resolve))
}

describe('Upbit WebSocket client', () => {
  it('builds Upbit request messages', () => {
    expect(
      subscriptionMessage('t-1', [
        { type: 'ticker', codes: ['krw-btc'] },
        { type: 'myAsset' },
        { type: 'candle.1m', codes: ['KRW-ETH'], isOnlyRealtime: true },
      ]),
    ).toBe(
      '[{"ticket":"t-1"},{"type":"ticker","codes":["KRW-BTC"]},{"type":"myAsset"},{"type":"candle.1m","codes":["KRW-ETH"],"is_only_realtime":true},{"format":"DEFAULT"}]',
    )
  })

  it('subscribes, decodes binary frames, sends PING and hides {"status":"UP"}', async () => {
    server = await startWsServer()
    const got: Array<Record<string, unknown>> = []
    let resolveFirst: () => void = () => {}
    const first = new Promise<void>((r) => (resolveFirst = r))
    client = connectUpbitWs({
      url: server.url,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      pingIntervalMs: 20,
      ticket: () => 'ticket-1',
      onMessage: (m) => {
        got.push(m)
        resolveFirst()
      },
    })
    await first
    await server.until(() => server!.conns[0]!.messages.includes('PING'))
    const conn = server.conns[0]!
    expect(conn.messages[0]).toBe('[{"ticket":"ticket-1"},{"type":"ticker","codes":["KRW-BTC"]},{"format":"DEFAULT"}]')
    expect(conn.req.headers.origin).toBeUndefined()
    expect(conn.req.headers.authorization).toBeUndefined()
    expect(got[0]).toEqual({ type: 'ticker', code: 'KRW-BTC', trade_price: 100, stream_type: 'SNAPSHOT' })
    expect(got.every((m) => m.status === undefined)).toBe(true)
  })

  it('private: signs a fresh JWT (no query_hash) for every handshake, resubscribes and calls onReconnect after a drop', async () => {
    server = await startWsServer()
    const reconnects: Array<{ reconnects: number }> = []
    let onRe: () => void = () => {}
    client = connectUpbitWs({
      url: server.url.replace('/websocket/v1', '/websocket/v1/private'),
      auth: { accessKey: 'ak', secretKey: 'sk' },
      subscriptions: [{ type: 'myOrder' }, { type: 'myAsset' }],
      random: () => 0,
      onMessage: () => {},
      onReconnect: (info) => {
        reconnects.push(info)
        onRe()
      },
    })
    await server.until(() => server!.conns.length === 1 && server!.conns[0]!.messages.length === 1)
    const reconnected = waitFor<void>((r) => (onRe = r))
    server.conns[0]!.socket.terminate()
    await reconnected
    await server.until(() => server!.conns.length === 2 && server!.conns[1]!.messages.length >= 1)
    const [a, b] = server.conns
    expect(a!.req.url).toBe('/websocket/v1/private')
    const nonces: unknown[] = []
    for (const c of [a!, b!]) {
      const d = decodeJwt(c.req.headers.authorization!.replace(/^Bearer /, ''))
      if (!d.ok) throw new Error(d.error.message)
      expect(await verifyJwtSignature(d.value, 'sk')).toBe(true)
      expect(Object.keys(d.value.payload)).toEqual(['access_key', 'nonce'])
      nonces.push(d.value.payload.nonce)
    }
    expect(nonces[0]).not.toBe(nonces[1])
    // Same subscriptions after the reconnect (tickets differ).
    const strip = (m: string) => (JSON.parse(m) as unknown[]).slice(1)
    expect(strip(b!.messages[0]!)).toEqual(strip(a!.messages[0]!))
    expect(reconnects).toEqual([{ reconnects: 1, downMs: expect.any(Number) }])
    expect(client.reconnects()).toBe(1)
  })

  it('treats a silent link as dead and reconnects', async () => {
    server = await startWsServer({ silent: true })
    let onRe: () => void = () => {}
    const reconnected = waitFor<void>((r) => (onRe = r))
    client = connectUpbitWs({
      url: server.url,
      subscriptions: [{ type: 'trade', codes: ['KRW-BTC'] }],
      staleAfterMs: 150,
      pingIntervalMs: 1_000_000,
      random: () => 0,
      onMessage: () => {},
      onReconnect: () => onRe(),
    })
    await reconnected
    await server.until(() => server!.conns.length >= 2 && server!.conns[1]!.messages.length >= 1)
    // The first link was cut by the client (the server never closes it), and the new one resubscribed.
    expect(server.conns[0]!.socket.readyState).not.toBe(1)
    expect(JSON.parse(server.conns[1]!.messages[0]!)[1]).toEqual({ type: 'trade', codes: ['KRW-BTC'] })
  })

  it('backs off with full jitter from the injected random while the server refuses', async () => {
    server = await startWsServer({ rejectFirst: 4 })
    const delays: number[] = []
    let opened: () => void = () => {}
    const isOpen = waitFor<void>((r) => (opened = r))
    client = connectUpbitWs({
      url: server.url,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 500, factor: 2 },
      onMessage: () => {},
      onStateChange: (s, info) => {
        if (s === 'backoff') delays.push(info!.delayMs!)
        if (s === 'open') opened()
      },
    })
    await isOpen
    // 0.5 × min(500, 100 × 2^(n−1)) for n = 1…4, at least 100 ms after the first.
    expect(delays).toEqual([50, 100, 200, 250])
  })

  it('never retries faster than every 100 ms after the first retry, even with zero jitter', async () => {
    server = await startWsServer({ rejectFirst: 3 })
    const delays: number[] = []
    let opened: () => void = () => {}
    const isOpen = waitFor<void>((r) => (opened = r))
    client = connectUpbitWs({
      url: server.url,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      random: () => 0,
      onMessage: () => {},
      onStateChange: (s, info) => {
        if (s === 'backoff') delays.push(info!.delayMs!)
        if (s === 'open') opened()
      },
    })
    await isOpen
    expect(delays).toEqual([0, 100, 100])
  })

  it('reports server error frames and stops for good on close()', async () => {
    server = await startWsServer()
    const errors: unknown[] = []
    let gotError: () => void = () => {}
    const errored = waitFor<void>((r) => (gotError = r))
    client = connectUpbitWs({
      url: server.url,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      onMessage: () => {},
      onError: (e) => {
        errors.push(e)
        gotError()
      },
    })
    await server.until(() => server!.conns.length === 1 && server!.conns[0]!.messages.length === 1)
    server.conns[0]!.socket.send(Buffer.from('{"error":{"name":"WRONG_FORMAT","message":"bad"}}'))
    await errored
    expect(errors).toEqual([{ kind: 'server', name: 'WRONG_FORMAT', message: 'bad' }])
    await client.close()
    expect(client.state()).toBe('closed')
    expect(server.conns).toHaveLength(1)
  })
})
