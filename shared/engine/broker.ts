// The broker seam. A run decides at each bar close (intents.ts) and hands the intents to a broker;
// before the next decision the broker settles the bars that closed since, booking what happened
// (fills, protective exits, expiries, rejections) into the run's state through account.ts and
// telling the state's sink. The simulated broker below is design §7.3's fill model, the one the
// backtest and the optimizer run (sim-broker.ts), so a paper run cannot drift from a backtest; a
// live broker in edge implements the same interface with the venue's orders and fills.
import type { CandleSeries } from '../candles/types.ts'
import type { Intent } from './intents.ts'
import { decideIntents } from './intents.ts'
import type { KernelParams } from './params.ts'
import { fillBuy, fillSell } from './account.ts'
import { simulateFills } from './sim-broker.ts'
import { clearPending, reject, type KernelState } from './state.ts'

export interface Broker {
  /** Takes the intents decided at a bar close (orders to place, orders to cancel), in order. */
  submit(intents: readonly Intent[]): void
  /** Bar `bar` of `s` has closed: book what happened to the pending order and the position in it. */
  settle(s: CandleSeries, bar: number): void
}

/**
 * The paper broker: the pending order the decision wrote into the state is its order book, and
 * each bar is settled by the fill model itself (simulateFills).
 */
export class SimulatedBroker implements Broker {
  constructor(
    private readonly st: KernelState,
    private readonly p: KernelParams,
  ) {}

  submit(intents: readonly Intent[]): void {
    // The decision already wrote the order into the state; an intent that disagrees with it is a
    // runner bug, and trading on would book fills for an order nobody placed.
    for (const it of intents) {
      if (it.kind === 'place' && (this.st.pendSide === 0 || (it.side === 'buy') !== this.st.pendSide > 0)) {
        throw new Error(`simulated broker: intent ${it.id} is not the state's pending order`)
      }
    }
  }

  settle(s: CandleSeries, bar: number): void {
    simulateFills(this.st, this.p, s, bar)
  }
}

/**
 * One closed bar of a run on a broker: settle the bar, then decide at its close. With the
 * simulated broker this is exactly the kernel's stepBar (the parity tests check it event for
 * event against the backtest).
 */
export function stepWithBroker(
  st: KernelState,
  p: KernelParams,
  s: CandleSeries,
  signals: Int8Array,
  bar: number,
  broker: Broker,
  runId: string,
): Intent[] {
  broker.settle(s, bar)
  const intents = decideIntents(st, p, s, signals, bar, runId)
  broker.submit(intents)
  return intents
}

/** What a live broker reports about the state's pending order, booked by bookReport. */
export type BrokerReport =
  /** The pending buy filled (whole volume) at `price`. */
  | { readonly kind: 'bought'; readonly bar: number; readonly price: number; readonly qtyBase: number }
  /** The position was sold at `price`: the pending sell, or a protective exit (`exitReason` code). */
  | { readonly kind: 'sold'; readonly bar: number; readonly price: number; readonly exitReason: number }
  /** The venue refused the pending order (a rejection reason code of state.ts). */
  | { readonly kind: 'rejected'; readonly bar: number; readonly reason: number }

/**
 * Books a live broker's report into the state with the same accounting as the simulated broker
 * (account.ts), so a live run's books, statistics and sink events have the backtest's shape.
 * Returns false (and books nothing) when the report does not fit the state: a buy with nothing
 * pending to buy, a sale with no position, a rejection with nothing pending. The runner must
 * then reconcile with the venue instead of trading on.
 */
export function bookReport(st: KernelState, p: KernelParams, r: BrokerReport): boolean {
  if (r.kind === 'bought') {
    if (!(st.pendSide > 0) || st.qty > 0) return false
    clearPending(st)
    return fillBuy(st, p, r.bar, r.price, r.qtyBase)
  }
  if (r.kind === 'sold') {
    if (!(st.qty > 0)) return false
    if (st.pendSide < 0) clearPending(st)
    fillSell(st, p, r.bar, r.price, r.exitReason)
    return true
  }
  if (st.pendSide === 0) return false
  const side = st.pendSide
  clearPending(st)
  reject(st, r.bar, side, r.reason)
  return true
}
