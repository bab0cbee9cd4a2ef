// Upbit-style rate limits (upbit-api.md §5): sliding one-second windows per group and caller (IP for
// quotation, account for exchange), 1 request per 10 s for quotation calls that carry an Origin
// header, and a 418 block when a caller keeps going after 429s (5+ rejections within 10 s →
// blocked 30 s, doubling on each repeat, capped at 1 h).
export interface RateGroup {
  /** Name shown in Remaining-Req. */
  header: string
  limit: number
  windowMs: number
  /** The deprecated fixed `min` value. */
  min: number
}

export const RATE_GROUPS = {
  market: { header: 'market', limit: 10, windowMs: 1000, min: 600 },
  candle: { header: 'candles', limit: 10, windowMs: 1000, min: 600 },
  trade: { header: 'trade', limit: 10, windowMs: 1000, min: 600 },
  ticker: { header: 'ticker', limit: 10, windowMs: 1000, min: 600 },
  orderbook: { header: 'orderbook', limit: 10, windowMs: 1000, min: 600 },
  default: { header: 'default', limit: 30, windowMs: 1000, min: 1800 },
  // Brief for this sim: 8/s (Upbit raised it to 12/s on 2026-08-21; 8 keeps clients conservative).
  // 12/s since 2026-08-21 (8/s before), upbit-api.md §5.1.
  order: { header: 'order', limit: 12, windowMs: 1000, min: 720 },
  'order-test': { header: 'order-test', limit: 8, windowMs: 1000, min: 480 },
  'order-cancel-all': { header: 'order-cancel-all', limit: 1, windowMs: 2000, min: 30 },
} as const satisfies Record<string, RateGroup>

export type RateGroupId = keyof typeof RATE_GROUPS

export const ORIGIN_LIMIT = { limit: 1, windowMs: 10_000 } as const
const ABUSE_WINDOW_MS = 10_000
const ABUSE_THRESHOLD = 5
const BLOCK_BASE_MS = 30_000
const BLOCK_MAX_MS = 3_600_000

export type RateDecision = { kind: 'ok'; remaining: number } | { kind: '429'; remaining: 0 } | { kind: '418'; blockedForMs: number }

export class RateLimiter {
  private readonly hits = new Map<string, number[]>()
  private readonly strikes = new Map<string, number[]>()
  private readonly blocks = new Map<string, { untilMs: number; count: number }>()

  constructor(
    private readonly nowMs: () => number,
    private readonly enabled: boolean,
  ) {}

  private take(key: string, limit: number, windowMs: number, now: number): number {
    let list = this.hits.get(key)
    if (!list) {
      list = []
      this.hits.set(key, list)
    }
    while (list.length > 0 && list[0]! <= now - windowMs) list.shift()
    if (list.length >= limit) return -1
    list.push(now)
    return limit - list.length
  }

  /** Counts one request of `caller` in `groupId`; `origin` applies the browser limit. */
  check(groupId: RateGroupId, caller: string, origin: boolean): RateDecision {
    const g = RATE_GROUPS[groupId]
    if (!this.enabled) return { kind: 'ok', remaining: g.limit - 1 }
    const now = this.nowMs()
    const block = this.blocks.get(caller)
    if (block && block.untilMs > now) return { kind: '418', blockedForMs: block.untilMs - now }
    let remaining = this.take(`${groupId}|${caller}`, g.limit, g.windowMs, now)
    if (remaining >= 0 && origin) {
      remaining = Math.min(remaining, this.take(`origin|${caller}`, ORIGIN_LIMIT.limit, ORIGIN_LIMIT.windowMs, now))
    }
    if (remaining >= 0) return { kind: 'ok', remaining }
    const strikes = (this.strikes.get(caller) ?? []).filter((t) => t > now - ABUSE_WINDOW_MS)
    strikes.push(now)
    this.strikes.set(caller, strikes)
    if (strikes.length > ABUSE_THRESHOLD) {
      const count = (block?.count ?? 0) + 1
      const ms = Math.min(BLOCK_MAX_MS, BLOCK_BASE_MS * 2 ** (count - 1))
      this.blocks.set(caller, { untilMs: now + ms, count })
      this.strikes.set(caller, [])
      return { kind: '418', blockedForMs: ms }
    }
    return { kind: '429', remaining: 0 }
  }
}

export function remainingReqHeader(groupId: RateGroupId, remaining: number): string {
  const g = RATE_GROUPS[groupId]
  return `group=${g.header}; min=${g.min}; sec=${Math.max(0, remaining)}`
}
