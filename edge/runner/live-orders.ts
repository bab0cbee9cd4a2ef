// What a live run sends and reads: an engine intent as an Upbit order, a venue order's trades as
// journal fills, and when an order's outcome is final. Pure functions over shared/upbit values.
import type { PlaceIntent } from '../../shared/engine/intents.ts'
import { REJECT_BELOW_MINIMUM, REJECT_INSUFFICIENT_CASH } from '../../shared/engine/state.ts'
import type { UpbitOrder } from '../../shared/upbit/types.ts'
import type { NewFill } from '../journal/index.ts'
import type { PlaceOrderInput } from '../upbit/index.ts'

/** The Upbit order of a place intent; its identifier is the intent's deterministic id. */
export function orderInput(market: string, it: PlaceIntent): PlaceOrderInput {
  const side = it.side === 'buy' ? 'bid' : 'ask'
  if (it.type === 'limit') return { market, side, ordType: 'limit', price: it.price, volume: it.qtyBase, identifier: it.id }
  // A market buy spends a KRW amount ('price' order). Whole won: the venue's decimals are not
  // worth a refusal, and rounding down never spends more than decided.
  if (it.side === 'buy') return { market, side, ordType: 'price', price: Math.floor(it.quoteAmount), identifier: it.id }
  return { market, side, ordType: 'market', volume: it.qtyBase, identifier: it.id }
}

/** The order's trades as fills; a trade's fee is its share (by funds) of the order's paid fee. */
export function tradesAsFills(runId: string, orderId: string, o: UpbitOrder): NewFill[] {
  const funds = o.trades.reduce((a, t) => a + t.funds, 0)
  return o.trades.map((t) => ({
    tradeUuid: t.uuid,
    orderId,
    runId,
    side: o.side === 'bid' ? ('buy' as const) : ('sell' as const),
    price: t.price,
    volume: t.volume,
    feeQuote: funds > 0 ? (o.paidFee * t.funds) / funds : 0,
    timeMs: t.createdAtMs,
    source: 'rest' as const,
  }))
}

/**
 * The order has ended at the venue and every one of its trades is in `trades`: done, or
 * cancelled, with the trades' volume equal to the executed volume (Upbit lists trades only on
 * GET /v1/order; an answer without them is not taken as final).
 */
export function isFinal(o: UpbitOrder): boolean {
  if (o.state !== 'done' && o.state !== 'cancel') return false
  const vol = o.trades.reduce((a, t) => a + t.volume, 0)
  return Math.abs(vol - o.executedVolume) <= 1e-9 * Math.max(1, o.executedVolume)
}

/** The engine's rejection code for a venue's refusal (−1: none of the engine's reasons). */
export function rejectCodeOf(errorName: string | undefined): number {
  if (errorName === undefined) return -1
  if (errorName.startsWith('insufficient_funds')) return REJECT_INSUFFICIENT_CASH
  if (errorName.startsWith('under_min_total')) return REJECT_BELOW_MINIMUM
  return -1
}
