// Accounting of fills: what a buy or a sell does to the cash, the position and the statistics of
// closed trades. The simulated broker calls these for the fills it models; a live run calls them
// for the fills the venue reports, so both keep the books the same way.
import type { KernelParams } from './params.ts'
import type { KernelState } from './state.ts'

/**
 * Buys qty at price if the cash covers notional + fee. That is the one cost expression (design
 * §7.3), notional + notional × fee with notional = volume × price, written the same way at
 * placement (placeBuy), in all-in sizing (allInQty) and here at the fill.
 */
export function fillBuy(st: KernelState, p: KernelParams, bar: number, price: number, qty: number): boolean {
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
export function fillSell(st: KernelState, p: KernelParams, bar: number, price: number, reason: number): void {
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
