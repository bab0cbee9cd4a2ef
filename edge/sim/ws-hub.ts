// Upbit WebSocket endpoints on a `ws` server in noServer mode: /websocket/v1 (ticker, trade,
// orderbook, candle.Nm) and /websocket/v1/private (Bearer JWT on the handshake; myOrder, myAsset).
// Server frames are binary UTF-8 JSON. A text `PING` is answered at once with {"status":"UP"}.
// A new request message on a connection replaces its previous subscriptions. Limits (ws-limits.ts):
// Upbit's 5 connects/s per IP and 5 messages/s, 100/min per connection (with rate limits on), and
// always the caps on a request's size, codes and subscriptions (ws-request.ts). A realtime message
// is built once per generated trade and type, whatever the number of connections that get it.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { RawData, WebSocket } from 'ws'
import type { JwtVerifier } from './auth.ts'
import { rawJsonResponse } from './client-errors.ts'
import { UpbitError } from './errors.ts'
import type { OrderEventKind } from './exchange.ts'
import type { FaultBook } from './faults.ts'
import type { Ledger } from './ledger.ts'
import type { Markets } from './market-data.ts'
import type { Print } from './market-series.ts'
import type { SimLogger, SimOrder, SimTrade } from './types.ts'
import { ConnectRate, MessageRate, WS_MAX_PAYLOAD_BYTES, WS_MAX_REFUSED_MESSAGES } from './ws-limits.ts'
import { candleMsg, myAssetMsg, myOrderMsg, orderbookMsg, tickerMsg, toSimple, tradeMsg } from './ws-messages.ts'
import type { StreamType } from './ws-messages.ts'
import { parseWsRequest } from './ws-request.ts'
import type { Sub } from './ws-request.ts'

/** A message's text (Upbit clients send text or binary UTF-8 frames). */
function messageText(data: RawData, isBinary: boolean): string {
  return isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)
}

export const WS_PUBLIC_PATH = '/websocket/v1'
export const WS_PRIVATE_PATH = '/websocket/v1/private'

interface Conn {
  ws: WebSocket
  path: string
  authed: boolean
  subs: Sub[]
  format: string
  rate: MessageRate
}

export interface WsHubOptions {
  nowMs: () => number
  /** Time of the rate limits (the REST limiter's clock). */
  rateNowMs: () => number
  /** Apply Upbit's connect and message rates (the caps always apply). */
  enforceRateLimits: boolean
  logger: SimLogger
}

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES })
  private readonly conns = new Set<Conn>()
  private readonly connects = new ConnectRate()
  private readonly nowMs: () => number

  constructor(
    private readonly markets: Markets,
    private readonly ledger: Ledger,
    private readonly verifier: JwtVerifier,
    private readonly faults: FaultBook,
    private readonly opts: WsHubOptions,
  ) {
    this.nowMs = opts.nowMs
    faults.onDropWs = (endpoint) => {
      for (const c of this.conns) if (endpoint === 'ws' || endpoint === c.path) c.ws.terminate()
    }
  }

  /** `prefix` lets edge mount the venue under a path (e.g. '/sim/websocket/v1'). */
  attach(server: Server, prefix = ''): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const full = (req.url ?? '').split('?')[0] ?? ''
      const path = prefix && full.startsWith(prefix) ? full.slice(prefix.length) : prefix ? '' : full
      if (path !== WS_PUBLIC_PATH && path !== WS_PRIVATE_PATH) {
        if (server.listenerCount('upgrade') === 1) socket.destroy()
        return
      }
      const caller = req.socket.remoteAddress ?? '127.0.0.1'
      if (this.opts.enforceRateLimits && !this.connects.allow(caller, this.opts.rateNowMs())) {
        socket.end(
          rawJsonResponse(429, 'Too Many Requests', { name: 'Too Many Requests', message: '연결 요청 수 제한을 초과했습니다 (5/s).' }),
        )
        return
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, path))
    })
  }

  private send(c: Conn, msg: Record<string, unknown>): void {
    if (c.ws.readyState !== c.ws.OPEN) return
    const simple = c.format === 'SIMPLE' || c.format === 'SIMPLE_LIST'
    const body = simple ? toSimple(msg) : msg
    const list = c.format === 'JSON_LIST' || c.format === 'SIMPLE_LIST'
    c.ws.send(Buffer.from(JSON.stringify(list ? [body] : body), 'utf8'))
  }

  private error(c: Conn, name: string, message: string): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(Buffer.from(JSON.stringify({ error: { name, message } }), 'utf8'))
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, path: string): void {
    const c: Conn = { ws, path, authed: false, subs: [], format: 'DEFAULT', rate: new MessageRate() }
    this.conns.add(c)
    ws.on('close', () => this.conns.delete(c))
    ws.on('error', () => this.conns.delete(c))
    if (this.faults.take(path, true)) {
      ws.terminate()
      return
    }
    const handle = (text: string): void => {
      try {
        this.onMessage(c, text)
      } catch (e) {
        // A bug must not take the venue down with it (a throw here would be an uncaught exception).
        this.opts.logger.error('sim venue bug in a WebSocket request:', e)
        this.error(c, 'INTERNAL_ERROR', '서버 내부 오류가 발생했습니다.')
      }
    }
    if (path !== WS_PRIVATE_PATH) {
      ws.on('message', (data, isBinary) => handle(messageText(data, isBinary)))
      return
    }
    // The handshake's token is checked asynchronously (WebCrypto HMAC). Messages that arrive
    // meanwhile wait, in order, and are handled once it passes; if it is refused they are dropped.
    const held: string[] = []
    let state: 'verifying' | 'open' | 'refused' = 'verifying'
    ws.on('message', (data, isBinary) => {
      const text = messageText(data, isBinary)
      if (state === 'open') handle(text)
      else if (state === 'verifying') held.push(text)
    })
    void this.admit(c, req.headers.authorization).then((admitted) => {
      state = admitted ? 'open' : 'refused'
      const waiting = held.splice(0)
      if (admitted) for (const text of waiting) handle(text)
    })
  }

  /** Verifies a private connection's token; when it is refused, sends INVALID_AUTH and closes. */
  private async admit(c: Conn, authorization: string | undefined): Promise<boolean> {
    try {
      await this.verifier.verify(authorization, '')
      c.authed = true
      return true
    } catch (e) {
      if (e instanceof UpbitError) {
        this.error(c, 'INVALID_AUTH', e.message)
        c.ws.close(1008, 'INVALID_AUTH')
      } else {
        // A bug: logged, and the connection refused rather than an unhandled rejection.
        this.opts.logger.error('sim venue bug verifying a WebSocket token:', e)
        this.error(c, 'INTERNAL_ERROR', '서버 내부 오류가 발생했습니다.')
        c.ws.close(1011, 'INTERNAL_ERROR')
      }
      return false
    }
  }

  private onMessage(c: Conn, text: string): void {
    if (this.opts.enforceRateLimits && !c.rate.allow(this.opts.rateNowMs())) {
      if (c.rate.refused > WS_MAX_REFUSED_MESSAGES) {
        this.error(c, "I'm a teapot", '요청 수 제한을 계속 초과하여 연결을 종료합니다.')
        c.ws.close(1008, 'rate limit')
        return
      }
      return this.error(c, 'Too Many Requests', '요청 수 제한을 초과했습니다 (연결당 5/s, 100/min).')
    }
    if (text.trim() === 'PING') {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(Buffer.from('{"status":"UP"}', 'utf8'))
      return
    }
    const req = parseWsRequest(text, {
      authed: c.path === WS_PRIVATE_PATH && c.authed,
      knownCode: (code) => this.markets.get(code) !== undefined,
    })
    if (!req.ok) return this.error(c, req.error.name, req.error.message)
    const { format, subs } = req.value
    if (format !== undefined) c.format = format
    c.subs = subs
    for (const sub of subs) {
      if (!sub.snapshot || sub.type.startsWith('my')) continue
      for (const code of sub.codes) this.snapshot(c, sub, code)
    }
  }

  private publicMsg(sub: Sub, code: string, atMs: number, st: StreamType, p: Print | null): Record<string, unknown> | null {
    if (sub.type === 'ticker') return tickerMsg(this.markets, code, atMs, st)
    if (sub.type === 'orderbook') return orderbookMsg(this.markets, code, atMs, sub.depth, st)
    if (sub.type === 'trade') {
      const last = p ?? this.lastPrint(code, atMs)
      return last ? tradeMsg(this.markets, code, last, st) : null
    }
    return candleMsg(this.markets, code, Number(sub.type.slice(7, -1)), atMs, st)
  }

  private lastPrint(code: string, atMs: number): Print | null {
    const p: Print = { timeMs: 0, price: 0, volume: 0, askBid: 'BID', sequentialId: 0 }
    return this.markets.get(code)?.lastPrint(atMs, p) ? p : null
  }

  private snapshot(c: Conn, sub: Sub, code: string): void {
    const msg = this.publicMsg(sub, code, this.nowMs(), 'SNAPSHOT', null)
    if (msg) this.send(c, msg)
  }

  /** Realtime public messages for one generated trade, each built once and shared by every connection. */
  onPrint(market: string, p: Print): void {
    const built = new Map<string, Record<string, unknown> | null>()
    for (const c of this.conns) {
      for (const sub of c.subs) {
        if (!sub.realtime || sub.type.startsWith('my') || !sub.codes.includes(market)) continue
        const key = `${sub.type}|${sub.depth}`
        let msg = built.get(key)
        if (msg === undefined) {
          msg = this.publicMsg(sub, market, p.timeMs, 'REALTIME', p)
          built.set(key, msg)
        }
        if (msg) this.send(c, msg)
      }
    }
  }

  onOrder(o: SimOrder, kind: OrderEventKind, trade: SimTrade | null): void {
    for (const c of this.conns) {
      const sub = c.subs.find((s) => s.type === 'myOrder')
      if (!sub || (sub.codes.length > 0 && !sub.codes.includes(o.market))) continue
      this.send(c, myOrderMsg(o, kind, trade, this.nowMs()))
    }
  }

  onAssets(currencies: string[]): void {
    const assets = currencies.map((cur) => {
      const h = this.ledger.get(cur)
      return { currency: cur, balance: h.free, locked: h.locked }
    })
    for (const c of this.conns) if (c.subs.some((s) => s.type === 'myAsset')) this.send(c, myAssetMsg(assets, this.nowMs()))
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate()
    this.conns.clear()
    this.wss.close()
  }
}
