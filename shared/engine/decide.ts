// Decisions at a bar's close (design §7.3): a limit order whose time is up is cancelled; a buy
// wish while flat with nothing pending, or a sell wish while holding, becomes an order, sized and
// priced by the venue's rules and checked as the exchange checks it at placement (minimum first,
// then cash), or a counted rejection at the decision bar. The order is written into the state as
// its one pending order; intents.ts gives it to a broker as an intent.
import type { CandleSeries } from '../candles/types.ts'
import type { KernelParams } from './params.ts'
import { floorToDecimals, stepDownVolume, volumeFor } from './rounding.ts'
import {
  clearPending,
  reject,
  REJECT_BELOW_MINIMUM,
  REJECT_INSUFFICIENT_CASH,
  REJECT_ZERO_SIZE,
  SIDE_BUY,
  SIDE_SELL,
  type KernelState,
} from './state.ts'

/**
 * All-in volume: cash / (price × (1 + fee + buffer)), rounded down to the venue's decimals. It
 * never costs more than the cash: when float noise leaves the rounded volume a hair over it, the
 * volume steps down one unit (1e-8 on Upbit, or one double where doubles are sparser) until it
 * is affordable.
 */
export function allInQty(st: KernelState, p: KernelParams, price: number): number {
  const cash = st.cash
  let qty = floorToDecimals(cash / (price * p.allInCostFactor), p.volumeDecimals)
  // A handful of steps at most (each removes ≥ one ulp of the cost); the bound only guards the loop.
  for (let k = 0; k < 64 && qty > 0; k++) {
    const notional = qty * price
    if (notional + notional * p.feeRate <= cash) break
    qty = stepDownVolume(qty, p.volumeDecimals)
  }
  return qty
}

/** Quote value of a new entry decided at a close with the given equity (non all-in sizings). */
export function entryNotional(p: KernelParams, equity: number): number {
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
export function marketBuyCheck(st: KernelState, p: KernelParams, quote = marketBuyQuote(st, p)): number {
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
    const quote = marketBuyQuote(st, p)
    const verdict = marketBuyCheck(st, p, quote)
    if (verdict >= 0) return reject(st, bar, SIDE_BUY, verdict)
    st.pendNotional = quote
    st.pendQty = NaN
    st.pendSide = 1 // SIDE_BUY
    st.pendIsLimit = false
    st.pendPlacedBar = bar
    return
  }
  const price = limitBuyPrice(p, close)
  const qty = p.sizingKind === 0 /* SIZING_ALL_IN */ ? allInQty(st, p, price) : volumeFor(entryNotional(p, equity), price, p.volumeDecimals)
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

/** The limit price of a buy decided at `close` (seed: close × (1 + aggressiveness), rounded up). */
export function limitBuyPrice(p: KernelParams, close: number): number {
  return p.rules.roundPrice(close * (1 + p.aggressivenessRate), p.buyRounding)
}

/** The limit price of a sell decided at `close` (seed: close × (1 − aggressiveness), rounded down). */
export function limitSellPrice(p: KernelParams, close: number): number {
  return p.rules.roundPrice(close * (1 - p.aggressivenessRate), p.sellRounding)
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

/**
 * Phase 2 of a bar, at its close: a limit order still pending expires when its time is up (signals
 * never cancel or stack orders, so nothing is decided while one stays); the trailing peak takes
 * the bar's high (never the entry bar's own); then the bar's signal is decided.
 */
export function decideAtClose(st: KernelState, p: KernelParams, s: CandleSeries, signals: Int8Array, bar: number): void {
  let decide = true
  if (st.pendSide !== 0) {
    if (!st.pendIsLimit || bar < st.pendPlacedBar + p.orderTtlBars) decide = false
    else {
      clearPending(st)
      st.expiredOrders++
    }
  }
  const signal = signals[bar]!
  if (st.qty > 0) {
    st.barsInPosition++
    // The entry bar's own high never moves the stop (we cannot know it came after the fill).
    if (p.trailingStopRate > 0 && bar > st.entryBar) {
      const h = s.high[bar]!
      if (h > st.peak) st.peak = h
    }
    if (decide && signal < 0) placeSell(st, p, s, bar)
  } else if (decide && signal > 0) {
    placeBuy(st, p, s, bar)
  }
}
