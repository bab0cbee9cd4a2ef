// Trades and rejected orders as columns. A backtest of months of 1m bars closes thousands of
// trades and can reject tens of thousands of sell wishes while flat (5,700 trades and 35,265
// rejections on 3 months with the seed ensemble's defaults): one object each cost more than the
// whole simulation (measured in Node: 7.4 ms a run with objects, 3.3 ms with columns). The result
// keeps the columns; its `trades` and `rejected` lists are built from them on first read, and the
// lab moves the columns between threads as they are (transferred typed arrays).
import { EXIT_REASONS, REJECT_REASONS, type ExitReason, type RejectReason, type Trade } from '../engine/types.ts'

/** The numeric fields of a Trade, in column order (the exit reason is its own column). */
export const TRADE_FIELDS = [
  'entryBar',
  'entryTimeMs',
  'entryPrice',
  'qtyBase',
  'entryFeeQuote',
  'exitBar',
  'exitTimeMs',
  'exitPrice',
  'exitFeeQuote',
  'profitQuote',
  'returnRate',
] as const satisfies readonly (keyof Trade)[]
export const TRADE_STRIDE = TRADE_FIELDS.length
/** The column of each numeric field: values[i × TRADE_STRIDE + TRADE_COL.exitBar] is trade i's exit bar. */
export const TRADE_COL = Object.fromEntries(TRADE_FIELDS.map((f, k) => [f, k])) as Readonly<Record<(typeof TRADE_FIELDS)[number], number>>

export interface TradeColumns {
  /** TRADE_STRIDE values per trade, in TRADE_FIELDS order. */
  readonly values: Float64Array
  /** Index into EXIT_REASONS per trade (its length is the trade count). */
  readonly exit: Uint8Array
}

export interface RejectedOrder {
  readonly bar: number
  readonly timeMs: number
  readonly side: 'buy' | 'sell'
  readonly reason: RejectReason
}

export interface RejectedColumns {
  readonly bar: Int32Array
  /** 1 for a sell + 2 × index into REJECT_REASONS. */
  readonly code: Uint8Array
}

/**
 * The kernel's exit reason codes (engine/state.ts EXIT_REASON_NAMES) are indices into
 * EXIT_REASONS, which ends with 'open' (a test holds the two lists in step).
 */
export const EXIT_OPEN = EXIT_REASONS.indexOf('open')

export const tradeCount = (c: TradeColumns): number => c.exit.length

/** Whether the last trade is the position still open at the end. */
export const endsOpen = (c: TradeColumns): boolean => c.exit.length > 0 && c.exit[c.exit.length - 1] === EXIT_OPEN

/** Trade i of the columns as an object. */
export function tradeAt(c: TradeColumns, i: number): Trade {
  const v = c.values
  const o = i * TRADE_STRIDE
  return {
    entryBar: v[o]!,
    entryTimeMs: v[o + 1]!,
    entryPrice: v[o + 2]!,
    qtyBase: v[o + 3]!,
    entryFeeQuote: v[o + 4]!,
    exitBar: v[o + 5]!,
    exitTimeMs: v[o + 6]!,
    exitPrice: v[o + 7]!,
    exitFeeQuote: v[o + 8]!,
    profitQuote: v[o + 9]!,
    returnRate: v[o + 10]!,
    exitReason: EXIT_REASONS[c.exit[i]!]!,
  }
}

export function tradesOf(c: TradeColumns): Trade[] {
  const out = new Array<Trade>(c.exit.length)
  for (let i = 0; i < out.length; i++) out[i] = tradeAt(c, i)
  return out
}

/** The columns of a list of trades (the inverse of tradesOf). */
export function tradeColumnsOf(trades: readonly Trade[]): TradeColumns {
  const values = new Float64Array(trades.length * TRADE_STRIDE)
  const exit = new Uint8Array(trades.length)
  trades.forEach((t, i) => {
    for (let k = 0; k < TRADE_STRIDE; k++) values[i * TRADE_STRIDE + k] = t[TRADE_FIELDS[k]!]
    exit[i] = exitCode(t.exitReason)
  })
  return { values, exit }
}

export const exitCode = (r: ExitReason): number => EXIT_REASONS.indexOf(r)
export const rejectCode = (side: 'buy' | 'sell', reason: RejectReason): number =>
  (side === 'sell' ? 1 : 0) + 2 * REJECT_REASONS.indexOf(reason)

/** The orders of `cols` as objects (their times from the bar times of the series). */
export function rejectedOrders(cols: RejectedColumns, time: ArrayLike<number>): RejectedOrder[] {
  const out = new Array<RejectedOrder>(cols.code.length)
  for (let i = 0; i < out.length; i++) {
    const c = cols.code[i]!
    const bar = cols.bar[i]!
    out[i] = { bar, timeMs: time[bar]!, side: (c & 1) === 1 ? 'sell' : 'buy', reason: REJECT_REASONS[c >> 1]! }
  }
  return out
}

/** The columns of a list of rejected orders (the inverse of rejectedOrders). */
export function rejectedColumnsOf(orders: readonly RejectedOrder[]): RejectedColumns {
  return { bar: Int32Array.from(orders, (o) => o.bar), code: Uint8Array.from(orders, (o) => rejectCode(o.side, o.reason)) }
}
