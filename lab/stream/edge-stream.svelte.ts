// The lab's client of edge's event stream (WebSocket /api/stream, README "Event stream"): one class
// owns the socket. It authenticates with the token in the first message (never in the URL), asks
// for everything after the last seq it delivered, and reconnects with backoff (jittered, capped)
// from that seq, so a dropped connection, edge's "too slow" close (4008) or a reload loses nothing
// and repeats nothing: a frame whose seq is not above the last one delivered is dropped and
// counted. Its state is what the indicator shows: connecting, behind (catching up from the
// journal until edge's `live` marker), live, reconnecting (with the time of the next attempt),
// unauthorized (a wrong token: no retry) or closed.
// Edge beats every 10 s with the last seq it sent (edge/stream/hub.ts): a connection that says
// nothing for staleAfterMs is taken for dead and replaced (a half-open socket would otherwise
// show "live" forever), and a beat naming a seq this client never delivered means a frame was
// lost: it reconnects from its last seq to get it (three times for one seq at most, then says so).
export type StreamState = 'idle' | 'connecting' | 'behind' | 'live' | 'reconnecting' | 'unauthorized' | 'closed'

/** One event as edge sends it: seq, time, kind, runId, then the kind's fields. */
export interface StreamFrame {
  readonly seq: number
  readonly time: number
  readonly kind: string
  readonly runId: string | null
  readonly [field: string]: unknown
}

/** The part of a WebSocket the client uses (tests hand in a fake). */
export interface SocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { readonly data: unknown }) => void) | null
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface EdgeStreamOptions {
  /** The token, read at each connect (never stored by the client). */
  readonly token: () => string | null
  /** Deliver events after this seq (default 0: everything the journal holds). */
  readonly fromSeq?: number
  /** ws://host/api/stream (default: this page's host). */
  readonly url?: string
  readonly socket?: (url: string) => SocketLike
  /** Waits before reconnect attempts 1, 2, …; the last repeats (default 250 ms … 5 s). */
  readonly backoffMs?: readonly number[]
  /** 0..1 (default Math.random): each wait is scaled by 0.75 + 0.5 × this. */
  readonly random?: () => number
  readonly now?: () => number
  readonly setTimer?: (fn: () => void, ms: number) => unknown
  readonly clearTimer?: (t: unknown) => void
  /** Silence after which the connection is replaced (default 30 s: three of edge's beats). */
  readonly staleAfterMs?: number
}

export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_TOO_SLOW = 4008
const DEFAULT_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000]
export const STALE_AFTER_MS = 30_000
const GAP_RETRIES = 3

export function defaultStreamUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/stream`
}

function isFrame(m: unknown): m is StreamFrame {
  if (typeof m !== 'object' || m === null) return false
  const f = m as Record<string, unknown>
  return Number.isSafeInteger(f.seq) && typeof f.kind === 'string'
}

export class EdgeStream {
  state = $state<StreamState>('idle')
  /** The last seq delivered (the resume point). */
  lastSeq = $state(0)
  /** Frames delivered since this client was made. */
  delivered = $state(0)
  /** Frames dropped because their seq was not above the last delivered (repeats after a reconnect). */
  duplicates = $state(0)
  /** Connections made after the first. */
  reconnects = $state(0)
  /** When the next connection attempt is due (state 'reconnecting'), on `now()`'s clock. */
  retryAtMs = $state<number | null>(null)
  /** Why the last connection ended, in words (null while connected). */
  lastProblem = $state<string | null>(null)
  /** Frames found missing by a heartbeat (each one fetched again by reconnecting). */
  gaps = $state(0)

  private socket: SocketLike | null = null
  private timer: unknown = null
  private watchdog: unknown = null
  private lastHeardMs = 0
  // The seq a heartbeat found missing after, and how often it was fetched again.
  private gapAt = -1
  private gapTries = 0
  private attempt = 0
  private connections = 0
  // Subscribers, not state anyone renders: plain sets on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly listeners = new Set<(f: StreamFrame) => void>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly liveListeners = new Set<() => void>()
  private readonly o: EdgeStreamOptions

  constructor(o: EdgeStreamOptions) {
    this.o = o
    this.lastSeq = o.fromSeq ?? 0
  }

  /** Receives every delivered frame, in seq order, each once. */
  subscribe(fn: (f: StreamFrame) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Called each time the stream has caught up with the journal (edge's `live` marker). */
  onLive(fn: () => void): () => void {
    this.liveListeners.add(fn)
    return () => this.liveListeners.delete(fn)
  }

  get running(): boolean {
    return this.state !== 'idle' && this.state !== 'closed' && this.state !== 'unauthorized'
  }

  /** Connects (no-op while connected or waiting to reconnect). */
  start(): void {
    if (this.running) return
    this.attempt = 0
    this.connect()
  }

  /** Closes the socket and stays closed until start(); the resume point is kept. */
  stop(): void {
    this.clearRetry()
    this.detach()?.close(1000, 'closed by the lab')
    this.state = 'closed'
  }

  /** Drops the connection and connects again at once, resuming after the last seq. */
  reconnectNow(): void {
    this.clearRetry()
    this.detach()?.close(1000, 'reconnecting')
    this.attempt = 0
    this.connect()
  }

  private now(): number {
    return (this.o.now ?? Date.now)()
  }

  private setTimer(fn: () => void, ms: number): unknown {
    return (this.o.setTimer ?? ((f, m) => setTimeout(f, m)))(fn, ms)
  }

  private clearTimer(t: unknown): void {
    if (t !== null) (this.o.clearTimer ?? ((x) => clearTimeout(x as ReturnType<typeof setTimeout>)))(t)
  }

  private clearRetry(): void {
    this.clearTimer(this.timer)
    this.timer = null
    this.retryAtMs = null
  }

  /** Replaces the connection `s` when it has said nothing for staleAfterMs. */
  private watch(s: SocketLike): void {
    const limit = this.o.staleAfterMs ?? STALE_AFTER_MS
    const tick = (): void => {
      this.watchdog = null
      if (this.socket !== s) return
      const quiet = this.now() - this.lastHeardMs
      if (quiet < limit) {
        this.watchdog = this.setTimer(tick, limit - quiet)
        return
      }
      this.detach()?.close(4000, 'no word from edge')
      this.lastProblem = `no word from edge for ${Math.round(quiet / 1000)} s: the connection was replaced`
      this.scheduleRetry()
    }
    this.clearTimer(this.watchdog)
    this.watchdog = this.setTimer(tick, limit)
  }

  /** Forgets the current socket (its late events are ignored) and returns it. */
  private detach(): SocketLike | null {
    this.clearTimer(this.watchdog)
    this.watchdog = null
    const s = this.socket
    this.socket = null
    if (s !== null) {
      s.onopen = null
      s.onmessage = null
      s.onclose = null
      s.onerror = null
    }
    return s
  }

  private connect(): void {
    const token = this.o.token()
    if (token === null) {
      this.state = 'unauthorized'
      this.lastProblem = 'no API token in this browser: open the lab with the link edge prints'
      return
    }
    this.state = 'connecting'
    if (this.connections++ > 0) this.reconnects++
    let s: SocketLike
    try {
      s = (this.o.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike))(this.o.url ?? defaultStreamUrl())
    } catch (e) {
      this.lastProblem = e instanceof Error ? e.message : String(e)
      this.scheduleRetry()
      return
    }
    this.socket = s
    s.onopen = () => {
      if (this.socket !== s) return
      s.send(JSON.stringify({ type: 'auth', token, lastSeq: this.lastSeq }))
      this.state = 'behind'
      this.lastHeardMs = this.now()
      this.watch(s)
    }
    s.onmessage = (ev) => {
      if (this.socket !== s) return
      this.lastHeardMs = this.now()
      this.receive(ev.data)
    }
    s.onerror = () => {
      // A close event follows; it decides what happens next.
    }
    s.onclose = (ev) => {
      if (this.socket !== s) return
      this.detach()
      if (ev.code === CLOSE_UNAUTHORIZED) {
        this.state = 'unauthorized'
        this.lastProblem = 'edge refused the API token: open the lab with the link edge prints'
        return
      }
      this.lastProblem =
        ev.code === CLOSE_TOO_SLOW
          ? 'edge dropped this tab as too slow'
          : `connection closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`
      this.scheduleRetry()
    }
  }

  private receive(data: unknown): void {
    let m: unknown
    try {
      m = JSON.parse(typeof data === 'string' ? data : String(data))
    } catch {
      return
    }
    if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'heartbeat') {
      this.beat((m as { lastSeq?: unknown }).lastSeq)
      return
    }
    if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'live') {
      this.state = 'live'
      this.attempt = 0
      this.lastProblem = null
      for (const fn of this.liveListeners) fn()
      return
    }
    if (!isFrame(m)) return
    if (m.seq <= this.lastSeq) {
      this.duplicates++
      return
    }
    this.lastSeq = m.seq
    this.delivered++
    for (const fn of this.listeners) fn(m)
  }

  /** A heartbeat: edge has sent everything up to `sent`; anything above the last delivered was lost here. */
  private beat(sent: unknown): void {
    if (this.state !== 'live' || !Number.isSafeInteger(sent) || (sent as number) <= this.lastSeq) return
    if (this.gapAt !== this.lastSeq) {
      this.gapAt = this.lastSeq
      this.gapTries = 0
    }
    if (this.gapTries >= GAP_RETRIES) {
      this.lastProblem = `edge sent events after seq ${this.lastSeq} that this page could not read (tried ${GAP_RETRIES} times)`
      return
    }
    this.gapTries++
    this.gaps++
    this.lastProblem = `events after seq ${this.lastSeq} went missing: fetching them again`
    this.detach()?.close(1000, 'resuming after a gap')
    this.connect()
  }

  private scheduleRetry(): void {
    const steps = this.o.backoffMs ?? DEFAULT_BACKOFF_MS
    const base = steps[Math.min(this.attempt, steps.length - 1)] ?? 1_000
    this.attempt++
    const wait = Math.round(base * (0.75 + 0.5 * (this.o.random ?? Math.random)()))
    this.state = 'reconnecting'
    this.retryAtMs = this.now() + wait
    this.timer = this.setTimer(() => {
      this.timer = null
      this.retryAtMs = null
      this.connect()
    }, wait)
  }
}
