// The event stream: WebSocket /api/stream (the handshake passed server/upgrade.ts's Host and
// Origin checks). The token comes in the FIRST message, `{ type: 'auth', token, lastSeq? }`, never
// in the URL; anything else first, a wrong token or silence for AUTH_TIMEOUT_MS closes with 4401.
//
// Catch-up without gap or duplicate: after auth the client's events come from the journal
// (eventsAfter lastSeq, page by page) until a read finds nothing newer; only then, in the same
// synchronous step, does it switch to live events, and a live event is sent only when its seq is
// above the last one sent. Appends and publishes are synchronous on the same thread, so nothing
// can fall between the last page and the switch.
//
// Backpressure: a live client whose unsent bytes (bufferedAmount) exceed maxBufferedBytes is
// dropped (close 4008 "too slow") instead of stalling the runner or growing memory; it
// reconnects with its last seq and catches up from the journal, paced by the same bound.
//
// Heartbeat: every heartbeatMs a live client gets `{ type: 'heartbeat', lastSeq, time }` (the
// last seq sent to it), so a quiet run and a dead connection look different to the lab, and it
// can tell a frame it lost from one that never came. Each beat also pings the socket; a client
// that has not answered the previous ping (browsers answer by themselves) is cut: a half-open
// connection does not stay on the books.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EventRow, Journal } from '../journal/index.ts'
import type { EventLog } from '../runner/event-log.ts'
import { createTokenCheck } from '../server/token.ts'

export const STREAM_PATH = '/api/stream'
export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_TOO_SLOW = 4008
export const CLOSE_BAD_MESSAGE = 4400
const AUTH_TIMEOUT_MS = 5_000
const PAGE = 500
const MAX_MESSAGE_BYTES = 4_096

export interface StreamOptions {
  readonly journal: Journal
  readonly events: EventLog
  readonly token: string
  /** Unsent bytes above which a client is dropped (default 1 MiB). */
  readonly maxBufferedBytes?: number
  readonly authTimeoutMs?: number
  /** Between heartbeats and pings (default 10 s). */
  readonly heartbeatMs?: number
}

export const HEARTBEAT_MS = 10_000

export interface StreamHub {
  /** Number of authenticated clients. */
  readonly clients: () => number
  close(): void
}

/** One stream frame: the event's seq, time, kind and run, then its payload's fields. */
export function frameOf(e: EventRow): string {
  return JSON.stringify({ seq: e.seq, time: e.timeMs, kind: e.kind, runId: e.runId, ...e.payload })
}

interface Client {
  readonly ws: WebSocket
  live: boolean
  lastSent: number
  /** A ping is out and no pong has come back yet. */
  pinged: boolean
}

function parseAuth(data: unknown): { token: string; lastSeq: number } | null {
  if (!Buffer.isBuffer(data) || data.length > MAX_MESSAGE_BYTES) return null
  let m: unknown
  try {
    m = JSON.parse(data.toString('utf8'))
  } catch {
    return null
  }
  if (typeof m !== 'object' || m === null) return null
  const { type, token, lastSeq, ...rest } = m as Record<string, unknown>
  if (type !== 'auth' || typeof token !== 'string' || Object.keys(rest).length > 0) return null
  if (lastSeq !== undefined && !(Number.isSafeInteger(lastSeq) && (lastSeq as number) >= 0)) return null
  return { token, lastSeq: (lastSeq as number | undefined) ?? 0 }
}

/** Attaches the stream to `upgrades` (a facade server that receives only /api/stream handshakes). */
export function attachStream(upgrades: Server, o: StreamOptions): StreamHub {
  const maxBuffered = o.maxBufferedBytes ?? 1 << 20
  const checkToken = createTokenCheck(o.token)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const clients = new Set<Client>()

  const send = (c: Client, e: EventRow): void => {
    c.ws.send(frameOf(e))
    c.lastSent = e.seq
  }

  // Journal pages until caught up, waiting while the client's buffer is over the bound.
  const catchUp = (c: Client): void => {
    if (c.ws.readyState !== c.ws.OPEN) return
    if (c.ws.bufferedAmount > maxBuffered) {
      setTimeout(() => catchUp(c), 10)
      return
    }
    const page = o.journal.events.eventsAfter(c.lastSent, PAGE)
    for (const e of page) send(c, e)
    if (page.length === PAGE) {
      setImmediate(() => catchUp(c))
      return
    }
    c.live = true
    c.ws.send(JSON.stringify({ type: 'live', lastSeq: c.lastSent }))
  }

  const unsubscribe = o.events.subscribe((e) => {
    for (const c of clients) {
      if (!c.live || e.seq <= c.lastSent) continue
      if (c.ws.bufferedAmount > maxBuffered) {
        clients.delete(c)
        c.ws.close(CLOSE_TOO_SLOW, 'too slow: reconnect with your last seq')
        // A client that stopped reading also stops the close handshake: cut it.
        setTimeout(() => c.ws.terminate(), 1_000).unref()
        continue
      }
      send(c, e)
    }
  })

  wss.on('connection', (ws: WebSocket) => {
    const timer = setTimeout(() => ws.close(CLOSE_UNAUTHORIZED, 'authenticate first'), o.authTimeoutMs ?? AUTH_TIMEOUT_MS)
    ws.once('message', (data) => {
      clearTimeout(timer)
      const auth = parseAuth(data)
      if (auth === null) return ws.close(CLOSE_UNAUTHORIZED, 'first message must be {type:"auth", token, lastSeq?}')
      if (!checkToken(`Bearer ${auth.token}`)) return ws.close(CLOSE_UNAUTHORIZED, 'unauthorized')
      const c: Client = { ws, live: false, lastSent: auth.lastSeq, pinged: false }
      clients.add(c)
      ws.on('pong', () => (c.pinged = false))
      ws.on('message', () => ws.close(CLOSE_BAD_MESSAGE, 'nothing to send after auth'))
      ws.on('close', () => clients.delete(c))
      catchUp(c)
    })
    ws.on('error', () => ws.terminate())
  })

  const beat = setInterval(() => {
    for (const c of clients) {
      if (c.ws.readyState !== c.ws.OPEN) continue
      if (c.pinged) {
        clients.delete(c)
        c.ws.terminate()
        continue
      }
      c.pinged = true
      c.ws.ping()
      if (c.live) c.ws.send(JSON.stringify({ type: 'heartbeat', lastSeq: c.lastSent, time: Date.now() }))
    }
  }, o.heartbeatMs ?? HEARTBEAT_MS)
  beat.unref()

  upgrades.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  return {
    clients: () => clients.size,
    close() {
      clearInterval(beat)
      unsubscribe()
      for (const c of wss.clients) c.terminate()
      wss.close()
    },
  }
}
