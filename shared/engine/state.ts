// The account and order state the kernel steps (design §7.3), its event sink and the numeric codes
// hot paths compare. One plain monomorphic object per run: the hot path allocates nothing.
import type { ExitReason, RejectReason } from './types.ts'

export const ENGINE_VERSION = 1

export const SIDE_NONE = 0
export const SIDE_BUY = 1
export const SIDE_SELL = -1

export const EXIT_SIGNAL = 0
export const EXIT_STOP_LOSS = 1
export const EXIT_TAKE_PROFIT = 2
export const EXIT_TRAILING = 3
export const EXIT_REASON_NAMES: readonly ExitReason[] = ['signal', 'stop-loss', 'take-profit', 'trailing-stop']

export const REJECT_BELOW_MINIMUM = 0
export const REJECT_INSUFFICIENT_CASH = 1
export const REJECT_ZERO_SIZE = 2
export const REJECT_REASON_NAMES: readonly RejectReason[] = ['below-minimum', 'insufficient-cash', 'zero-size']

/** Receives what happens; the backtest records trades, the live runner journals and streams. */
export interface KernelSink {
  onEntry(bar: number, price: number, qtyBase: number, feeQuote: number): void
  onExit(bar: number, price: number, qtyBase: number, feeQuote: number, profitQuote: number, returnRate: number, reason: number): void
  onReject(bar: number, side: number, reason: number): void
}

export class KernelState {
  cash = 0
  qty = 0
  entryBar = -1
  entryPrice = 0
  entryNotional = 0
  entryFee = 0
  /** Highest high since entry (the entry bar's own high excluded); tracked only under a trailing stop. */
  peak = 0
  /** The pending order's side: +1 buy (SIDE_BUY), −1 sell (SIDE_SELL), 0 nothing pending. */
  pendSide = SIDE_NONE
  pendIsLimit = false
  pendPrice = 0
  /** Limit orders: volume fixed at placement. Market buys: NaN (sized at the fill). */
  pendQty = 0
  /** Market buys with a quote size: the notional decided at the close. */
  pendNotional = 0
  pendPlacedBar = -1
  // Statistics of closed trades and costs, accumulated in place (no objects per trade).
  closedTrades = 0
  wins = 0
  grossProfit = 0
  grossLoss = 0
  sumReturns = 0
  feesPaid = 0
  barsInPosition = 0
  rejectBelowMinimum = 0
  rejectInsufficientCash = 0
  rejectZeroSize = 0
  expiredOrders = 0
  sink: KernelSink | null = null

  reset(initialCash: number, sink: KernelSink | null): void {
    this.cash = initialCash
    this.qty = 0
    this.entryBar = -1
    this.entryPrice = 0
    this.entryNotional = 0
    this.entryFee = 0
    this.peak = 0
    this.pendSide = 0 // SIDE_NONE
    this.pendIsLimit = false
    this.pendPrice = 0
    this.pendQty = 0
    this.pendNotional = 0
    this.pendPlacedBar = -1
    this.closedTrades = 0
    this.wins = 0
    this.grossProfit = 0
    this.grossLoss = 0
    this.sumReturns = 0
    this.feesPaid = 0
    this.barsInPosition = 0
    this.rejectBelowMinimum = 0
    this.rejectInsufficientCash = 0
    this.rejectZeroSize = 0
    this.expiredOrders = 0
    this.sink = sink
  }
}

/** Counts a rejected order and tells the sink (the backtest loop uses it for bulk runs too). */
export function reject(st: KernelState, bar: number, side: number, reason: number): void {
  if (reason === REJECT_BELOW_MINIMUM) st.rejectBelowMinimum++
  else if (reason === REJECT_INSUFFICIENT_CASH) st.rejectInsufficientCash++
  else st.rejectZeroSize++
  if (st.sink !== null) st.sink.onReject(bar, side, reason)
}

export function clearPending(st: KernelState): void {
  st.pendSide = 0 // SIDE_NONE
  st.pendPlacedBar = -1
}
