// Intents: what a decision at a bar close asks a broker to do, as plain values with deterministic
// ids. The id of an order is derived from (run id, bar time, intent index), so a runner that
// crashes and decides the same bar again produces the same id: used as Upbit's `identifier`, the
// venue refuses it a second time, and an order is never placed twice.
import type { CandleSeries } from '../candles/types.ts'
import { decideAtClose } from './decide.ts'
import type { KernelParams } from './params.ts'
import type { KernelState } from './state.ts'

/** Index of a bar's order (a bar places at most one) and of its cancel (at most one). */
export const PLACE_INDEX = 0
export const CANCEL_INDEX = 1

export interface PlaceIntent {
  readonly kind: 'place'
  readonly id: string
  readonly side: 'buy' | 'sell'
  readonly type: 'market' | 'limit'
  /** Limit price on the venue's grid; NaN for a market order. */
  readonly price: number
  /** Volume; NaN for a market buy, which is sized by its quote amount. */
  readonly qtyBase: number
  /** Quote amount of a market buy (Upbit's `price` order type); NaN otherwise. */
  readonly quoteAmount: number
  /** Open time of the decision bar. */
  readonly barTimeMs: number
  /** A limit order may fill on the next ttlBars bars, then it is cancelled. */
  readonly ttlBars: number
  /** Protective exits of the position a buy opens, as rates of its fill price (0 = none). */
  readonly stopLossRate: number
  readonly takeProfitRate: number
  readonly trailingStopRate: number
  /**
   * The levels those rates give if a limit buy fills at its price (NaN when unset, for sells, and
   * for market buys, whose fill price is not known yet; protectiveLevels gives the levels of an
   * open position).
   */
  readonly stopLossPrice: number
  readonly takeProfitPrice: number
}

export interface CancelIntent {
  readonly kind: 'cancel'
  readonly id: string
  /** The id of the order to cancel. */
  readonly targetId: string
  readonly barTimeMs: number
}

export type Intent = PlaceIntent | CancelIntent

const RUN_ID = /^[A-Za-z0-9_]{1,40}$/

/**
 * `${runId}-${barTime in base 36}-${index}`: at most 40 + 1 + 9 + 1 + 2 characters, within
 * Upbit's 64 for an identifier, and unique per run, bar and index.
 */
export function intentId(runId: string, barTimeMs: number, index: number): string {
  if (!RUN_ID.test(runId)) throw new RangeError(`run id must be 1–40 letters, digits or _, got ${JSON.stringify(runId)}`)
  if (!Number.isSafeInteger(barTimeMs) || barTimeMs < 0) throw new RangeError(`bar time must be a non-negative integer, got ${barTimeMs}`)
  if (!Number.isInteger(index) || index < 0 || index > 99) throw new RangeError(`intent index must be 0–99, got ${index}`)
  return `${runId}-${barTimeMs.toString(36)}-${index}`
}

/**
 * The decision at the close of `bar` (decideAtClose, the kernel's own) as intents: a cancel when a
 * limit order's time ran out, and the order placed, if any. Not a hot path: a live or paper run
 * calls it once per closed bar.
 */
export function decideIntents(st: KernelState, p: KernelParams, s: CandleSeries, signals: Int8Array, bar: number, runId: string): Intent[] {
  const hadPending = st.pendSide !== 0
  const placedBefore = st.pendPlacedBar
  decideAtClose(st, p, s, signals, bar)
  const time = s.time[bar]!
  const out: Intent[] = []
  if (hadPending && st.pendPlacedBar !== placedBefore) {
    out.push({
      kind: 'cancel',
      id: intentId(runId, time, CANCEL_INDEX),
      targetId: intentId(runId, s.time[placedBefore]!, PLACE_INDEX),
      barTimeMs: time,
    })
  }
  if (st.pendSide !== 0 && st.pendPlacedBar === bar) out.push(pendingIntent(st, p, s, runId))
  return out
}

/** The state's pending order as a place intent (its id from the bar that placed it). */
export function pendingIntent(st: KernelState, p: KernelParams, s: CandleSeries, runId: string): PlaceIntent {
  if (st.pendSide === 0) throw new Error('no order is pending')
  const time = s.time[st.pendPlacedBar]!
  const buy = st.pendSide > 0
  const market = !st.pendIsLimit
  return {
    kind: 'place',
    id: intentId(runId, time, PLACE_INDEX),
    side: buy ? 'buy' : 'sell',
    type: market ? 'market' : 'limit',
    price: market ? NaN : st.pendPrice,
    qtyBase: market && buy ? NaN : st.pendQty,
    quoteAmount: market && buy ? st.pendNotional : NaN,
    barTimeMs: time,
    ttlBars: p.orderTtlBars,
    stopLossRate: buy ? p.stopLossRate : 0,
    takeProfitRate: buy ? p.takeProfitRate : 0,
    trailingStopRate: buy ? p.trailingStopRate : 0,
    stopLossPrice: buy && !market && p.stopLossRate > 0 ? st.pendPrice * (1 - p.stopLossRate) : NaN,
    takeProfitPrice: buy && !market && p.takeProfitRate > 0 ? st.pendPrice * (1 + p.takeProfitRate) : NaN,
  }
}
