// The execution kernel (design §3 engine, §7.3): `stepRange` steps closed bars, turning each bar's
// signal into orders and fills. The backtest loop, the optimizer and (later) the live runner with
// the paper broker all call this same code (the live runner one bar at a time, through stepBar),
// so their decisions agree bar for bar.
//
// A bar's step has three phases, in this order:
//   1. fills: orders placed at earlier closes and the protective stops meet bar i
//      (the fill model of §7.3: open crosses → stops gapped at the open → in-bar stop-loss →
//      in-bar take-profit → in-bar limit fills);
//   2. at the close: expire limit orders whose time is up, update the trailing peak (under a
//      trailing stop), then decide (buy only when flat with nothing pending, sell only when
//      holding);
//   3. the mark: equity = cash + qty × close (equityAt), handed to the caller's EquityMarks.
// State lives in a plain monomorphic object and the hot path allocates nothing. Hot paths compare
// and write side, exit and sizing codes as numbers (named beside them, and pendSide by its sign):
// V8 re-checks a module constant for its temporal dead zone on every read, several times per
// bar. The bar loop is inside the kernel (not one call per bar) so V8 keeps the series and params
// in registers across bars; helpers take (state, params, series, bar), never loose doubles, which
// V8 would box on every call it does not inline.
import type { CandleSeries } from '../candles/types.ts'
import { roundKrwPrice } from '../upbit/ticks.ts'
import { floorTo8, stepDown8, volumeFor } from './rounding.ts'
import type { KernelParams } from './params.ts'
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

function clearPending(st: KernelState): void {
  st.pendSide = 0 // SIDE_NONE
  st.pendPlacedBar = -1
}

/**
 * Buys qty at price if the cash covers notional + fee. That is the one cost expression (design
 * §7.3), notional + notional × fee with notional = volume × price, written the same way at
 * placement (placeBuy), in all-in sizing (allInQty) and here at the fill.
 */
function fillBuy(st: KernelState, p: KernelParams, bar: number, price: number, qty: number): boolean {
  const notional = qty * price
  const fee = notional * p.feeRate
  if (notional + fee > st.cash) return false
  st.cash -= notional + fee
  st.qty = qty
  st.entryBar = bar
  st.entryPrice = price
  st.entryNotional = notional
  st.entryFee = fee
  st.peak = price
  st.feesPaid += fee
  if (st.sink !== null) st.sink.onEntry(bar, price, qty, fee)
  return true
}

/** Sells the whole position at price (the caller checked the minimum). */
function fillSell(st: KernelState, p: KernelParams, bar: number, price: number, reason: number): void {
  const qty = st.qty
  const notional = qty * price
  const fee = notional * p.feeRate
  st.cash += notional - fee
  st.feesPaid += fee
  const cost = st.entryNotional + st.entryFee
  const profit = notional - fee - cost
  const ret = profit / cost
  st.closedTrades++
  if (profit > 0) {
    st.wins++
    st.grossProfit += profit
  } else if (profit < 0) {
    st.grossLoss -= profit
  }
  st.sumReturns += ret
  st.qty = 0
  st.entryBar = -1
  if (st.sink !== null) st.sink.onExit(bar, price, qty, fee, profit, ret, reason)
}

/**
 * All-in volume: cash / (price × (1 + fee + buffer)), 8 decimals down. It never costs more than
 * the cash: when float noise leaves the rounded volume a hair over it, the volume steps down one
 * 8-decimal unit (or one double, where doubles are sparser than 1e-8) until it is affordable.
 */
function allInQty(st: KernelState, p: KernelParams, price: number): number {
  const cash = st.cash
  let qty = floorTo8(cash / (price * p.allInCostFactor))
  // A handful of steps at most (each removes ≥ one ulp of the cost); the bound only guards the loop.
  for (let k = 0; k < 64 && qty > 0; k++) {
    const notional = qty * price
    if (notional + notional * p.feeRate <= cash) break
    qty = stepDown8(qty)
  }
  return qty
}

/**
 * Market buy at the open of `bar`: sized at the fill price. Its minimum and cash were checked at
 * placement (placeBuy), so it fills even when its value at this open is under the minimum.
 */
function fillMarketBuy(st: KernelState, p: KernelParams, bar: number, open: number): void {
  const price = open * (1 + p.slippageRate)
  const qty = p.sizingKind === 0 /* SIZING_ALL_IN */ ? allInQty(st, p, price) : volumeFor(st.pendNotional, price)
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
function fillAtOpen(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
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
function exitAtStops(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
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
function fillInBar(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
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

/** Quote value of a new entry decided at a close with the given equity (non all-in sizings). */
function entryNotional(p: KernelParams, equity: number): number {
  return p.sizingKind === 1 /* SIZING_FIXED_QUOTE */ ? p.sizeValue : equity * p.sizeValue
}

/** The quote amount of a market buy placed while flat (all-in: the cash net of fee and buffer). */
function marketBuyQuote(st: KernelState, p: KernelParams): number {
  return p.sizingKind === 0 /* SIZING_ALL_IN */ ? st.cash / p.allInCostFactor : entryNotional(p, st.cash)
}

/**
 * The placement check of a market buy while flat, by its quote amount as the exchange does it
 * (the volume is sized at the fill): −1 when accepted, else the rejection reason. The minimum
 * comes first (an order failing both checks is under the minimum); all-in's quote is affordable
 * by construction. It depends on the cash alone, so one answer holds for a whole flat run.
 */
export function marketBuyCheck(st: KernelState, p: KernelParams): number {
  const quote = marketBuyQuote(st, p)
  if (!(quote > 0)) return REJECT_ZERO_SIZE
  if (quote < p.minOrderQuote) return REJECT_BELOW_MINIMUM
  if (p.sizingKind !== 0 /* SIZING_ALL_IN */ && quote + quote * p.feeRate > st.cash) return REJECT_INSUFFICIENT_CASH
  return -1
}

/**
 * The buy decision at the close of `bar` for a flat state with nothing pending: places the order or
 * counts its rejection.
 */
export function placeBuy(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  const close = s.close[bar]!
  const equity = st.cash // flat: equity is the cash
  if (!p.isLimit) {
    const verdict = marketBuyCheck(st, p)
    if (verdict >= 0) return reject(st, bar, SIDE_BUY, verdict)
    st.pendNotional = marketBuyQuote(st, p)
    st.pendQty = NaN
    st.pendSide = 1 // SIDE_BUY
    st.pendIsLimit = false
    st.pendPlacedBar = bar
    return
  }
  const price = roundKrwPrice(close * (1 + p.aggressivenessRate), p.buyRounding)
  const qty = p.sizingKind === 0 /* SIZING_ALL_IN */ ? allInQty(st, p, price) : volumeFor(entryNotional(p, equity), price)
  if (qty <= 0) return reject(st, bar, SIDE_BUY, REJECT_ZERO_SIZE)
  const notional = qty * price
  if (notional < p.minOrderQuote) return reject(st, bar, SIDE_BUY, REJECT_BELOW_MINIMUM)
  if (notional + notional * p.feeRate > st.cash) return reject(st, bar, SIDE_BUY, REJECT_INSUFFICIENT_CASH)
  st.pendSide = 1 // SIDE_BUY
  st.pendIsLimit = true
  st.pendPrice = price
  st.pendQty = qty
  st.pendPlacedBar = bar
}

/** The limit price of a sell decided at `close` (seed: close × (1 − aggressiveness), rounded down). */
export function limitSellPrice(p: KernelParams, close: number): number {
  return roundKrwPrice(close * (1 - p.aggressivenessRate), p.sellRounding)
}

/** A market sell is checked at placement by volume × the decision close (a missing close passes). */
export function marketSellRejected(st: KernelState, p: KernelParams, close: number): boolean {
  return st.qty * close < p.minOrderQuote
}

/** The sell decision at the close of `bar` while holding with nothing pending (as placeBuy). */
export function placeSell(st: KernelState, p: KernelParams, s: CandleSeries, bar: number): void {
  if (!p.isLimit) {
    if (marketSellRejected(st, p, s.close[bar]!)) return reject(st, bar, SIDE_SELL, REJECT_BELOW_MINIMUM)
    st.pendSide = -1 // SIDE_SELL
    st.pendIsLimit = false
    st.pendQty = st.qty
    st.pendPlacedBar = bar
    return
  }
  const price = limitSellPrice(p, s.close[bar]!)
  if (st.qty * price < p.minOrderQuote) return reject(st, bar, SIDE_SELL, REJECT_BELOW_MINIMUM)
  st.pendSide = -1 // SIDE_SELL
  st.pendIsLimit = true
  st.pendPrice = price
  st.pendQty = st.qty
  st.pendPlacedBar = bar
}

/** Receives each stepped bar's equity marked at its close (the metrics accumulator does). */
export interface EquityMarks {
  bar(timeMs: number, equity: number): void
}

/**
 * Steps bars [from, to) through the three phases, deciding on signals[bar] at each close, and
 * marks each bar's equity: marks.bar(openTime, equity) and equityOut[bar − outOffset] (either may
 * be null). Returns early, after quietBars bars in a row that end with nothing pending (the
 * backtest loop's bulk runs take such stretches; Infinity never returns early). Returns the next
 * bar to step.
 */
export function stepRange(
  st: KernelState,
  p: KernelParams,
  s: CandleSeries,
  signals: Int8Array,
  from: number,
  to: number,
  marks: EquityMarks | null,
  equityOut: Float64Array | null,
  outOffset: number,
  quietBars: number,
): number {
  const { time, high } = s
  const exits = p.hasExits
  const trailing = p.trailingStopRate > 0
  const ttl = p.orderTtlBars
  let quiet = 0
  for (let bar = from; bar < to; bar++) {
    // Phase 1: a pending order the open crosses, protective exits, then in-bar limit fills. Only
    // limit orders can still be pending at the third step (market orders always meet the open).
    if (st.pendSide !== 0) fillAtOpen(st, p, s, bar)
    if (exits && st.qty > 0) exitAtStops(st, p, s, bar)
    if (st.pendSide !== 0) fillInBar(st, p, s, bar)
    // Phase 2: a limit order still pending expires when its time is up; signals never cancel or
    // stack orders, so nothing is decided while one stays.
    let decide = true
    if (st.pendSide !== 0) {
      if (!st.pendIsLimit || bar < st.pendPlacedBar + ttl) decide = false
      else {
        clearPending(st)
        st.expiredOrders++
      }
    }
    const signal = signals[bar]!
    if (st.qty > 0) {
      st.barsInPosition++
      // The entry bar's own high never moves the stop (we cannot know it came after the fill).
      if (trailing && bar > st.entryBar) {
        const h = high[bar]!
        if (h > st.peak) st.peak = h
      }
      if (decide && signal < 0) placeSell(st, p, s, bar)
    } else if (decide && signal > 0) {
      placeBuy(st, p, s, bar)
    }
    const eq = equityAt(st, s, bar)
    if (marks !== null) marks.bar(time[bar]!, eq)
    if (equityOut !== null) equityOut[bar - outOffset] = eq
    if (st.pendSide === 0) {
      if (++quiet >= quietBars && bar + 1 < to) return bar + 1
    } else {
      quiet = 0
    }
  }
  return to
}

/** One closed bar (the live runner's step): stepRange over [bar, bar + 1) without marks. */
export function stepBar(st: KernelState, p: KernelParams, s: CandleSeries, signals: Int8Array, bar: number): void {
  stepRange(st, p, s, signals, bar, bar + 1, null, null, 0, Infinity)
}

/** Phase 3, the mark: equity at the close of `bar` (flat equity is the cash, whatever the close:
 *  even a missing one). */
export function equityAt(st: KernelState, s: CandleSeries, bar: number): number {
  return st.qty > 0 ? st.cash + st.qty * s.close[bar]! : st.cash
}
