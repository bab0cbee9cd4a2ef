// The simulated broker: design §7.3's fill model, the one and only, used by the backtest, the
// optimizer and the paper broker. At each new bar it meets the pending order and the protective
// stops with the bar's prices, in this order: an order the open already crosses fills at the
// open (market orders always do) → a stop or target the open gaps through exits at the open →
// the in-bar stop → the in-bar target → in-bar limit fills (a buy filled in-bar may then meet its
// stop in the same bar, never its target). A live broker implements the same seam (broker.ts)
// with the venue's own fills; the kernel's hot loop calls these functions directly.
import type { CandleSeries } from '../candles/types.ts'
import { fillBuy, fillSell } from './account.ts'
import { allInQty } from './decide.ts'
import type { KernelParams } from './params.ts'
import { volumeFor } from './rounding.ts'
import {
  clearPending,
  EXIT_STOP_LOSS,
  EXIT_TAKE_PROFIT,
  EXIT_TRAILING,
  reject,
  REJECT_BELOW_MINIMUM,
  REJECT_INSUFFICIENT_CASH,
  REJECT_ZERO_SIZE,
  SIDE_BUY,
  SIDE_SELL,
  type KernelState,
} from './state.ts'

/**
 * Market buy at the open of `bar`: sized at the fill price. Its minimum and cash were checked at
 * placement (placeBuy), so it fills even when its value at this open is under the minimum.
 */
function fillMarketBuy(st: KernelState, p: KernelParams, bar: number, open: number): void {
  const price = open * (1 + p.slippageRate)
  const qty = p.sizingKind === 0 /* SIZING_ALL_IN */ ? allInQty(st, p, price) : volumeFor(st.pendNotional, price, p.volumeDecimals)
  clearPending(st)
  if (qty <= 0) return reject(st, bar, SIDE_BUY, REJECT_ZERO_SIZE)
  if (!fillBuy(st, p, bar, price, qty)) reject(st, bar, SIDE_BUY, REJECT_INSUFFICIENT_CASH)
}

/** Market sell at the open of `bar` (its minimum was checked at placement, by the decision close). */
function fillMarketSell(st: KernelState, p: KernelParams, bar: number, open: number): void {
  clearPending(st)
  fillSell(st, p, bar, open * (1 - p.slippageRate), 0 /* EXIT_SIGNAL */)
}

/** Limit buy fill; the volume was fixed when the order was placed. */
function fillLimitBuy(st: KernelState, p: KernelParams, bar: number, price: number): void {
  const qty = st.pendQty
  clearPending(st)
  if (!fillBuy(st, p, bar, price, qty)) reject(st, bar, SIDE_BUY, REJECT_INSUFFICIENT_CASH)
}

/**
 * Exit by a protective stop at `price` (a level, or the open when it gapped through); a position
 * worth less than the minimum cannot be sold (a counted rejection).
 */
function stopExit(st: KernelState, p: KernelParams, bar: number, price: number, reason: number): void {
  if (st.qty * price < p.minOrderQuote) return reject(st, bar, SIDE_SELL, REJECT_BELOW_MINIMUM)
  // A stop exit cancels a pending limit sell of the same position.
  if (st.pendSide < 0) clearPending(st)
  fillSell(st, p, bar, price, reason)
}

/** 1. A pending order that the open already crosses fills at the open (market orders always do). */
export function fillAtOpen(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  const o = s.open[bar]!
  if (!st.pendIsLimit) {
    if (st.pendSide > 0) fillMarketBuy(st, p, bar, o)
    else fillMarketSell(st, p, bar, o)
  } else if (st.pendSide > 0) {
    if (o <= st.pendPrice) fillLimitBuy(st, p, bar, o)
  } else if (o >= st.pendPrice) {
    clearPending(st)
    fillSell(st, p, bar, o, 0 /* EXIT_SIGNAL */)
  }
}

/** The protective stop in force: the higher of the fixed stop and the trailing stop (0: none). */
function stopLevel(st: KernelState, p: KernelParams): number {
  const fixed = p.stopLossRate > 0 ? st.entryPrice * (1 - p.stopLossRate) : 0
  if (p.trailingStopRate > 0) {
    const trail = st.peak * (1 - p.trailingStopRate)
    if (trail > fixed) return trail
  }
  return fixed
}

/** Which stop stopLevel returned: the trailing one only when it is strictly higher. */
function stopReasonOf(st: KernelState, p: KernelParams): number {
  if (p.trailingStopRate > 0) {
    const fixed = p.stopLossRate > 0 ? st.entryPrice * (1 - p.stopLossRate) : 0
    if (st.peak * (1 - p.trailingStopRate) > fixed) return EXIT_TRAILING
  }
  return EXIT_STOP_LOSS
}

/**
 * 2–4. Protective exits of a position held at the open (including one just bought at it, whose
 * stop and target both come after the open): gaps at the open, then the stop, then the target.
 */
export function exitAtStops(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  const o = s.open[bar]!
  const hasStop = p.stopLossRate > 0 || p.trailingStopRate > 0
  const stop = hasStop ? stopLevel(st, p) : 0
  const tp = p.takeProfitRate > 0 ? st.entryPrice * (1 + p.takeProfitRate) : Infinity
  if (hasStop && o <= stop) stopExit(st, p, bar, o, stopReasonOf(st, p))
  else if (o >= tp) stopExit(st, p, bar, o, EXIT_TAKE_PROFIT)
  else if (hasStop && s.low[bar]! <= stop) stopExit(st, p, bar, stop, stopReasonOf(st, p))
  else if (s.high[bar]! >= tp) stopExit(st, p, bar, tp, EXIT_TAKE_PROFIT)
}

/**
 * An entry filled inside the bar (a limit touched during it) may leave in that bar at the stop
 * (the price passed the limit on its way down to it) but never at the target, whose high may
 * have come before the fill. It sells at min(stop, open), never at a level that did not trade.
 */
function stopAfterInBarEntry(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  const stop = stopLevel(st, p)
  if (s.low[bar]! <= stop) {
    const o = s.open[bar]!
    stopExit(st, p, bar, stop < o ? stop : o, stopReasonOf(st, p))
  }
}

/** 5. In-bar limit fills at the limit price (then the new position's stop, in the same bar). */
export function fillInBar(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  if (st.pendSide > 0) {
    if (s.low[bar]! <= st.pendPrice) {
      fillLimitBuy(st, p, bar, st.pendPrice)
      if (st.qty > 0 && (p.stopLossRate > 0 || p.trailingStopRate > 0)) stopAfterInBarEntry(st, p, s, bar)
    }
  } else if (s.high[bar]! >= st.pendPrice && st.qty > 0) {
    clearPending(st)
    fillSell(st, p, bar, st.pendPrice, 0 /* EXIT_SIGNAL */)
  }
}

/**
 * The protective levels of the open position as the fill model applies them at the next bar: the
 * stop in force (the higher of the fixed and the trailing stop; 0 = none) and the take-profit
 * (Infinity = none). A live run shows and watches these.
 */
export function protectiveLevels(st: KernelState, p: KernelParams): { readonly stop: number; readonly takeProfit: number } {
  return { stop: stopLevel(st, p), takeProfit: p.takeProfitRate > 0 ? st.entryPrice * (1 + p.takeProfitRate) : Infinity }
}

/**
 * Phase 1 of a bar: the pending order and the protective stops meet bar `bar`'s prices. Only
 * limit orders can still be pending at the in-bar step (market orders always meet the open).
 */
export function simulateFills(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  if (st.pendSide !== 0) fillAtOpen(st, p, s, bar)
  if (p.hasExits && st.qty > 0) exitAtStops(st, p, s, bar)
  if (st.pendSide !== 0) fillInBar(st, p, s, bar)
}
