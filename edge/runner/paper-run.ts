// One paper run's decisions and books: the shared kernel on the append-only live series, settled
// by the engine's own SimulatedBroker (design §7.3's fill model: the backtest's code, not a copy)
// through stepWithBroker. Everything that happens is journaled: each intent with
// recordOrderIntent BEFORE the broker sees it, fills and order states, an equity point per bar,
// and an event per happening (event-log.ts, which feeds the stream).
//
// No timers and no I/O besides the journal: the runner (runner.ts) appends bars and calls
// stepClosedBars; the parity test drives it bar by bar with a recorded series.
//
// Replay: bars whose open time is at or before `silentThroughMs` were already journaled before a
// restart. They are stepped again (the state is rebuilt from the bars, deterministically) with
// events suppressed; the journal writes are idempotent (intents insert-or-get, fills by trade id,
// equity points by bar), and an intent that differs from the stored one under the same id halts.
import { clearPending, EXIT_REASON_NAMES, REJECT_REASON_NAMES, SIDE_BUY, type KernelSink } from '../../shared/engine/state.ts'
import { SimulatedBroker, stepWithBroker, type Broker } from '../../shared/engine/broker.ts'
import { intentId, PLACE_INDEX, type Intent, type PlaceIntent } from '../../shared/engine/intents.ts'
import type { KernelParams } from '../../shared/engine/params.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Params } from '../../shared/strategies/index.ts'
import type { Journal } from '../journal/index.ts'
import type { EventLog } from './event-log.ts'
import { RunBase, RunHalt, type PendingView } from './run-base.ts'

export { RunHalt } from './run-base.ts'
export type { LastDecision, PendingView, PositionView } from './run-base.ts'
import type { RiskGuard } from './risk.ts'

/**
 * Intent index of a protective exit (stop-loss, take-profit, trailing stop). The engine books
 * these without an order (PLACE_INDEX 0 and CANCEL_INDEX 1 are its own); the paper run gives
 * each one an order row with this index so its fill has an order, like every other fill.
 */
export const PROTECTIVE_EXIT_INDEX = 2

export interface PaperRunSpec {
  readonly runId: string
  readonly params: KernelParams
  /** The strategy's signals on a series (causal: signals[t] depends on bars 0..t only). */
  readonly signals: (s: CandleSeries) => Int8Array
  readonly journal: Journal
  readonly events: EventLog
  /** Time stamped on journal rows and events. */
  readonly nowMs: () => number
  /** The promotion's risk limits (the same guard a live run uses); none: unlimited. */
  readonly risk?: RiskGuard
  readonly timeframeMs?: number
}

export class PaperRun extends RunBase {
  private readonly broker: Broker
  // Per-bar context for the sink: which order is pending at the bar's open, which phase we are in.
  private bar = -1
  private pendingAtOpen: string | null = null
  private phase: 'settle' | 'decide' = 'settle'

  constructor(private readonly spec: PaperRunSpec) {
    super(spec)
    this.st.reset(spec.params.initialCash, this.sink())
    const inner = new SimulatedBroker(this.st, spec.params)
    // The broker seam with the journal in front of it: intents are recorded before the broker
    // takes them, and the decide phase starts when settling is done.
    this.broker = {
      settle: (s, bar) => {
        inner.settle(s, bar)
        this.phase = 'decide'
      },
      submit: (intents) => {
        this.record(intents)
        const sent = intents.filter((it) => this.passesRisk(it))
        inner.submit(sent)
        for (const it of sent) this.announce(it)
      },
    }
  }

  get runId(): string {
    return this.spec.runId
  }

  pending(): PendingView | null {
    const st = this.st
    if (st.pendSide === 0) return null
    const time = this.series.view().time[st.pendPlacedBar]!
    return {
      id: intentId(this.spec.runId, time, PLACE_INDEX),
      side: st.pendSide > 0 ? 'buy' : 'sell',
      type: st.pendIsLimit ? 'limit' : 'market',
      price: st.pendIsLimit ? st.pendPrice : null,
      placedBarTimeMs: time,
    }
  }

  /** Drops the pending paper order (kill, stop): it was never at a venue, so nothing to cancel there. */
  dropPending(reason: string): void {
    const p = this.pending()
    if (p === null) return
    this.st.pendSide = 0
    this.st.pendPlacedBar = -1
    this.spec.journal.orders.setOrderState(p.id, 'cancelled', this.spec.nowMs())
    this.emit('order_cancelled', p.placedBarTimeMs, { orderId: p.id, reason })
  }

  /** Steps every appended bar not stepped yet; returns how many. Throws RunHalt when it must not go on. */
  stepClosedBars(): number {
    if (this.startBar < 0) throw new Error('paper run: no warm-up loaded')
    const s = this.series.view()
    const n = s.time.length
    if (this.nextBar >= n) return 0
    const signals = this.spec.signals(s)
    const from = this.nextBar
    for (let bar = from; bar < n; bar++) this.stepOne(s, signals, bar)
    this.nextBar = n
    return n - from
  }

  private stepOne(s: CandleSeries, signals: Int8Array, bar: number): void {
    const st = this.st
    const expiredBefore = st.expiredOrders
    this.bar = bar
    this.pendingAtOpen = st.pendSide === 0 ? null : intentId(this.spec.runId, s.time[st.pendPlacedBar]!, PLACE_INDEX)
    this.phase = 'settle'
    const intents = stepWithBroker(st, this.spec.params, s, signals, bar, this.broker, this.spec.runId)
    const time = s.time[bar]!
    // An expiry clears the pending order inside the fill model without telling the sink.
    if (st.expiredOrders > expiredBefore && this.pendingAtOpen !== null) {
      this.spec.journal.orders.setOrderState(this.pendingAtOpen, 'cancelled', this.spec.nowMs())
      this.emit('order_cancelled', time, { orderId: this.pendingAtOpen, reason: 'expired' })
    }
    this.markBar(
      s,
      signals,
      bar,
      intents.map((i) => i.id),
    )
  }

  private record(intents: readonly Intent[]): void {
    for (const it of intents) {
      const r = this.spec.journal.orders.recordOrderIntent(this.spec.runId, it, this.spec.nowMs())
      if (!r.sameIntent) throw new RunHalt(`intent ${it.id} differs from the one journaled under that id: the decision is not reproducible`)
    }
  }

  /** The gateway's max-position check: a refused buy never reaches the paper broker. */
  private passesRisk(it: Intent): boolean {
    const risk = this.spec.risk
    if (risk === undefined || it.kind !== 'place' || it.side !== 'buy') return true
    const why = risk.checkBuy(it.type === 'market' ? it.quoteAmount : it.qtyBase * it.price, this.st.qty * this.st.entryPrice)
    if (why === null) return true
    clearPending(this.st)
    this.spec.journal.orders.setOrderState(it.id, 'rejected', this.spec.nowMs())
    this.emit('order_rejected', it.barTimeMs, { orderId: it.id, side: it.side, reason: 'risk_max_position', message: why })
    return false
  }

  private announce(it: Intent): void {
    const now = this.spec.nowMs()
    if (it.kind === 'cancel') {
      this.spec.journal.orders.setOrderState(it.targetId, 'cancelled', now)
      this.spec.journal.orders.setOrderState(it.id, 'done', now)
      this.emit('order_cancelled', it.barTimeMs, { orderId: it.targetId, cancelId: it.id, reason: 'ttl' })
      return
    }
    // The paper broker accepts every order it is given (the decision already checked minimum and cash).
    this.spec.journal.orders.setOrderState(it.id, 'open', now)
    this.emit('order_submitted', it.barTimeMs, {
      orderId: it.id,
      side: it.side,
      type: it.type,
      price: nullIfNaN(it.price),
      qtyBase: nullIfNaN(it.qtyBase),
      quoteAmount: nullIfNaN(it.quoteAmount),
    })
  }

  private sink(): KernelSink {
    const fill = (
      orderId: string,
      side: 'buy' | 'sell',
      bar: number,
      price: number,
      qty: number,
      fee: number,
      extra: Record<string, unknown>,
    ) => {
      const time = this.series.view().time[bar]!
      const now = this.spec.nowMs()
      this.spec.journal.fills.recordFill(
        {
          tradeUuid: `${orderId}:paper`,
          orderId,
          runId: this.spec.runId,
          side,
          price,
          volume: qty,
          feeQuote: fee,
          timeMs: time,
          source: 'paper',
        },
        now,
      )
      this.spec.journal.orders.setOrderState(orderId, 'filled', now)
      this.emit('fill', time, { orderId, side, price, qtyBase: qty, feeQuote: fee, ...extra })
      const pos = this.position()
      this.emit('position', time, { qtyBase: pos.qtyBase, entryPrice: pos.entryPrice, cash: pos.cashQuote })
    }
    return {
      onEntry: (bar, price, qtyBase, feeQuote) => {
        if (this.pendingAtOpen === null) throw new RunHalt('the fill model bought without a pending order')
        fill(this.pendingAtOpen, 'buy', bar, price, qtyBase, feeQuote, {})
      },
      onExit: (bar, price, qtyBase, feeQuote, profitQuote, returnRate, reason) => {
        const exitReason = EXIT_REASON_NAMES[reason]!
        const orderId = reason === 0 && this.pendingAtOpen !== null ? this.pendingAtOpen : this.protectiveOrder(bar, qtyBase)
        fill(orderId, 'sell', bar, price, qtyBase, feeQuote, { exitReason, profitQuote, returnRate })
      },
      onReject: (bar, side, reason) => {
        const time = this.series.view().time[bar]!
        // At the fill (settle phase) the rejected order is the pending one; at the decision nothing was placed.
        const orderId = this.phase === 'settle' ? this.pendingAtOpen : null
        if (orderId !== null) this.spec.journal.orders.setOrderState(orderId, 'rejected', this.spec.nowMs())
        this.emit('order_rejected', time, { orderId, side: side === SIDE_BUY ? 'buy' : 'sell', reason: REJECT_REASON_NAMES[reason]! })
      },
    }
  }

  /** The order row of a protective exit, recorded like any intent before its fill is booked. */
  private protectiveOrder(bar: number, qtyBase: number): string {
    const time = this.series.view().time[bar]!
    const intent: PlaceIntent = {
      kind: 'place',
      id: intentId(this.spec.runId, time, PROTECTIVE_EXIT_INDEX),
      side: 'sell',
      type: 'market',
      price: NaN,
      qtyBase,
      quoteAmount: NaN,
      barTimeMs: time,
      ttlBars: 1,
      stopLossRate: 0,
      takeProfitRate: 0,
      trailingStopRate: 0,
      stopLossPrice: NaN,
      takeProfitPrice: NaN,
    }
    this.record([intent])
    return intent.id
  }
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x)

/** The strategy's signals as a function of the series (params bound). */
export function boundSignals(def: { signals(s: CandleSeries, p: Params): Int8Array }, params: Params): (s: CandleSeries) => Int8Array {
  return (s) => def.signals(s, params)
}
