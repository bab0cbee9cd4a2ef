// WebSocket limits of the sim. Upbit documents the rates (upbit-api.md §5.1: 5 connects/s per IP,
// 5 request messages/s and 100/min per connection); it documents no caps on a request's size, its
// codes or a connection's subscriptions, so the sim chooses caps far above what a real client
// sends and answers a request beyond them with an error frame (README, "Simulated Upbit venue").
// Without them one unauthenticated message could hold the event loop for seconds.

/** ws closes the connection (1009) beyond this; below it, a request over WS_MAX_REQUEST_CHARS gets an error frame. */
export const WS_MAX_PAYLOAD_BYTES = 1024 * 1024
/** Characters of one request message (10,000 codes take ~120,000). */
export const WS_MAX_REQUEST_CHARS = 128 * 1024
/** Codes over all type objects of one request, before de-duplication (Upbit lists ~700 pairs). */
export const WS_MAX_CODES_PER_REQUEST = 1000
/** Type objects in one request = subscriptions of a connection (a request replaces the previous). */
export const WS_MAX_SUBSCRIPTIONS = 16
/** Messages refused for the rate limits before the connection is closed (like REST's 418). */
export const WS_MAX_REFUSED_MESSAGES = 20

export const WS_CONNECT_LIMIT = { limit: 5, windowMs: 1000 } as const
export const WS_MESSAGE_LIMITS = [
  { limit: 5, windowMs: 1000 },
  { limit: 100, windowMs: 60_000 },
] as const

/** At most `limit` events in any `windowMs` (a ring of the last `limit` event times: O(1) per event). */
export class SlidingWindow {
  private readonly times: Float64Array
  private head = 0
  private count = 0

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.times = new Float64Array(limit)
  }

  /** Whether an event at `now` fits; a refused event is not counted. */
  fits(now: number): boolean {
    return this.count < this.limit || this.times[this.head]! <= now - this.windowMs
  }

  /** Counts an event at `now` (call only after `fits`). */
  take(now: number): void {
    if (this.count < this.limit) {
      this.times[(this.head + this.count) % this.limit] = now
      this.count++
      return
    }
    this.times[this.head] = now
    this.head = (this.head + 1) % this.limit
  }
}

/** The per-connection message limits: both windows must fit, and both count the message. */
export class MessageRate {
  private readonly windows = WS_MESSAGE_LIMITS.map((w) => new SlidingWindow(w.limit, w.windowMs))
  refused = 0

  allow(now: number): boolean {
    if (!this.windows.every((w) => w.fits(now))) {
      this.refused++
      return false
    }
    for (const w of this.windows) w.take(now)
    return true
  }
}

/** Handshakes per caller (IP) within WS_CONNECT_LIMIT. */
export class ConnectRate {
  private readonly byCaller = new Map<string, SlidingWindow>()

  allow(caller: string, now: number): boolean {
    let w = this.byCaller.get(caller)
    if (w === undefined) {
      w = new SlidingWindow(WS_CONNECT_LIMIT.limit, WS_CONNECT_LIMIT.windowMs)
      this.byCaller.set(caller, w)
    }
    if (!w.fits(now)) return false
    w.take(now)
    return true
  }
}
