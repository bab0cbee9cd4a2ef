// Upbit WebSocket client (upbit-api.md §7, reliability.md §4) for the public stream (ticker, trade,
// orderbook, candle.*) and the private one (myOrder, myAsset on /websocket/v1/private with a fresh
// Bearer JWT on every handshake). It keeps the link alive (text `PING` → `{"status":"UP"}` every
// 10 s, plus protocol pings), treats silence longer than `staleAfterMs` as a dead link, reconnects
// with exponential backoff and full jitter (random injected), resubscribes everything, and calls
// `onReconnect` after every reconnect so the live runner can reconcile missed fills over REST.
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { signUpbitJwt } from '../../shared/upbit/jwt.ts'

export interface UpbitWsSubscription {
  /** `ticker` | `trade` | `orderbook` | `candle.1m`… | `myOrder` | `myAsset`. */
  readonly type: string
  /** Upper-case market codes; omit for myAsset (Upbit refuses codes there) or for all markets in myOrder. */
  readonly codes?: readonly string[]
  readonly isOnlyRealtime?: boolean
  readonly isOnlySnapshot?: boolean
}

export type UpbitWsState = 'connecting' | 'open' | 'backoff' | 'closed'

export interface UpbitWsError {
  readonly kind: 'server' | 'malformed' | 'socket'
  readonly message: string
  /** Upbit's error name (`INVALID_AUTH`, `WRONG_FORMAT`, …) for server errors. */
  readonly name?: string
}

export interface UpbitWsOptions {
  /** `wss://api.upbit.com/websocket/v1` (public) or `…/websocket/v1/private`. */
  readonly url: string
  /** Private streams: the JWT (access_key + nonce, no query_hash) is signed anew for each handshake. */
  readonly auth?: { readonly accessKey: string; readonly secretKey: string; readonly nonce?: () => string }
  readonly subscriptions: readonly UpbitWsSubscription[]
  /** Every data message (parsed JSON object: ticker, trade, candle, myOrder, myAsset…). */
  readonly onMessage: (message: Record<string, unknown>) => void
  /** After every successful REconnect (not the first connect), once the subscription is re-sent. */
  readonly onReconnect?: (info: { readonly reconnects: number; readonly downMs: number }) => void
  readonly onStateChange?: (state: UpbitWsState, info?: { readonly delayMs?: number; readonly attempt?: number }) => void
  readonly onError?: (error: UpbitWsError) => void
  /** Uniform [0, 1) for jitter. */
  readonly random?: () => number
  readonly now?: () => number
  /** Keep-alive period (default 20 s; Upbit closes links idle for 120 s). */
  readonly pingIntervalMs?: number
  /** No frame (data, status or pong) for this long → reconnect (default 60 s). */
  readonly staleAfterMs?: number
  /** Backoff: delay = random × min(maxMs, initialMs × factor^(attempt−1)), ≥ 100 ms after the first retry. Defaults 500 ms, 30 s, 2. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number; readonly factor?: number }
  /** A connection that lived this long resets the attempt counter (default 60 s). */
  readonly stableAfterMs?: number
  readonly ticket?: () => string
}

export interface UpbitWsClient {
  /** Replaces the subscriptions and re-sends them on the open link (and after every reconnect). */
  subscribe(subscriptions: readonly UpbitWsSubscription[]): void
  state(): UpbitWsState
  reconnects(): number
  /** Stops for good: no reconnect after this. */
  close(): Promise<void>
}

const MIN_RETRY_GAP_MS = 100

/** Upbit's request message: `[{ticket}, {type, codes…}…, {format}]`. */
export function subscriptionMessage(ticket: string, subs: readonly UpbitWsSubscription[]): string {
  const types = subs.map((s) => ({
    type: s.type,
    ...(s.codes !== undefined ? { codes: s.codes.map((c) => c.toUpperCase()) } : {}),
    ...(s.isOnlyRealtime !== undefined ? { is_only_realtime: s.isOnlyRealtime } : {}),
    ...(s.isOnlySnapshot !== undefined ? { is_only_snapshot: s.isOnlySnapshot } : {}),
  }))
  return JSON.stringify([{ ticket }, ...types, { format: 'DEFAULT' }])
}

export function connectUpbitWs(options: UpbitWsOptions): UpbitWsClient {
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  const pingIntervalMs = options.pingIntervalMs ?? 20_000
  const staleAfterMs = options.staleAfterMs ?? 60_000
  const initialMs = options.backoff?.initialMs ?? 500
  const maxMs = options.backoff?.maxMs ?? 30_000
  const factor = options.backoff?.factor ?? 2
  const stableAfterMs = options.stableAfterMs ?? 60_000
  const ticket = options.ticket ?? randomUUID

  let subs = options.subscriptions
  let state: UpbitWsState = 'connecting'
  let socket: WebSocket | undefined
  let closedByUser = false
  let attempt = 0
  let reconnectCount = 0
  let everOpened = false
  let openedAtMs = 0
  let downSinceMs = 0
  let lastFrameMs = 0
  let pingTimer: ReturnType<typeof setInterval> | undefined
  let staleTimer: ReturnType<typeof setInterval> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let closeResolve: (() => void) | undefined

  const setState = (s: UpbitWsState, info?: { delayMs?: number; attempt?: number }) => {
    state = s
    options.onStateChange?.(s, info)
  }
  const stopTimers = () => {
    if (pingTimer) clearInterval(pingTimer)
    if (staleTimer) clearInterval(staleTimer)
    pingTimer = staleTimer = undefined
  }

  async function open(): Promise<void> {
    setState('connecting')
    const headers: Record<string, string> = {}
    if (options.auth) {
      const token = await signUpbitJwt({ ...options.auth, query: undefined, nonce: (options.auth.nonce ?? randomUUID)(), alg: 'HS512' })
      headers.Authorization = `Bearer ${token}`
    }
    if (closedByUser) return
    const ws = new WebSocket(options.url, { headers, handshakeTimeout: Math.max(1000, staleAfterMs) })
    socket = ws
    ws.on('open', () => {
      const isReconnect = everOpened
      if (isReconnect) reconnectCount++
      everOpened = true
      const downMs = downSinceMs > 0 ? now() - downSinceMs : 0
      downSinceMs = 0
      openedAtMs = lastFrameMs = now()
      setState('open')
      ws.send(subscriptionMessage(ticket(), subs))
      pingTimer = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return
        ws.send('PING')
        ws.ping()
      }, pingIntervalMs)
      staleTimer = setInterval(
        () => {
          // Silence past the threshold: the link is dead even if TCP says otherwise.
          if (now() - lastFrameMs > staleAfterMs) ws.terminate()
        },
        Math.max(10, Math.floor(staleAfterMs / 4)),
      )
      if (isReconnect) options.onReconnect?.({ reconnects: reconnectCount, downMs })
    })
    ws.on('pong', () => {
      lastFrameMs = now()
    })
    ws.on('message', (data: WebSocket.RawData) => {
      lastFrameMs = now()
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8')
      let msg: unknown
      try {
        msg = JSON.parse(text)
      } catch {
        options.onError?.({ kind: 'malformed', message: `not JSON: ${text.slice(0, 100)}` })
        return
      }
      if (typeof msg !== 'object' || msg === null) {
        options.onError?.({ kind: 'malformed', message: `not an object: ${text.slice(0, 100)}` })
        return
      }
      const rec = msg as Record<string, unknown>
      if (rec.status === 'UP') return
      const err = rec.error as { name?: unknown; message?: unknown } | undefined
      if (err && typeof err === 'object') {
        options.onError?.({ kind: 'server', name: String(err.name), message: String(err.message ?? '') })
        return
      }
      // JSON_LIST formats send arrays; DEFAULT sends one object per frame.
      if (Array.isArray(msg)) for (const m of msg) options.onMessage(m as Record<string, unknown>)
      else options.onMessage(rec)
    })
    ws.on('error', (e: Error) => {
      options.onError?.({ kind: 'socket', message: e.message })
    })
    ws.on('close', () => {
      stopTimers()
      socket = undefined
      if (closedByUser) {
        setState('closed')
        closeResolve?.()
        return
      }
      const t = now()
      if (state === 'open') downSinceMs = t
      else if (downSinceMs === 0) downSinceMs = t
      if (openedAtMs > 0 && t - openedAtMs >= stableAfterMs) attempt = 0
      openedAtMs = 0
      scheduleReconnect()
    })
  }

  function scheduleReconnect(): void {
    attempt++
    // Full jitter; the first retry may be immediate, later ones never come faster than 100 ms
    // apart (reliability.md WS-1), so a refusing server cannot drive a tight loop.
    const jitter = random() * Math.min(maxMs, initialMs * factor ** (attempt - 1))
    const delayMs = attempt === 1 ? jitter : Math.max(MIN_RETRY_GAP_MS, jitter)
    setState('backoff', { delayMs, attempt })
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void open()
    }, delayMs)
  }

  void open()

  return {
    subscribe(next) {
      subs = next
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(subscriptionMessage(ticket(), subs))
    },
    state: () => state,
    reconnects: () => reconnectCount,
    close() {
      closedByUser = true
      if (retryTimer) clearTimeout(retryTimer)
      stopTimers()
      if (!socket || socket.readyState === WebSocket.CLOSED) {
        setState('closed')
        return Promise.resolve()
      }
      return new Promise<void>((resolve) => {
        closeResolve = resolve
        socket!.terminate()
      })
    },
  }
}
