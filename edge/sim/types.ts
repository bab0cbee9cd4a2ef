// Public types of the simulated Upbit venue: options, the venue handle, faults, orders.
import type { Hono } from 'hono'
import type { Server } from 'node:http'

export interface SimClock {
  nowMs(): number
  /** Moves the clock forward (manual clocks; on real-time clocks it adds an offset). */
  advance(ms: number): void
}

export interface SimMarketSpec {
  /** Upbit code, `KRW-BTC`. */
  market: string
  koreanName: string
  englishName: string
  /** Price at the history origin (KRW). */
  startPrice: number
  /** Per-minute log-return standard deviation. */
  volPerMinute: number
  /** Mean base volume per minute with trades. */
  meanVolumePerMinute: number
  /** Probability that a minute has no trade (no candle). */
  noTradeRate: number
}

/** Where the venue reports trouble; the default writes to the console. */
export interface SimLogger {
  /** Expected but notable: a client that aborted its request, a refused connection. */
  warn(message: string): void
  /** A bug in the venue (the client got a generic 500). */
  error(message: string, detail: unknown): void
}

export interface SimVenueOptions {
  accessKey: string
  secretKey: string
  seed?: number
  /** Market codes (must be known presets) or full specs. Default: KRW-BTC, KRW-ETH, KRW-XRP. */
  markets?: ReadonlyArray<string | SimMarketSpec>
  /** Days of history before `startMs`. Default 2. */
  historyDays?: number
  /** 1 = real time, 60 = one simulated minute per wall second. Ignored with a manual clock. Default 1. */
  clockSpeed?: number
  /** Simulated time at start (epoch ms). Default: the wall clock now. */
  startMs?: number
  /** Free balances at start, by currency. Default `{ KRW: 10_000_000 }`. */
  balances?: Readonly<Record<string, number>>
  /** Default true. */
  enforceRateLimits?: boolean
  /** 'manual' → a clock that only moves with `venue.clock.advance`; or your own clock. */
  clock?: 'manual' | SimClock
  /** External time source (ms); `advance` then adds an offset. */
  now?: () => number
  /** Time source for rate limits. Default: the venue clock when manual, else Date.now. */
  rateLimitNowMs?: () => number
  /** Wall-clock period of the real-time tick loop. Default 200 ms. */
  tickIntervalMs?: number
  /** Default: console.warn / console.error. */
  logger?: SimLogger
}

export const FAULT_KINDS = ['429', '418', '500', 'delay', 'timeout', 'malformed', 'drop-ws', 'response-lost'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface FaultSpec {
  /** `METHOD /path` (path without query), '*' for every REST call, or 'ws' for WebSocket faults. */
  endpoint: string
  kind: FaultKind
  /** How many requests it hits. Default 1 (drop-ws: future connections dropped, default 0). */
  count?: number
  /** For 'delay' (default 2000) and 'timeout' (held until the venue closes). */
  delayMs?: number
}

export interface SimFaults {
  inject(spec: FaultSpec): void
  clear(): void
  /** Faults still armed. */
  list(): ReadonlyArray<Readonly<FaultSpec & { remaining: number }>>
}

export type OrderSide = 'bid' | 'ask'
export type OrderType = 'limit' | 'price' | 'market' | 'best'
export type TimeInForce = 'ioc' | 'fok' | 'post_only'
export type OrderState = 'wait' | 'watch' | 'done' | 'cancel'

export interface SimTrade {
  uuid: string
  price: number
  volume: number
  funds: number
  fee: number
  isMaker: boolean
  createdMs: number
}

export interface SimOrder {
  uuid: string
  identifier: string | null
  market: string
  side: OrderSide
  ordType: OrderType
  /** Unit price (limit) or total (price / best-buy); null for market / best-sell. */
  price: number | null
  /** Requested volume; null for price / best-buy. */
  volume: number | null
  timeInForce: TimeInForce | null
  state: OrderState
  createdMs: number
  executedVolume: number
  executedFunds: number
  paidFee: number
  reservedFee: number
  /** Funds still locked for this order (quote for bids, base for asks). */
  locked: number
  trades: SimTrade[]
}

export interface SimVenue {
  app: Hono
  clock: SimClock
  faults: SimFaults
  /** Every order the venue has accepted (copies), oldest first. */
  orders(): SimOrder[]
  /** Processes generated trades up to the clock's now (runs on every request and tick). */
  sync(): void
  /** Handles WebSocket upgrades on /websocket/v1 and /websocket/v1/private (after `prefix`, if given). */
  attachWebSocket(server: Server, prefix?: string): void
  /** Stops timers, terminates sockets, releases held requests. */
  dispose(): void
}

export interface StartedSimVenue extends SimVenue {
  url: string
  wsUrl: string
  port: number
  close(): Promise<void>
}
