// The Upbit REST client used by edge for both venues (api.upbit.com and the simulated venue: only
// the base URL and keys differ). Quotation (markets, candles, ticker, orderbook, trades) and
// exchange (accounts, order chance, orders) calls; every answer is parsed into shared/upbit domain
// objects and returned as a typed result. Transport, limits and signing: transport.ts.
import { randomUUID } from 'node:crypto'
import { formatPrice, formatVolume } from '../../shared/upbit/order-rules.ts'
import {
  parseAccounts,
  parseCandles,
  parseMarkets,
  parseOrder,
  parseOrderbooks,
  parseOrderChance,
  parseOrders,
  parseTickers,
  parseTradeTicks,
  type ParseResult,
} from '../../shared/upbit/parse.ts'
import type { QueryParams } from '../../shared/upbit/query.ts'
import type { JwtAlg } from '../../shared/upbit/jwt.ts'
import type {
  OrderSide,
  OrderState,
  UpbitAccount,
  UpbitCandle,
  UpbitMarket,
  UpbitOrder,
  UpbitOrderbook,
  UpbitOrderChance,
  UpbitTicker,
  UpbitTradeTick,
} from '../../shared/upbit/types.ts'
import { createMemoryBlockStore, type BlockStore } from './block-store.ts'
import { placeOrderOnce, type PlacedOrder } from './place-order.ts'
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts'
import { fail, type UpbitResult } from './result.ts'
import { createTransport, type FetchLike, type RawResponse, type UpbitRequest } from './transport.ts'

/** Candle units: the design's timeframes plus seconds, weeks, months and years. */
export const CANDLE_PATHS = {
  '1s': '/v1/candles/seconds',
  '1m': '/v1/candles/minutes/1',
  '3m': '/v1/candles/minutes/3',
  '5m': '/v1/candles/minutes/5',
  '10m': '/v1/candles/minutes/10',
  '15m': '/v1/candles/minutes/15',
  '30m': '/v1/candles/minutes/30',
  '60m': '/v1/candles/minutes/60',
  '240m': '/v1/candles/minutes/240',
  '1d': '/v1/candles/days',
  '1w': '/v1/candles/weeks',
  '1M': '/v1/candles/months',
  '1y': '/v1/candles/years',
} as const
export type CandleUnit = keyof typeof CANDLE_PATHS

/** Upbit's maximum `count` for candles. */
export const MAX_CANDLE_COUNT = 200

export interface UpbitClientOptions {
  /** `https://api.upbit.com` or the simulated venue's URL. */
  readonly baseUrl: string
  readonly accessKey?: string
  readonly secretKey?: string
  readonly fetch?: FetchLike
  readonly now?: () => number
  readonly sleep?: (ms: number) => Promise<void>
  readonly random?: () => number
  /** Nonce per HTTP attempt (default crypto.randomUUID). */
  readonly nonce?: () => string
  readonly blockStore?: BlockStore
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number
  /** Attempts for reads (default 4). */
  readonly maxAttempts?: number
  readonly retryBaseMs?: number
  readonly retryCapMs?: number
  /** JWT algorithm (default HS512, the docs' recommendation). */
  readonly alg?: JwtAlg
  /** Lookups per ambiguous order and their base delay (defaults 3 and 500 ms). */
  readonly orderLookupAttempts?: number
  readonly orderLookupDelayMs?: number
  /** Rate-limiter tuning (see rate-limiter.ts). */
  readonly rateMarginMs?: number
  readonly rateLimitShare?: number
}

export interface CandleQuery {
  readonly market: string
  readonly unit: CandleUnit
  /** Exclusive end: candles starting strictly before this time (epoch ms). Default: latest. */
  readonly toMs?: number
  /** 1…200 (Upbit clamps above 200). */
  readonly count?: number
}

export interface PlaceOrderInput {
  readonly market: string
  readonly side: OrderSide
  readonly ordType: 'limit' | 'price' | 'market' | 'best'
  /** Unit price (limit) or total quote amount (price / best buy). */
  readonly price?: number
  readonly volume?: number
  readonly timeInForce?: 'ioc' | 'fok' | 'post_only'
  /** Required: the idempotency key, unique forever at Upbit (≤ 64 chars). */
  readonly identifier: string
}

export type OrderRef = { readonly uuid: string } | { readonly identifier: string }

export interface OrderListQuery {
  readonly market?: string
  readonly states?: readonly OrderState[]
  readonly limit?: number
  readonly page?: number
  readonly orderBy?: 'asc' | 'desc'
}

export interface ClosedOrderQuery extends OrderListQuery {
  readonly startTimeMs?: number
  readonly endTimeMs?: number
}

export interface UpbitClient {
  readonly limiter: RateLimiter
  getMarkets(options?: { details?: boolean }): Promise<UpbitResult<UpbitMarket[]>>
  /** Candles as Upbit returns them: newest first. */
  getCandles(q: CandleQuery): Promise<UpbitResult<UpbitCandle[]>>
  getTickers(markets: readonly string[]): Promise<UpbitResult<UpbitTicker[]>>
  getOrderbooks(markets: readonly string[], options?: { count?: number; level?: number }): Promise<UpbitResult<UpbitOrderbook[]>>
  getTrades(q: { market: string; count?: number; cursor?: number; daysAgo?: number; to?: string }): Promise<UpbitResult<UpbitTradeTick[]>>
  getAccounts(): Promise<UpbitResult<UpbitAccount[]>>
  getOrderChance(market: string): Promise<UpbitResult<UpbitOrderChance>>
  /** Never creates two orders: see place-order.ts for the resolution of ambiguous outcomes. */
  placeOrder(input: PlaceOrderInput): Promise<UpbitResult<PlacedOrder>>
  getOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>>
  listOpenOrders(q?: OrderListQuery): Promise<UpbitResult<UpbitOrder[]>>
  listClosedOrders(q?: ClosedOrderQuery): Promise<UpbitResult<UpbitOrder[]>>
  /** Cancel is accepted asynchronously (the answer still says `wait`); not retried automatically. */
  cancelOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>>
}

/** `to` for candles: ISO-8601 UTC without millis (`2025-07-01T12:03:00Z`), URL-encoded on the wire. */
export function candleToParam(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`
}

/** ISO-8601 with the KST offset, as Upbit's order times are written (`2024-08-19T00:00:00+09:00`). */
export function kstIso(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`
}

function refParams(ref: OrderRef): QueryParams {
  return 'uuid' in ref ? { uuid: ref.uuid } : { identifier: ref.identifier }
}

export function createUpbitClient(options: UpbitClientOptions): UpbitClient {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = options.random ?? Math.random
  const limiter = createRateLimiter({
    now,
    sleep,
    random,
    blockStore: options.blockStore ?? createMemoryBlockStore(),
    ...(options.rateMarginMs !== undefined ? { marginMs: options.rateMarginMs } : {}),
    ...(options.rateLimitShare !== undefined ? { limitShare: options.rateLimitShare } : {}),
  })
  const transport = createTransport({
    baseUrl: options.baseUrl,
    ...(options.accessKey !== undefined ? { accessKey: options.accessKey } : {}),
    ...(options.secretKey !== undefined ? { secretKey: options.secretKey } : {}),
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    nonce: options.nonce ?? randomUUID,
    random,
    sleep,
    limiter,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxAttempts: options.maxAttempts ?? 4,
    retryBaseMs: options.retryBaseMs ?? 250,
    retryCapMs: options.retryCapMs ?? 5_000,
    alg: options.alg ?? 'HS512',
  })

  async function call<T>(req: UpbitRequest, parse: (json: unknown) => ParseResult<T>): Promise<UpbitResult<T>> {
    const raw: UpbitResult<RawResponse> = await transport.send(req)
    if (!raw.ok) return raw
    const parsed = parse(raw.value.json)
    if (parsed.ok) return parsed
    return fail({ kind: 'malformed', status: raw.value.status, message: `${req.method} ${req.path}: ${parsed.error.message}` })
  }
  const get = <T>(path: string, query: QueryParams, auth: boolean, parse: (json: unknown) => ParseResult<T>) =>
    call({ method: 'GET', path, query, auth, idempotent: true }, parse)

  const getOrder = (ref: OrderRef) => get('/v1/order', refParams(ref), true, parseOrder)

  return {
    limiter,
    getMarkets: (o) => get('/v1/market/all', { is_details: o?.details ? 'true' : undefined }, false, parseMarkets),
    getCandles: (q) =>
      get(
        CANDLE_PATHS[q.unit],
        { market: q.market, to: q.toMs !== undefined ? candleToParam(q.toMs) : undefined, count: q.count ?? MAX_CANDLE_COUNT },
        false,
        parseCandles,
      ),
    getTickers: (markets) => get('/v1/ticker', { markets: markets.join(',') }, false, parseTickers),
    getOrderbooks: (markets, o) =>
      get('/v1/orderbook', { markets: markets.join(','), level: o?.level, count: o?.count }, false, parseOrderbooks),
    getTrades: (q) =>
      get(
        '/v1/trades/ticks',
        { market: q.market, to: q.to, count: q.count, cursor: q.cursor, days_ago: q.daysAgo },
        false,
        parseTradeTicks,
      ),
    getAccounts: () => get('/v1/accounts', {}, true, parseAccounts),
    getOrderChance: (market) => get('/v1/orders/chance', { market }, true, parseOrderChance),
    placeOrder(input) {
      // Body key order = hash order (E6): market, side, volume, price, ord_type, identifier, time_in_force.
      const body: QueryParams = {
        market: input.market,
        side: input.side,
        volume: input.volume !== undefined ? formatVolume(input.volume) : undefined,
        price: input.price !== undefined ? formatPrice(input.price) : undefined,
        ord_type: input.ordType,
        identifier: input.identifier,
        time_in_force: input.timeInForce,
      }
      return placeOrderOnce({
        identifier: input.identifier,
        post: () => call({ method: 'POST', path: '/v1/orders', body, auth: true, idempotent: false }, parseOrder),
        lookup: () => getOrder({ identifier: input.identifier }),
        sleep,
        random,
        ...(options.orderLookupAttempts !== undefined ? { lookupAttempts: options.orderLookupAttempts } : {}),
        ...(options.orderLookupDelayMs !== undefined ? { lookupDelayMs: options.orderLookupDelayMs } : {}),
      })
    },
    getOrder,
    listOpenOrders: (q) =>
      get(
        '/v1/orders/open',
        { market: q?.market, states: q?.states, page: q?.page, limit: q?.limit, order_by: q?.orderBy },
        true,
        parseOrders,
      ),
    listClosedOrders: (q) =>
      get(
        '/v1/orders/closed',
        {
          market: q?.market,
          states: q?.states,
          start_time: q?.startTimeMs !== undefined ? kstIso(q.startTimeMs) : undefined,
          end_time: q?.endTimeMs !== undefined ? kstIso(q.endTimeMs) : undefined,
          page: q?.page,
          limit: q?.limit,
          order_by: q?.orderBy,
        },
        true,
        parseOrders,
      ),
    cancelOrder: (ref) => call({ method: 'DELETE', path: '/v1/order', query: refParams(ref), auth: true, idempotent: false }, parseOrder),
  }
}
