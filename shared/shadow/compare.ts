// The shadow comparison (issue 14): a paper or live run beside the backtest of its promotion on
// exactly the bars the run has seen. Fills are matched by side and by the bar they happened in
// (a backtest fill is at a bar's open; a venue fill belongs to the bar its first trade fell in:
// an order placed at a close fills in the next bar, where the backtest fills it at the open).
// Every difference is a divergence with its bar and cause: a fill at another price or volume, a
// fill the run missed (with the run's own reason when its order was refused or never placed), a
// fill the backtest did not have. Pure: the lab calls it with the run's journal activity and a
// backtest it ran itself.
import type { BacktestResult } from '../backtest/run.ts'

export type Side = 'buy' | 'sell'

/** One fill; a run's venue fills are several trades per order, merged by `mergeOrderFills`. */
export interface ShadowFill {
  readonly side: Side
  readonly price: number
  readonly volume: number
  readonly feeQuote: number
  /** Backtest: the fill bar's open time. Run: the (first) trade's time. */
  readonly timeMs: number
  readonly orderId?: string
}

/** A run's order and how it ended (the journal's state). */
export interface ShadowOrder {
  readonly id: string
  readonly side: Side
  /** Open time of the bar whose close decided it. */
  readonly decisionBarMs: number
  readonly state: string
}

export interface Divergence {
  /** Open time of the bar the fill happened (or should have happened) in. */
  readonly barTimeMs: number
  readonly kind: 'price' | 'volume' | 'missed' | 'rejected' | 'extra'
  readonly side: Side
  readonly backtest: { readonly price: number; readonly volume: number } | null
  readonly run: { readonly price: number; readonly volume: number; readonly orderId?: string } | null
  readonly cause: string
}

export interface ShadowInput {
  readonly timeframeMs: number
  readonly backtestFills: readonly ShadowFill[]
  readonly runFills: readonly ShadowFill[]
  readonly runOrders: readonly ShadowOrder[]
  /** Relative price difference tolerated as equal (default 1e-9: float noise only). */
  readonly priceTolerance?: number
}

export interface ShadowReport {
  readonly matched: number
  readonly divergences: readonly Divergence[]
}

/** The backtest's trades as fills: an entry, and an exit unless the trade is still open. */
export function backtestFills(r: Pick<BacktestResult, 'trades'>): ShadowFill[] {
  const out: ShadowFill[] = []
  for (const t of r.trades) {
    out.push({ side: 'buy', price: t.entryPrice, volume: t.qtyBase, feeQuote: t.entryFeeQuote, timeMs: t.entryTimeMs })
    if (t.exitReason !== 'open')
      out.push({ side: 'sell', price: t.exitPrice, volume: t.qtyBase, feeQuote: t.exitFeeQuote, timeMs: t.exitTimeMs })
  }
  return out
}

/** Trades of one order as one fill: total volume and fee, volume-weighted price, first trade's time. */
export function mergeOrderFills(fills: readonly (ShadowFill & { readonly orderId: string })[]): ShadowFill[] {
  const by = new Map<string, { side: Side; vol: number; funds: number; fee: number; t: number }>()
  for (const f of fills) {
    const a = by.get(f.orderId)
    if (a === undefined) by.set(f.orderId, { side: f.side, vol: f.volume, funds: f.price * f.volume, fee: f.feeQuote, t: f.timeMs })
    else {
      a.vol += f.volume
      a.funds += f.price * f.volume
      a.fee += f.feeQuote
      a.t = Math.min(a.t, f.timeMs)
    }
  }
  return [...by].map(([orderId, a]) => ({ orderId, side: a.side, price: a.funds / a.vol, volume: a.vol, feeQuote: a.fee, timeMs: a.t }))
}

const barOf = (timeMs: number, tf: number): number => Math.floor(timeMs / tf) * tf

export function compareShadow(input: ShadowInput): ShadowReport {
  const tf = input.timeframeMs
  const tol = input.priceTolerance ?? 1e-9
  const key = (side: Side, bar: number): string => `${side}:${bar}`
  const runByKey = new Map<string, ShadowFill>()
  for (const f of input.runFills) runByKey.set(key(f.side, barOf(f.timeMs, tf)), f)
  const divergences: Divergence[] = []
  let matched = 0
  for (const b of input.backtestFills) {
    const bar = barOf(b.timeMs, tf)
    const k = key(b.side, bar)
    const r = runByKey.get(k)
    const bt = { price: b.price, volume: b.volume }
    if (r === undefined) {
      divergences.push(missed(b, bar, tf, bt, input.runOrders))
      continue
    }
    runByKey.delete(k)
    const run = { price: r.price, volume: r.volume, ...(r.orderId !== undefined ? { orderId: r.orderId } : {}) }
    const rel = (r.price - b.price) / b.price
    if (Math.abs(rel) > tol) {
      const worse = b.side === 'buy' ? rel > 0 : rel < 0
      divergences.push({
        barTimeMs: bar,
        kind: 'price',
        side: b.side,
        backtest: bt,
        run,
        cause: `filled ${Math.abs(rel * 1e4).toFixed(1)} bps ${worse ? 'worse' : 'better'} than the backtest (slippage, spread or a different fill moment)`,
      })
    } else if (Math.abs(r.volume - b.volume) > 1e-9 * Math.max(1, b.volume)) {
      divergences.push({
        barTimeMs: bar,
        kind: 'volume',
        side: b.side,
        backtest: bt,
        run,
        cause: `volume ${r.volume} against ${b.volume} (partial fill or other sizing)`,
      })
    } else matched++
  }
  for (const r of runByKey.values()) {
    divergences.push({
      barTimeMs: barOf(r.timeMs, tf),
      kind: 'extra',
      side: r.side,
      backtest: null,
      run: { price: r.price, volume: r.volume, ...(r.orderId !== undefined ? { orderId: r.orderId } : {}) },
      cause: 'the backtest had no fill here: its position, cash or pending order differed at the decision',
    })
  }
  divergences.sort((a, b) => a.barTimeMs - b.barTimeMs || (a.side === b.side ? 0 : a.side === 'buy' ? -1 : 1))
  return { matched, divergences }
}

/** A backtest fill the run lacks, explained by the run's order decided before that bar, if any. */
function missed(b: ShadowFill, bar: number, tf: number, bt: Divergence['backtest'], orders: readonly ShadowOrder[]): Divergence {
  // The order the backtest filled at `bar` was decided at an earlier close (the previous one for
  // market orders); the run's latest order of that side decided before `bar` is its counterpart.
  let o: ShadowOrder | undefined
  for (const x of orders) if (x.side === b.side && x.decisionBarMs < bar && (o === undefined || x.decisionBarMs > o.decisionBarMs)) o = x
  if (o !== undefined && o.decisionBarMs >= bar - tf && (o.state === 'rejected' || o.state === 'not_placed')) {
    return {
      barTimeMs: bar,
      kind: 'rejected',
      side: b.side,
      backtest: bt,
      run: null,
      cause: `the run's order ${o.id} was ${o.state.replace('_', ' ')}`,
    }
  }
  if (o !== undefined && o.decisionBarMs >= bar - tf && (o.state === 'open' || o.state === 'unknown' || o.state === 'pending_submit')) {
    return {
      barTimeMs: bar,
      kind: 'missed',
      side: b.side,
      backtest: bt,
      run: null,
      cause: `the run's order ${o.id} has not filled (${o.state})`,
    }
  }
  return {
    barTimeMs: bar,
    kind: 'missed',
    side: b.side,
    backtest: bt,
    run: null,
    cause: 'the run placed no such order: its state differed at the decision',
  }
}
