// Typed WebSocket messages (upbit-api.md §7.3, DEFAULT format): trade, candle.*, ticker, myOrder,
// myAsset. Private messages carry JSON numbers (REST uses strings). Unknown or malformed frames come
// back as a typed `malformed` error so a feed can count and report them instead of crashing.
import * as v from 'valibot'
import { ok } from '../result.ts'
import { malformed, type ParseResult } from './parse.ts'
import type { OrderSide } from './types.ts'

export interface WsTrade {
  readonly kind: 'trade'
  readonly market: string
  readonly price: number
  readonly volume: number
  readonly askBid: 'ASK' | 'BID'
  readonly tradeTimeMs: number
  readonly sequentialId: number
  readonly streamType: string
}

export interface WsCandle {
  readonly kind: 'candle'
  /** `candle.1m` → '1m'. The same candle may arrive several times; the last one wins. */
  readonly unit: string
  readonly market: string
  readonly openTimeMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volumeBase: number
  readonly timestampMs: number
}

export interface WsTicker {
  readonly kind: 'ticker'
  readonly market: string
  readonly tradePrice: number
  readonly tradeTimeMs: number
  readonly timestampMs: number
}

export interface WsMyOrder {
  readonly kind: 'myOrder'
  readonly market: string
  readonly uuid: string
  readonly identifier?: string
  readonly side: OrderSide
  readonly orderType: string
  /** `wait` `watch` `trade` (a fill) `done` `cancel` `prevented`. */
  readonly state: string
  /** Fill id when state = trade: the key for booking each fill once. */
  readonly tradeUuid?: string
  /** Order price, or the fill price when state = trade. */
  readonly price: number
  /** Order volume, or the fill volume when state = trade. */
  readonly volume: number
  readonly remainingVolume: number
  readonly executedVolume: number
  readonly paidFee: number
  readonly tradeFee?: number
  readonly isMaker?: boolean
  readonly tradeTimeMs?: number
  readonly timestampMs: number
}

export interface WsMyAsset {
  readonly kind: 'myAsset'
  readonly assets: ReadonlyArray<{ readonly currency: string; readonly balance: number; readonly locked: number }>
  readonly timestampMs: number
}

export type WsMessage = WsTrade | WsCandle | WsTicker | WsMyOrder | WsMyAsset

const num = v.pipe(v.number(), v.finite())
const optNum = v.optional(v.nullable(num))
const naiveUtc = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
  v.transform((s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16), +s.slice(17, 19))),
)

const trade = v.pipe(
  v.looseObject({
    type: v.literal('trade'),
    code: v.string(),
    trade_price: num,
    trade_volume: num,
    ask_bid: v.picklist(['ASK', 'BID']),
    trade_timestamp: num,
    sequential_id: num,
    stream_type: v.optional(v.string(), ''),
  }),
  v.transform((m): WsTrade => ({
    kind: 'trade',
    market: m.code,
    price: m.trade_price,
    volume: m.trade_volume,
    askBid: m.ask_bid,
    tradeTimeMs: m.trade_timestamp,
    sequentialId: m.sequential_id,
    streamType: m.stream_type,
  })),
)

const candle = v.pipe(
  v.looseObject({
    type: v.pipe(v.string(), v.startsWith('candle.')),
    code: v.string(),
    candle_date_time_utc: naiveUtc,
    opening_price: num,
    high_price: num,
    low_price: num,
    trade_price: num,
    candle_acc_trade_volume: num,
    timestamp: num,
  }),
  v.transform((m): WsCandle => ({
    kind: 'candle',
    unit: m.type.slice('candle.'.length),
    market: m.code,
    openTimeMs: m.candle_date_time_utc,
    open: m.opening_price,
    high: m.high_price,
    low: m.low_price,
    close: m.trade_price,
    volumeBase: m.candle_acc_trade_volume,
    timestampMs: m.timestamp,
  })),
)

const ticker = v.pipe(
  v.looseObject({ type: v.literal('ticker'), code: v.string(), trade_price: num, trade_timestamp: num, timestamp: num }),
  v.transform((m): WsTicker => ({
    kind: 'ticker',
    market: m.code,
    tradePrice: m.trade_price,
    tradeTimeMs: m.trade_timestamp,
    timestampMs: m.timestamp,
  })),
)

const myOrder = v.pipe(
  v.looseObject({
    type: v.literal('myOrder'),
    code: v.string(),
    uuid: v.string(),
    identifier: v.optional(v.nullable(v.string())),
    ask_bid: v.picklist(['ASK', 'BID']),
    order_type: v.string(),
    state: v.string(),
    trade_uuid: v.optional(v.nullable(v.string())),
    price: num,
    volume: num,
    remaining_volume: num,
    executed_volume: num,
    paid_fee: num,
    trade_fee: optNum,
    is_maker: v.optional(v.nullable(v.boolean())),
    trade_timestamp: optNum,
    timestamp: num,
  }),
  v.transform((m): WsMyOrder => ({
    kind: 'myOrder',
    market: m.code,
    uuid: m.uuid,
    ...(m.identifier != null ? { identifier: m.identifier } : {}),
    side: m.ask_bid === 'BID' ? 'bid' : 'ask',
    orderType: m.order_type,
    state: m.state,
    ...(m.trade_uuid != null ? { tradeUuid: m.trade_uuid } : {}),
    price: m.price,
    volume: m.volume,
    remainingVolume: m.remaining_volume,
    executedVolume: m.executed_volume,
    paidFee: m.paid_fee,
    ...(m.trade_fee != null ? { tradeFee: m.trade_fee } : {}),
    ...(m.is_maker != null ? { isMaker: m.is_maker } : {}),
    ...(m.trade_timestamp != null ? { tradeTimeMs: m.trade_timestamp } : {}),
    timestampMs: m.timestamp,
  })),
)

const myAsset = v.pipe(
  v.looseObject({
    type: v.literal('myAsset'),
    assets: v.array(v.looseObject({ currency: v.string(), balance: num, locked: num })),
    timestamp: num,
  }),
  v.transform((m): WsMyAsset => ({
    kind: 'myAsset',
    assets: m.assets.map((a) => ({ currency: a.currency, balance: a.balance, locked: a.locked })),
    timestampMs: m.timestamp,
  })),
)

const SCHEMAS = { trade, ticker, myOrder, myAsset } as const

/** Parses one DEFAULT-format message object (as delivered by edge/upbit/ws.ts onMessage). */
export function parseWsMessage(msg: unknown): ParseResult<WsMessage> {
  const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined
  if (typeof type !== 'string') return malformed('ws message without a string `type`')
  const schema = type.startsWith('candle.') ? candle : (SCHEMAS as Record<string, v.GenericSchema<unknown, WsMessage>>)[type]
  if (!schema) return malformed(`unsupported ws message type ${type}`)
  const r = v.safeParse(schema, msg)
  if (r.success) return ok(r.output)
  const issue = r.issues[0]
  const path = v.getDotPath(issue)
  return malformed(`${type}: ${path ? `${path}: ` : ''}${issue.message}`)
}
