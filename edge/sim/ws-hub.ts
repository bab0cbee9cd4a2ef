// Upbit WebSocket endpoints on a `ws` server in noServer mode: /websocket/v1 (ticker, trade,
// orderbook, candle.Nm) and /websocket/v1/private (Bearer JWT on the handshake; myOrder, myAsset).
// Server frames are binary UTF-8 JSON. A text `PING` is answered at once with {"status":"UP"}.
// A new request message on a connection replaces its previous subscriptions.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import type { JwtVerifier } from './auth.ts'
import { UpbitError } from './errors.ts'
import type { OrderEventKind } from './exchange.ts'
import type { FaultBook } from './faults.ts'
import type { Ledger } from './ledger.ts'
import type { Markets } from './market-data.ts'
import type { Print } from './market-series.ts'
import { candleMsg, myAssetMsg, myOrderMsg, orderbookMsg, tickerMsg, toSimple, tradeMsg } from './ws-messages.ts'
import type { StreamType } from './ws-messages.ts'
import type { SimOrder, SimTrade } from './types.ts'

export const WS_PUBLIC_PATH = '/websocket/v1'
export const WS_PRIVATE_PATH = '/websocket/v1/private'
const PUBLIC_TYPES = new Set(['ticker', 'trade', 'orderbook', ...[1, 3, 5, 10, 15, 30, 60, 240].map((u) => `candle.${u}m`)])

interface Sub {
  type: string
  codes: string[]
  depth: number
  realtime: boolean
}

interface Conn {
  ws: WebSocket
  path: string
  authed: boolean
  subs: Sub[]
  format: string
}

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly conns = new Set<Conn>()

  constructor(
    private readonly markets: Markets,
    private readonly ledger: Ledger,
    private readonly verifier: JwtVerifier,
    private readonly faults: FaultBook,
    private readonly nowMs: () => number,
  ) {
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
    const c: Conn = { ws, path, authed: false, subs: [], format: 'DEFAULT' }
    this.conns.add(c)
    ws.on('close', () => this.conns.delete(c))
    ws.on('error', () => this.conns.delete(c))
    if (this.faults.take(path, true)) {
      ws.terminate()
      return
    }
    if (path === WS_PRIVATE_PATH) {
      try {
        this.verifier.verify(req.headers.authorization, '')
        c.authed = true
      } catch (e) {
        if (!(e instanceof UpbitError)) throw e
        this.error(c, 'INVALID_AUTH', e.message)
        ws.close(1008, 'INVALID_AUTH')
        return
      }
    }
    ws.on('message', (data, isBinary) => this.onMessage(c, isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data)))
  }

  private onMessage(c: Conn, text: string): void {
    if (text.trim() === 'PING') {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(Buffer.from('{"status":"UP"}', 'utf8'))
      return
    }
    let req: unknown
    try {
      req = JSON.parse(text)
    } catch {
      return this.error(c, 'WRONG_FORMAT', '요청 형식이 올바르지 않습니다.')
    }
    if (!Array.isArray(req)) return this.error(c, 'WRONG_FORMAT', '요청은 배열이어야 합니다.')
    const objs = req.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object')
    if (!objs.some((o) => typeof o.ticket === 'string' && o.ticket !== '')) return this.error(c, 'NO_TICKET', 'ticket이 없습니다.')
    const typed = objs.filter((o) => 'type' in o)
    if (typed.length === 0) return this.error(c, 'NO_TYPE', 'type이 없습니다.')
    const fmt = objs.find((o) => typeof o.format === 'string')?.format
    if (typeof fmt === 'string') c.format = fmt
    const subs: Sub[] = []
    for (const o of typed) {
      const type = String(o.type)
      const realtimeOnly = o.is_only_realtime === true || o.isOnlyRealtime === true
      const snapshotOnly = o.is_only_snapshot === true || o.isOnlySnapshot === true
      const codesRaw = Array.isArray(o.codes) ? o.codes.map(String) : null
      if (type === 'myOrder' || type === 'myAsset') {
        if (c.path !== WS_PRIVATE_PATH || !c.authed) return this.error(c, 'INVALID_AUTH', '인증이 필요한 타입입니다.')
        if (type === 'myAsset' && codesRaw !== null) return this.error(c, 'WRONG_FORMAT', 'myAsset은 codes를 받지 않습니다.')
        subs.push({ type, codes: codesRaw ?? [], depth: 0, realtime: !snapshotOnly })
        continue
      }
      if (!PUBLIC_TYPES.has(type)) return this.error(c, 'INVALID_PARAM', `알 수 없는 type: ${type}`)
      if (!codesRaw || codesRaw.length === 0) return this.error(c, 'NO_CODES', 'codes가 없습니다.')
      const codes: string[] = []
      let depth = 30
      for (const raw of codesRaw) {
        const [code, d] = raw.split('.')
        if (d !== undefined && type === 'orderbook') depth = [1, 5, 15, 30].includes(Number(d)) ? Number(d) : 30
        if (code && this.markets.get(code)) codes.push(code) // unknown codes are ignored silently
      }
      const sub: Sub = { type, codes, depth, realtime: !snapshotOnly }
      subs.push(sub)
      if (!realtimeOnly) for (const code of codes) this.snapshot(c, sub, code)
    }
    c.subs = subs
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

  /** Realtime public messages for one generated trade. */
  onPrint(market: string, p: Print): void {
    for (const c of this.conns) {
      for (const sub of c.subs) {
        if (!sub.realtime || !sub.codes.includes(market) || sub.type.startsWith('my')) continue
        const msg = this.publicMsg(sub, market, p.timeMs, 'REALTIME', p)
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
