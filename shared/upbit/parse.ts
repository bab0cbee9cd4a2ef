// Validation of Upbit REST JSON into the domain objects of types.ts (valibot). A body that does
// not match is a typed `{ kind: 'malformed' }` error, never an exception: the exchange (or the
// network) can send anything, and an order client must tell "malformed" from "rejected".
import * as v from 'valibot'
import { err, ok, type Result } from '../result.ts'
import type {
  UpbitAccount,
  UpbitCandle,
  UpbitErrorBody,
  UpbitMarket,
  UpbitOrder,
  UpbitOrderbook,
  UpbitOrderChance,
  UpbitOrderTrade,
  UpbitTicker,
  UpbitTradeTick,
} from './types.ts'

export interface MalformedError {
  readonly kind: 'malformed'
  readonly message: string
}
export type ParseResult<T> = Result<T, MalformedError>

export function malformed(message: string): { readonly ok: false; readonly error: MalformedError } {
  return err({ kind: 'malformed', message })
}

/** Upbit decimal: a plain decimal string ("0.001", "70000.0") or a JSON number (WS, quotation). */
const decimal = v.pipe(
  v.union([v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'not a decimal string')), v.pipe(v.number(), v.finite())]),
  v.transform(Number),
)
const optDecimal = v.optional(v.nullable(decimal))
const num = v.pipe(v.number(), v.finite())
const int = v.pipe(v.number(), v.integer())

/** `yyyy-MM-ddTHH:mm:ss` without zone, meaning UTC (candle_date_time_utc). */
const naiveUtc = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'not yyyy-MM-ddTHH:mm:ss'),
  v.transform((s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16), +s.slice(17, 19))),
)
/** ISO-8601 with an offset (order created_at, `…+09:00`, optionally with fractional seconds). */
const isoWithOffset = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/, 'not an ISO time with offset'),
  v.transform((s) => Date.parse(s)),
  v.finite(),
)
const side = v.picklist(['bid', 'ask'])

function run<S extends v.GenericSchema>(schema: S, input: unknown, what: string): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input)
  if (result.success) return ok(result.output)
  const issue = result.issues[0]
  const path = v.getDotPath(issue)
  return malformed(`${what}: ${path ? `${path}: ` : ''}${issue.message}`)
}

const marketSchema = v.pipe(
  v.looseObject({
    market: v.string(),
    korean_name: v.string(),
    english_name: v.string(),
    market_event: v.optional(v.looseObject({ warning: v.boolean() })),
  }),
  v.transform((m): UpbitMarket => ({
    market: m.market,
    koreanName: m.korean_name,
    englishName: m.english_name,
    ...(m.market_event ? { warning: m.market_event.warning } : {}),
  })),
)
export const parseMarkets = (json: unknown): ParseResult<UpbitMarket[]> => run(v.array(marketSchema), json, 'market list')

const candleSchema = v.pipe(
  v.looseObject({
    market: v.string(),
    candle_date_time_utc: naiveUtc,
    opening_price: num,
    high_price: num,
    low_price: num,
    trade_price: num,
    timestamp: num,
    candle_acc_trade_price: num,
    candle_acc_trade_volume: num,
  }),
  v.transform((c): UpbitCandle => ({
    market: c.market,
    openTimeMs: c.candle_date_time_utc,
    open: c.opening_price,
    high: c.high_price,
    low: c.low_price,
    close: c.trade_price,
    volumeBase: c.candle_acc_trade_volume,
    notionalQuote: c.candle_acc_trade_price,
    lastTradeMs: c.timestamp,
  })),
)
/** Candles as Upbit sends them (newest first); ordering is the caller's business. */
export const parseCandles = (json: unknown): ParseResult<UpbitCandle[]> => run(v.array(candleSchema), json, 'candles')

const tickerSchema = v.pipe(
  v.looseObject({
    market: v.string(),
    trade_price: num,
    opening_price: num,
    high_price: num,
    low_price: num,
    prev_closing_price: num,
    change: v.picklist(['RISE', 'EVEN', 'FALL']),
    signed_change_rate: num,
    trade_volume: num,
    acc_trade_price_24h: num,
    acc_trade_volume_24h: num,
    trade_timestamp: num,
    timestamp: num,
  }),
  v.transform((t): UpbitTicker => ({
    market: t.market,
    tradePrice: t.trade_price,
    openingPrice: t.opening_price,
    highPrice: t.high_price,
    lowPrice: t.low_price,
    prevClosingPrice: t.prev_closing_price,
    change: t.change,
    signedChangeRate: t.signed_change_rate,
    tradeVolume: t.trade_volume,
    accTradePrice24h: t.acc_trade_price_24h,
    accTradeVolume24h: t.acc_trade_volume_24h,
    tradeTimeMs: t.trade_timestamp,
    timestampMs: t.timestamp,
  })),
)
export const parseTickers = (json: unknown): ParseResult<UpbitTicker[]> => run(v.array(tickerSchema), json, 'tickers')

const orderbookSchema = v.pipe(
  v.looseObject({
    market: v.string(),
    timestamp: num,
    total_ask_size: num,
    total_bid_size: num,
    orderbook_units: v.array(v.looseObject({ ask_price: num, bid_price: num, ask_size: num, bid_size: num })),
  }),
  v.transform((o): UpbitOrderbook => ({
    market: o.market,
    timestampMs: o.timestamp,
    totalAskSize: o.total_ask_size,
    totalBidSize: o.total_bid_size,
    units: o.orderbook_units.map((u) => ({ askPrice: u.ask_price, bidPrice: u.bid_price, askSize: u.ask_size, bidSize: u.bid_size })),
  })),
)
export const parseOrderbooks = (json: unknown): ParseResult<UpbitOrderbook[]> => run(v.array(orderbookSchema), json, 'orderbooks')

const tradeTickSchema = v.pipe(
  v.looseObject({
    market: v.string(),
    timestamp: num,
    trade_price: num,
    trade_volume: num,
    ask_bid: v.picklist(['ASK', 'BID']),
    sequential_id: num,
  }),
  v.transform((t): UpbitTradeTick => ({
    market: t.market,
    timestampMs: t.timestamp,
    price: t.trade_price,
    volume: t.trade_volume,
    askBid: t.ask_bid,
    sequentialId: t.sequential_id,
  })),
)
export const parseTradeTicks = (json: unknown): ParseResult<UpbitTradeTick[]> => run(v.array(tradeTickSchema), json, 'trades')

const accountSchema = v.pipe(
  v.looseObject({
    currency: v.string(),
    balance: decimal,
    locked: decimal,
    avg_buy_price: decimal,
    avg_buy_price_modified: v.boolean(),
    unit_currency: v.string(),
  }),
  v.transform((a): UpbitAccount => ({
    currency: a.currency,
    balance: a.balance,
    locked: a.locked,
    avgBuyPrice: a.avg_buy_price,
    avgBuyPriceModified: a.avg_buy_price_modified,
    unitCurrency: a.unit_currency,
  })),
)
export const parseAccounts = (json: unknown): ParseResult<UpbitAccount[]> => run(v.array(accountSchema), json, 'accounts')

const chanceObject = v.looseObject({
  bid_fee: decimal,
  ask_fee: decimal,
  maker_bid_fee: optDecimal,
  maker_ask_fee: optDecimal,
  market: v.looseObject({
    id: v.string(),
    bid: v.looseObject({ min_total: decimal }),
    ask: v.looseObject({ min_total: decimal }),
    max_total: optDecimal,
    state: v.optional(v.string()),
    bid_types: v.optional(v.array(v.string())),
    ask_types: v.optional(v.array(v.string())),
  }),
  bid_account: accountSchema,
  ask_account: accountSchema,
})
const chanceSchema = v.pipe(
  // The current docs show an array wrapper, ccxt and older docs a plain object (upbit-api.md §11).
  v.union([
    chanceObject,
    v.pipe(
      v.tuple([chanceObject]),
      v.transform((t) => t[0]),
    ),
  ]),
  v.transform((c): UpbitOrderChance => ({
    bidFeeRate: c.bid_fee,
    askFeeRate: c.ask_fee,
    ...(c.maker_bid_fee != null ? { makerBidFeeRate: c.maker_bid_fee } : {}),
    ...(c.maker_ask_fee != null ? { makerAskFeeRate: c.maker_ask_fee } : {}),
    market: {
      id: c.market.id,
      bidMinTotal: c.market.bid.min_total,
      askMinTotal: c.market.ask.min_total,
      ...(c.market.max_total != null ? { maxTotal: c.market.max_total } : {}),
      ...(c.market.state !== undefined ? { state: c.market.state } : {}),
      ...(c.market.bid_types ? { bidTypes: c.market.bid_types } : {}),
      ...(c.market.ask_types ? { askTypes: c.market.ask_types } : {}),
    },
    bidAccount: c.bid_account,
    askAccount: c.ask_account,
  })),
)
export const parseOrderChance = (json: unknown): ParseResult<UpbitOrderChance> => run(chanceSchema, json, 'order chance')

const orderTradeSchema = v.pipe(
  v.looseObject({ uuid: v.string(), market: v.string(), price: decimal, volume: decimal, funds: decimal, side, created_at: isoWithOffset }),
  v.transform((t): UpbitOrderTrade => ({
    uuid: t.uuid,
    market: t.market,
    price: t.price,
    volume: t.volume,
    funds: t.funds,
    side: t.side,
    createdAtMs: t.created_at,
  })),
)

const orderSchema = v.pipe(
  v.looseObject({
    uuid: v.string(),
    identifier: v.optional(v.nullable(v.string())),
    market: v.string(),
    side,
    ord_type: v.picklist(['limit', 'price', 'market', 'best']),
    price: optDecimal,
    state: v.picklist(['wait', 'watch', 'done', 'cancel']),
    created_at: isoWithOffset,
    volume: optDecimal,
    remaining_volume: optDecimal,
    executed_volume: decimal,
    reserved_fee: decimal,
    remaining_fee: decimal,
    paid_fee: decimal,
    locked: decimal,
    trades_count: int,
    executed_funds: optDecimal,
    time_in_force: v.optional(v.nullable(v.string())),
    trades: v.optional(v.array(orderTradeSchema)),
  }),
  v.transform((o): UpbitOrder => ({
    uuid: o.uuid,
    ...(o.identifier != null ? { identifier: o.identifier } : {}),
    market: o.market,
    side: o.side,
    ordType: o.ord_type,
    ...(o.price != null ? { price: o.price } : {}),
    state: o.state,
    createdAtMs: o.created_at,
    ...(o.volume != null ? { volume: o.volume } : {}),
    remainingVolume: o.remaining_volume ?? 0,
    executedVolume: o.executed_volume,
    reservedFee: o.reserved_fee,
    remainingFee: o.remaining_fee,
    paidFee: o.paid_fee,
    locked: o.locked,
    tradesCount: o.trades_count,
    ...(o.executed_funds != null ? { executedFunds: o.executed_funds } : {}),
    ...(o.time_in_force != null ? { timeInForce: o.time_in_force } : {}),
    trades: o.trades ?? [],
  })),
)
export const parseOrder = (json: unknown): ParseResult<UpbitOrder> => run(orderSchema, json, 'order')
export const parseOrders = (json: unknown): ParseResult<UpbitOrder[]> => run(v.array(orderSchema), json, 'orders')

const errorSchema = v.pipe(
  v.looseObject({ error: v.looseObject({ name: v.union([v.string(), v.number()]), message: v.optional(v.nullable(v.string())) }) }),
  v.transform((e): UpbitErrorBody => ({ name: String(e.error.name), message: e.error.message ?? '' })),
)
/** `{"error":{"name","message"}}`; numeric quotation names (400, 404) become strings. */
export const parseErrorBody = (json: unknown): ParseResult<UpbitErrorBody> => run(errorSchema, json, 'error body')
