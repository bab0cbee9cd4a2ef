// The private WebSocket's `myOrder` event (upbit-api.md §7.3), validated into a plain value. A
// `trade` event carries one fill (trade_uuid, price, volume, trade_fee, trade_timestamp); the
// others (`wait`, `watch`, `done`, `cancel`, `prevented`) carry the order's new state. A live
// runner records fills from these by trade uuid, so a fill also imported over REST is one row.
import * as v from 'valibot'
import type { Result } from '../result.ts'
import { malformed, type MalformedError } from './parse.ts'
import { ok } from '../result.ts'

export type MyOrderState = 'wait' | 'watch' | 'trade' | 'done' | 'cancel' | 'prevented'

export interface MyOrderEvent {
  readonly market: string
  readonly uuid: string
  /** The caller's identifier (orders created after 2024-10-18); null when absent. */
  readonly identifier: string | null
  readonly side: 'bid' | 'ask'
  readonly ordType: string
  readonly state: MyOrderState
  /** The fill of a `trade` event; null otherwise. */
  readonly trade: {
    readonly uuid: string
    readonly price: number
    readonly volume: number
    readonly feeQuote: number
    readonly timeMs: number
  } | null
  readonly executedVolume: number
  readonly executedFunds: number
  readonly paidFee: number
  readonly timeMs: number
}

const decimal = v.pipe(
  v.union([v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i, 'not a decimal')), v.pipe(v.number(), v.finite())]),
  v.transform(Number),
  v.finite(),
)
const nonNeg = v.pipe(decimal, v.minValue(0, 'expected ≥ 0'))
const epochMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

const schema = v.object({
  type: v.literal('myOrder'),
  code: v.pipe(v.string(), v.regex(/^[A-Z]{2,10}-[A-Z0-9]{1,20}$/, 'not a market code')),
  uuid: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  ask_bid: v.picklist(['BID', 'ASK']),
  order_type: v.pipe(v.string(), v.maxLength(20)),
  state: v.picklist(['wait', 'watch', 'trade', 'done', 'cancel', 'prevented']),
  trade_uuid: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))),
  price: v.optional(v.nullable(nonNeg)),
  volume: v.optional(v.nullable(nonNeg)),
  executed_volume: v.optional(v.nullable(nonNeg)),
  executed_funds: v.optional(v.nullable(nonNeg)),
  paid_fee: v.optional(v.nullable(nonNeg)),
  trade_fee: v.optional(v.nullable(nonNeg)),
  identifier: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
  trade_timestamp: v.optional(v.nullable(epochMs)),
  timestamp: epochMs,
})

/** A `myOrder` message as a MyOrderEvent; a `trade` event without a complete fill is malformed. */
export function parseMyOrder(json: unknown): Result<MyOrderEvent, MalformedError> {
  const r = v.safeParse(schema, json)
  if (!r.success) {
    const issue = r.issues[0]
    const path = v.getDotPath(issue)
    return malformed(`myOrder: ${path ? `${path}: ` : ''}${issue.message}`)
  }
  const m = r.output
  let trade: MyOrderEvent['trade'] = null
  if (m.state === 'trade') {
    if (!m.trade_uuid || !(m.price != null && m.price > 0) || !(m.volume != null && m.volume > 0))
      return malformed('myOrder: a trade event needs trade_uuid, price > 0 and volume > 0')
    trade = { uuid: m.trade_uuid, price: m.price, volume: m.volume, feeQuote: m.trade_fee ?? 0, timeMs: m.trade_timestamp ?? m.timestamp }
  }
  return ok({
    market: m.code,
    uuid: m.uuid,
    identifier: m.identifier ?? null,
    side: m.ask_bid === 'BID' ? 'bid' : 'ask',
    ordType: m.order_type,
    state: m.state,
    trade,
    executedVolume: m.executed_volume ?? 0,
    executedFunds: m.executed_funds ?? 0,
    paidFee: m.paid_fee ?? 0,
    timeMs: m.timestamp,
  })
}
