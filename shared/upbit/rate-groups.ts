// Upbit rate-limit groups (upbit-api.md §5.1) and the `Remaining-Req` header (§5.2).
// Each group has its own per-second budget; requests in one group share it.

export const RATE_GROUPS = [
  'market',
  'candle',
  'trade',
  'ticker',
  'orderbook',
  'default',
  'order',
  'order-test',
  'order-cancel-all',
] as const
export type RateGroup = (typeof RATE_GROUPS)[number]

/** Published limits: requests per `windowMs` (order-cancel-all is 1 per 2 s). */
export const RATE_LIMITS: Readonly<Record<RateGroup, { readonly requests: number; readonly windowMs: number }>> = {
  market: { requests: 10, windowMs: 1000 },
  candle: { requests: 10, windowMs: 1000 },
  trade: { requests: 10, windowMs: 1000 },
  ticker: { requests: 10, windowMs: 1000 },
  orderbook: { requests: 10, windowMs: 1000 },
  default: { requests: 30, windowMs: 1000 },
  // 12/s since 2026-08-21, 8/s before: keep the older figure, orders are rare and 429s costly.
  // 12/s since 2026-08-21 (8/s before), upbit-api.md §5.1.
  order: { requests: 12, windowMs: 1000 },
  'order-test': { requests: 8, windowMs: 1000 },
  'order-cancel-all': { requests: 1, windowMs: 2000 },
}

/** The group of a request, from its method and path (path without query). */
export function rateGroupOf(method: string, path: string): RateGroup {
  const m = method.toUpperCase()
  if (path.startsWith('/v1/market/')) return 'market'
  if (path.startsWith('/v1/candles/')) return 'candle'
  if (path.startsWith('/v1/trades/')) return 'trade'
  if (path.startsWith('/v1/ticker')) return 'ticker'
  if (path.startsWith('/v1/orderbook')) return 'orderbook'
  if (m === 'POST' && path === '/v1/orders/test') return 'order-test'
  if (m === 'POST' && (path === '/v1/orders' || path === '/v1/orders/cancel_and_new')) return 'order'
  if (m === 'DELETE' && path === '/v1/orders/open') return 'order-cancel-all'
  return 'default'
}

export interface RemainingReq {
  /** Header group name normalized to ours (`candles` → `candle`). */
  readonly group: string
  /** Requests left in the current second. */
  readonly sec: number
  /** Deprecated fixed figure, kept for completeness. */
  readonly min?: number
}

/** Parses `group=default; min=1800; sec=29` generically (hyphenated names included); undefined if unusable. */
export function parseRemainingReq(header: string | null | undefined): RemainingReq | undefined {
  if (!header) return undefined
  const fields = new Map<string, string>()
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim())
  }
  const group = fields.get('group')
  const secText = fields.get('sec')
  if (!group || secText === undefined || !/^\d+$/.test(secText)) return undefined
  const minText = fields.get('min')
  const normalized = group === 'candles' ? 'candle' : group
  return { group: normalized, sec: Number(secText), ...(minText && /^\d+$/.test(minText) ? { min: Number(minText) } : {}) }
}
