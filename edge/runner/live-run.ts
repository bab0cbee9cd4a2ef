// One live run: the shared kernel's decisions (the backtest's code) on the append-only live series,
// with the venue as the broker. The journal is the record everything is rebuilt from:
//
// - Decide (synchronous, at each bar close): settle books what the venue reported since the last
//   bar (fills of orders that ended, refusals), checks the protective exits on the closed bar,
//   then stepWithBroker decides. Every intent is written to the journal (state pending_submit)
//   BEFORE it can be sent, and the order gateway (risk check, cancel-before-new) runs in submit.
// - Send (asynchronous, right after): the outbox goes to the venue one request at a time. An
//   order's identifier is its intent id, so the venue refuses a second order under it; the
//   client resolves ambiguous answers by lookup (edge/upbit/place-order.ts). A market order is
//   then followed until it ends.
// - Hear (asynchronous): the private WebSocket's myOrder trades are journaled at once (unique by
//   trade uuid) and streamed; the order's end is confirmed over REST (GET /v1/order lists every
//   trade), and only then booked into the kernel at the next bar's settle.
//
// Booking bars are journaled (orders.booked_bar_ms), so after a restart the same bars with the
// same bookings give the same decisions: resume replays them silently and a decision that differs
// from the journaled intent under the same id halts. Orders whose outcome the journal does not
// know are resolved by identifier with the venue (reconcile) before the run trades on.
//
// How live differs from the fill model, by design: an order is placed at the close and fills
// when the venue fills it (booked at the next bar's settle, like a backtest fill at the next
// open); a protective exit is a market sell at the close of the bar whose range crossed the level,
// not a fill at the level inside the bar. The shadow comparison in the lab shows the difference.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { stepWithBroker, type Broker } from '../../shared/engine/broker.ts'
import { intentId, PLACE_INDEX, type Intent, type PlaceIntent } from '../../shared/engine/intents.ts'
import { fillBuy, fillSell } from '../../shared/engine/account.ts'
import { marketSellRejected } from '../../shared/engine/decide.ts'
import type { KernelParams } from '../../shared/engine/params.ts'
import { protectiveLevels } from '../../shared/engine/sim-broker.ts'
import {
  clearPending,
  EXIT_REASON_NAMES,
  EXIT_SIGNAL,
  EXIT_STOP_LOSS,
  EXIT_TAKE_PROFIT,
  EXIT_TRAILING,
  type KernelState,
  reject,
  SIDE_BUY,
  SIDE_SELL,
} from '../../shared/engine/state.ts'
import type { MyOrderEvent } from '../../shared/upbit/my-order.ts'
import type { UpbitAccount, UpbitOrder } from '../../shared/upbit/types.ts'
import type { Journal, NewFill, OrderRow, OrderState } from '../journal/index.ts'
import type { OrderRef, OrderListQuery, PlacedOrder, PlaceOrderInput, UpbitResult } from '../upbit/index.ts'
import type { EventLog } from './event-log.ts'
import { isFinal, orderInput, rejectCodeOf, tradesAsFills } from './live-orders.ts'
import { RunBase, RunHalt, type PendingView } from './run-base.ts'
import type { RiskGuard } from './risk.ts'

/** The part of the Upbit client a live run uses (tests pass fakes). */
export interface LiveVenue {
  placeOrder(input: PlaceOrderInput): Promise<UpbitResult<PlacedOrder>>
  getOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>>
  cancelOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>>
  listOpenOrders(q?: OrderListQuery): Promise<UpbitResult<UpbitOrder[]>>
  getAccounts(): Promise<UpbitResult<UpbitAccount[]>>
}

export interface LiveRunSpec {
  readonly runId: string
  readonly market: string
  readonly timeframeMs: number
  readonly params: KernelParams
  readonly signals: (s: CandleSeries) => Int8Array
  readonly journal: Journal
  readonly events: EventLog
  readonly venue: LiveVenue
  readonly risk: RiskGuard
  /** Wall time for journal rows and events. */
  readonly nowMs: () => number
  /** The venue's clock (staleness of an unsent order). */
  readonly venueNowMs: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** Market orders: delays between the lookups that follow one until it ends. */
  readonly followDelaysMs?: readonly number[]
  /** Kill/stop: how long to wait for the venue to show no open order of the run. */
  readonly cancelVerifyMs?: number
  /** Errors of work started by venue events (no caller to return them to). */
  readonly onError?: (e: unknown) => void
  /** Crash trials: 'after-intent' (journaled, not sent), 'after-send' (the venue answered, not journaled), 'after-fill'. */
  readonly crashPoint?: (point: string) => void
}

const TERMINAL: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'rejected', 'not_placed', 'done'])
const DEFAULT_FOLLOW_MS = [20, 40, 80, 160, 320, 640, 1_000, 2_000]
/** Consecutive "not found" lookups before an order the venue never showed is taken as not placed. */
const NOT_FOUND_LIMIT = 3

interface Tracked {
  readonly id: string
  readonly intent: PlaceIntent
  uuid: string | null
  state: OrderState
  /** The outcome is known and every trade is journaled. */
  final: boolean
  /** The venue's refusal, for the engine's rejection count. */
  rejectName: string | undefined
  /** Engine exit code of a sell. */
  exitReason: number
  bookedBarMs: number | null
  cancelSent: boolean
  notFound: number
}

export class LiveRun extends RunBase {
  private readonly tracked = new Map<string, Tracked>()
  private readonly outbox: Intent[] = []
  /** The id of the place order the kernel holds as pending (null: none). */
  private pendingId: string | null = null
  /** A sell the settle phase decided as a protective exit at this bar: its exit code. */
  private protectiveReason = -1
  private chain: Promise<void> = Promise.resolve()
  private tradingOpen = true
  private readonly broker: Broker

  constructor(private readonly spec: LiveRunSpec) {
    super(spec)
    this.st.reset(spec.params.initialCash, null)
    this.broker = { settle: (s, bar) => this.settle(s, bar), submit: (intents) => this.submit(intents) }
  }

  get runId(): string {
    return this.spec.runId
  }

  pending(): PendingView | null {
    const t = this.pendingId === null ? undefined : this.tracked.get(this.pendingId)
    if (t === undefined) return null
    return {
      id: t.id,
      side: t.intent.side,
      type: t.intent.type,
      price: Number.isNaN(t.intent.price) ? null : t.intent.price,
      placedBarTimeMs: t.intent.barTimeMs,
    }
  }

  /** Orders of the run the venue may still hold (sent or possibly sent, not ended). */
  openOrders(): string[] {
    return [...this.tracked.values()].filter((t) => !t.final && t.state !== 'pending_submit').map((t) => t.id)
  }

  /** No order is sent after this (kill, stop, halt); cancels still go out. */
  closeTrading(): void {
    this.tradingOpen = false
  }

  /** Steps every appended bar not stepped yet (synchronous: decisions and journal only). */
  stepClosedBars(): number {
    if (this.startBar < 0) throw new Error('live run: no warm-up loaded')
    const s = this.series.view()
    const n = s.time.length
    if (this.nextBar >= n) return 0
    const signals = this.spec.signals(s)
    const from = this.nextBar
    for (let bar = from; bar < n; bar++) {
      // Only the newest bar's orders can still be sent in time: an order decided at an older bar
      // of this batch (a backfill after an outage) is not placed, so the next bar decides afresh.
      // A bar's writes (bookings, intents, its equity mark, their events) are one commit: one
      // fsync between the bar's close and its order going out.
      this.spec.events.atomically(() => this.stepOne(s, signals, bar))
      if (bar < n - 1) this.dropUnsent('stale: decided at an older bar of a backfill')
      this.nextBar = bar + 1
    }
    return n - from
  }

  private stepOne(s: CandleSeries, signals: Int8Array, bar: number): void {
    const intents = stepWithBroker(this.st, this.spec.params, s, signals, bar, this.broker, this.spec.runId)
    this.protectiveReason = -1
    this.markBar(
      s,
      signals,
      bar,
      intents.map((i) => i.id),
    )
  }

  // ---- settle: book what the venue reported, then the protective exits of the closed bar ----

  private settle(s: CandleSeries, bar: number): void {
    const time = s.time[bar]!
    const due = [...this.tracked.values()]
      .filter(
        (t) =>
          t.final &&
          t.intent.barTimeMs < time &&
          (this.silent(time) ? t.bookedBarMs === time : t.bookedBarMs === null || t.bookedBarMs === time),
      )
      .sort((a, b) => a.intent.barTimeMs - b.intent.barTimeMs)
    for (const t of due) this.book(t, bar, time)
    this.protectiveCheck(s, bar)
  }

  private protectiveCheck(s: CandleSeries, bar: number): void {
    const st = this.st
    const p = this.spec.params
    this.protectiveReason = -1
    if (!p.hasExits || !(st.qty > 0) || st.pendSide !== 0) return
    const { stop, takeProfit } = protectiveLevels(st, p)
    let reason = -1
    if (stop > 0 && s.low[bar]! <= stop) reason = p.trailingStopRate > 0 && stop > fixedStop(st, p) ? EXIT_TRAILING : EXIT_STOP_LOSS
    else if (s.high[bar]! >= takeProfit) reason = EXIT_TAKE_PROFIT
    if (reason < 0 || marketSellRejected(st, p, s.close[bar]!)) return
    // The exit is the bar's order: a market sell placed at this close (decideIntents emits it).
    st.pendSide = SIDE_SELL
    st.pendIsLimit = false
    st.pendQty = st.qty
    st.pendPlacedBar = bar
    this.protectiveReason = reason
  }

  /** Books an ended order into the kernel (fills from the journal: the same on every replay). */
  private book(t: Tracked, bar: number, barTimeMs: number): void {
    const st = this.st
    const p = this.spec.params
    const fills = this.spec.journal.fills.fillsOfOrder(t.id)
    let vol = 0
    let funds = 0
    for (const f of fills) {
      vol += f.volume
      funds += f.price * f.volume
    }
    const isPending = this.pendingId === t.id
    if (isPending) {
      clearPending(st)
      this.pendingId = null
    }
    if (t.intent.side === 'buy') {
      if (vol > 0) {
        if (st.qty > 0) throw new RunHalt(`order ${t.id} bought while the run already held a position: reconcile by hand`)
        if (!fillBuy(st, p, bar, funds / vol, vol)) throw new RunHalt(`order ${t.id} cost more than the run's cash`)
      } else if (isPending && (t.state === 'rejected' || t.state === 'not_placed')) {
        const code = rejectCodeOf(t.rejectName)
        if (code >= 0) reject(st, bar, SIDE_BUY, code)
      }
    } else if (vol > 0) {
      if (vol > st.qty * (1 + 1e-9) + 1e-12) throw new RunHalt(`order ${t.id} sold ${vol}, more than the run's position ${st.qty}`)
      if (vol >= st.qty * (1 - 1e-9)) fillSell(st, p, bar, funds / vol, t.exitReason)
      else {
        // A partial sale (a limit sell cancelled part-filled): the rest stays held.
        const fee = funds * p.feeRate
        st.qty -= vol
        st.cash += funds - fee
        st.feesPaid += fee
      }
    } else if (isPending && (t.state === 'rejected' || t.state === 'not_placed')) {
      const code = rejectCodeOf(t.rejectName)
      if (code >= 0) reject(st, bar, SIDE_SELL, code)
    }
    if (t.bookedBarMs === null) {
      t.bookedBarMs = barTimeMs
      this.spec.journal.orders.setBookedBar(t.id, barTimeMs, this.spec.nowMs())
    }
    if (vol > 0) {
      const pos = this.position()
      this.emit('position', barTimeMs, { qtyBase: pos.qtyBase, entryPrice: pos.entryPrice, cash: pos.cashQuote, orderId: t.id })
    }
  }

  // ---- submit: the order gateway at the decision ----

  private submit(intents: readonly Intent[]): void {
    const time = intents[0]?.barTimeMs
    for (const it of intents) {
      const rec = this.spec.journal.orders.recordOrderIntent(this.spec.runId, it, this.spec.nowMs())
      if (!rec.sameIntent)
        throw new RunHalt(`intent ${it.id} differs from the one journaled under that id: the decision is not reproducible`)
      if (it.kind === 'cancel') {
        // The kernel let the order expire: it is no longer its pending order, and no new order
        // goes out until the venue confirms the cancelled one ended (cancelSent: requested).
        if (this.pendingId === it.targetId) this.pendingId = null
        const target = this.tracked.get(it.targetId)
        if (target !== undefined) target.cancelSent = true
        if (rec.created || !TERMINAL.has(rec.order.state)) this.queue(it, rec.created)
        continue
      }
      const t = this.track(it, rec.order)
      if (it.side === 'sell') t.exitReason = this.protectiveReason >= 0 && it.type === 'market' ? this.protectiveReason : EXIT_SIGNAL
      this.pendingId = it.id
      if (!rec.created) {
        // A replay, or a bar decided again after a crash: the journal knows more than the decision.
        if (t.final && t.bookedBarMs === it.barTimeMs) this.book(t, this.bar(time!), it.barTimeMs)
        else if (t.state === 'pending_submit' && !this.silent(it.barTimeMs)) this.queue(it, false)
        continue
      }
      const refusal = this.gate(it)
      if (refusal !== null) {
        this.finish(t, 'rejected', refusal.name, refusal.message)
        this.book(t, this.bar(time!), it.barTimeMs)
        continue
      }
      this.spec.crashPoint?.('after-intent')
      this.queue(it, true)
    }
  }

  /** Checks at the gateway before an order may be sent: max position, and no new order while a cancel is unresolved. */
  private gate(it: PlaceIntent): { name: string; message: string } | null {
    for (const t of this.tracked.values()) {
      if (t.id !== it.id && t.cancelSent && !t.final)
        return { name: 'cancel_pending', message: `order ${t.id} is being cancelled: no new order until it ends` }
    }
    if (it.side === 'buy') {
      const notional = it.type === 'market' ? it.quoteAmount : it.qtyBase * it.price
      const why = this.spec.risk.checkBuy(notional, this.st.qty * this.st.entryPrice)
      if (why !== null) return { name: 'risk_max_position', message: why }
    }
    return null
  }

  private track(it: PlaceIntent, row: OrderRow): Tracked {
    let t = this.tracked.get(it.id)
    if (t === undefined) {
      const final = TERMINAL.has(row.state)
      t = {
        id: it.id,
        intent: it,
        uuid: row.venueUuid,
        state: row.state,
        final,
        rejectName: undefined,
        exitReason:
          it.side === 'sell' ? (this.protectiveReason >= 0 && it.type === 'market' ? this.protectiveReason : EXIT_SIGNAL) : EXIT_SIGNAL,
        bookedBarMs: row.bookedBarMs,
        cancelSent: false,
        notFound: 0,
      }
      this.tracked.set(it.id, t)
      if (!this.silent(it.barTimeMs) && row.state === 'pending_submit') {
        this.emit('order_submitted', it.barTimeMs, {
          orderId: it.id,
          side: it.side,
          type: it.type,
          price: nullIfNaN(it.price),
          qtyBase: nullIfNaN(it.qtyBase),
          quoteAmount: nullIfNaN(it.quoteAmount),
          exitReason: it.side === 'sell' ? EXIT_REASON_NAMES[t.exitReason] : null,
        })
      }
    }
    return t
  }

  private queue(it: Intent, fresh: boolean): void {
    if (this.silent(it.barTimeMs)) return
    if (!fresh && it.kind === 'place') this.tracked.get(it.id)!.notFound = 0
    this.outbox.push(it)
  }

  /** Unsent orders are not placed (their journal rows say so); booked at the next settle. */
  dropUnsent(reason: string): void {
    for (const it of this.outbox.splice(0)) {
      if (it.kind !== 'place') {
        this.outbox.push(it)
        continue
      }
      const t = this.tracked.get(it.id)
      // A row from before a restart may have reached the venue: only a lookup may settle it.
      if (t !== undefined && !t.final && t.uuid === null && !this.preexisting.has(it.id)) this.finish(t, 'not_placed', 'not_sent', reason)
    }
  }

  /** Orders journaled before this process started (reconcile): resolved by lookup, never dropped. */
  private readonly preexisting = new Set<string>()

  // ---- the venue side (asynchronous, one request at a time) ----

  /** Runs fn after everything queued before it (sends, syncs, cancels never interleave). */
  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn)
    this.chain = next.catch(() => {})
    return next
  }

  /** Sends the outbox. */
  flush(): Promise<void> {
    return this.serial(async () => {
      while (this.outbox.length > 0) {
        const it = this.outbox.shift()!
        if (it.kind === 'place') await this.sendPlace(it)
        else await this.sendCancel(it.targetId, it.id)
      }
    })
  }

  private async sendPlace(it: PlaceIntent): Promise<void> {
    const t = this.tracked.get(it.id)!
    if (t.final) return
    if (!this.tradingOpen)
      return this.finish(t, 'not_placed', 'not_sent', 'the run is not trading (halted or stopped) before the order was sent')
    const late = this.spec.venueNowMs() - (it.barTimeMs + 2 * this.spec.timeframeMs)
    if (late > 0 && t.uuid === null && !this.preexisting.has(it.id))
      return this.finish(t, 'not_placed', 'not_sent', `stale: the next bar closed ${late} ms before the order could be sent`)
    const r = await this.spec.venue.placeOrder(orderInput(this.spec.market, it))
    this.spec.crashPoint?.('after-send')
    if (r.ok) {
      this.emit('order_accepted', it.barTimeMs, { orderId: it.id, uuid: r.value.order.uuid, resolvedBy: r.value.resolvedBy })
      this.adopt(t, r.value.order)
      if (it.type === 'market') await this.follow(t)
      return
    }
    const e = r.error
    if (
      e.kind === 'ambiguous' ||
      e.kind === 'network' ||
      e.kind === 'timeout' ||
      e.kind === 'malformed' ||
      e.kind === 'http' ||
      e.kind === 'rate-limited'
    ) {
      this.setState(t, 'unknown')
      this.emit('error', it.barTimeMs, { orderId: it.id, message: `order outcome unknown, resolving by identifier: ${e.message}` })
      return
    }
    if (e.kind === 'upbit' && e.name === 'duplicated_identifier') return this.finish(t, 'not_placed', e.name, e.message)
    this.finish(t, 'rejected', e.kind === 'upbit' ? e.name : e.kind, e.message)
  }

  private async sendCancel(targetId: string, cancelId: string): Promise<void> {
    const t = this.tracked.get(targetId)
    const done = () => this.spec.journal.orders.setOrderState(cancelId, 'done', this.spec.nowMs())
    if (t === undefined || t.final) return done()
    t.cancelSent = true
    const r = await this.spec.venue.cancelOrder(t.uuid !== null ? { uuid: t.uuid } : { identifier: t.id })
    if (r.ok || (r.error.kind === 'upbit' && r.error.name === 'order_not_found')) {
      done()
      this.emit('order_cancelled', t.intent.barTimeMs, { orderId: t.id, cancelId, reason: 'ttl' })
    } else {
      this.spec.journal.orders.setOrderState(cancelId, 'unknown', this.spec.nowMs())
      this.emit('error', t.intent.barTimeMs, { orderId: t.id, message: `cancel failed, retried at the next sync: ${r.error.message}` })
    }
    await this.follow(t)
  }

  /** Looks an order up until it ends (market orders end within moments). */
  private async follow(t: Tracked): Promise<void> {
    for (const ms of this.spec.followDelaysMs ?? DEFAULT_FOLLOW_MS) {
      if (t.final) return
      await this.spec.sleep(ms)
      await this.lookup(t)
    }
  }

  /** One lookup of an order by uuid or identifier; imports its trades and its end. */
  private async lookup(t: Tracked): Promise<void> {
    const r = await this.spec.venue.getOrder(t.uuid !== null ? { uuid: t.uuid } : { identifier: t.id })
    if (r.ok) {
      t.notFound = 0
      this.adopt(t, r.value)
      return
    }
    if (r.error.kind === 'upbit' && r.error.name === 'order_not_found' && t.uuid === null) {
      t.notFound++
      if (t.notFound >= NOT_FOUND_LIMIT)
        this.finish(t, 'not_placed', 'order_not_found', `the venue has no order ${t.id} after ${t.notFound} lookups`)
    }
  }

  /** The venue's view of an order: uuid, trades (journaled once each), and its end. */
  private adopt(t: Tracked, o: UpbitOrder): void {
    const now = this.spec.nowMs()
    if (o.identifier !== undefined && o.identifier !== t.id)
      throw new RunHalt(`the venue answered order ${o.uuid} (${o.identifier}) for ${t.id}`)
    if (t.uuid === null) {
      t.uuid = o.uuid
      this.spec.journal.orders.setVenueUuid(t.id, o.uuid, now)
    }
    for (const f of tradesAsFills(this.spec.runId, t.id, o)) this.recordFill(t, f)
    if (t.final) return
    if (isFinal(o)) {
      this.finish(t, o.executedVolume > 0 ? 'filled' : 'cancelled', undefined, null)
      // A market buy (Upbit 'price' order) ends as 'cancel' with its unspent rest: not a cancellation.
      if (o.state === 'cancel' && (o.ordType === 'limit' || o.executedVolume === 0))
        this.emit('order_cancelled', t.intent.barTimeMs, { orderId: t.id, reason: 'venue', executedVolume: o.executedVolume })
    } else if (t.state !== 'open') this.setState(t, 'open')
  }

  private recordFill(t: Tracked, f: NewFill): void {
    const cap = t.intent.type === 'market' && t.intent.side === 'buy' ? Infinity : t.intent.qtyBase
    const known = cap === Infinity ? [] : this.spec.journal.fills.fillsOfOrder(t.id)
    const filled = known.reduce((a, x) => a + x.volume, 0)
    if (filled + f.volume > cap * (1 + 1e-9) + 1e-12 && !known.some((x) => x.tradeUuid === f.tradeUuid)) {
      throw new RunHalt(`order ${t.id}: fills would exceed its volume ${cap}: halted for a check by hand`)
    }
    // The fill and its event are one commit.
    if (this.spec.events.atomically(() => this.recordFillNow(t, f))) this.spec.crashPoint?.('after-fill')
  }

  private recordFillNow(t: Tracked, f: NewFill): boolean {
    if (this.spec.journal.fills.recordFill(f, this.spec.nowMs())) {
      // The bar the trade fell in (barTimeMs), and the trade's own time.
      this.emit('fill', Math.floor(f.timeMs / this.spec.timeframeMs) * this.spec.timeframeMs, {
        timeMs: f.timeMs,
        orderId: t.id,
        side: f.side,
        price: f.price,
        qtyBase: f.volume,
        feeQuote: f.feeQuote,
        tradeUuid: f.tradeUuid,
        source: f.source,
      })
      return true
    }
    return false
  }

  private finish(t: Tracked, state: OrderState, rejectName: string | undefined, message: string | null): void {
    t.final = true
    t.rejectName = rejectName
    this.setState(t, state)
    if (state === 'rejected' || state === 'not_placed') {
      this.emit('order_rejected', t.intent.barTimeMs, { orderId: t.id, side: t.intent.side, reason: rejectName ?? state, message })
    }
  }

  private setState(t: Tracked, state: OrderState): void {
    t.state = state
    this.spec.journal.orders.setOrderState(t.id, state, this.spec.nowMs())
  }

  /** A myOrder event from the private WebSocket: a trade of one of the run's orders is journaled now. */
  onMyOrder(ev: MyOrderEvent): boolean {
    const t =
      (ev.identifier !== null ? this.tracked.get(ev.identifier) : undefined) ?? [...this.tracked.values()].find((x) => x.uuid === ev.uuid)
    if (t === undefined) return false
    if (ev.trade !== null) {
      const f = ev.trade
      this.recordFill(t, {
        tradeUuid: f.uuid,
        orderId: t.id,
        runId: this.spec.runId,
        side: t.intent.side,
        price: f.price,
        volume: f.volume,
        feeQuote: f.feeQuote,
        timeMs: f.timeMs,
        source: 'ws',
      })
    }
    // The end is confirmed over REST (every trade listed) before it is booked.
    if ((ev.state === 'done' || ev.state === 'cancel') && !t.final)
      this.serial(() => this.lookup(t)).catch((e: unknown) => this.spec.onError?.(e))
    return true
  }

  /** Every order of the run whose end is not known: one lookup each (after a WebSocket gap, at each bar). */
  sync(): Promise<void> {
    return this.serial(async () => {
      for (const t of [...this.tracked.values()]) {
        if (t.final || t.state === 'pending_submit') continue
        await this.lookup(t)
        // A cancel that did not get through is sent again.
        if (!t.final && t.cancelSent && t.uuid !== null) {
          const r = await this.spec.venue.cancelOrder({ uuid: t.uuid })
          if (r.ok) await this.lookup(t)
        }
      }
    })
  }

  /**
   * After a restart, before the run trades: every order the journal left unresolved (sent or
   * maybe sent) is looked up by identifier; found ones are adopted with their trades, ones the
   * venue never had are not placed. Then the venue's balance of the base currency must cover the
   * run's position by its fills. Throws RunHalt on a disagreement; a venue error is returned for
   * the caller to retry.
   */
  async reconcile(): Promise<{ ok: true } | { ok: false; message: string }> {
    let failure: string | null = null
    await this.serial(async () => {
      for (const row of this.spec.journal.orders.unresolvedOfRun(this.spec.runId)) {
        const intent = JSON.parse(row.intentJson) as PlaceIntent
        const it: PlaceIntent = {
          ...intent,
          price: intent.price ?? NaN,
          qtyBase: intent.qtyBase ?? NaN,
          quoteAmount: intent.quoteAmount ?? NaN,
        }
        const t = this.track(it, row)
        this.preexisting.add(t.id)
        for (let i = 0; i < NOT_FOUND_LIMIT && !t.final; i++) {
          const r = await this.spec.venue.getOrder(t.uuid !== null ? { uuid: t.uuid } : { identifier: t.id })
          if (r.ok) {
            this.adopt(t, r.value)
            if (!t.final && r.value.state !== 'wait' && r.value.state !== 'watch') await this.follow(t)
            break
          }
          if (r.error.kind === 'upbit' && r.error.name === 'order_not_found') {
            if (i === NOT_FOUND_LIMIT - 1) this.finish(t, 'not_placed', 'order_not_found', `restart: the venue has no order ${t.id}`)
            else await this.spec.sleep(200 * (i + 1))
            continue
          }
          failure = `restart: looking up order ${t.id}: ${r.error.message}`
          return
        }
      }
      const acc = await this.spec.venue.getAccounts()
      if (!acc.ok) {
        failure = `restart: balances: ${acc.error.message}`
        return
      }
      const base = this.spec.market.split('-')[1]!
      const held = acc.value.filter((a) => a.currency === base).reduce((x, a) => x + a.balance + a.locked, 0)
      let expected = 0
      for (const f of this.spec.journal.fills.fillsOfRun(this.spec.runId)) expected += f.side === 'buy' ? f.volume : -f.volume
      if (held + 1e-8 < expected)
        throw new RunHalt(`restart: the venue holds ${held} ${base} but the run's fills say ${expected}: reconcile by hand`)
    })
    return failure === null ? { ok: true } : { ok: false, message: failure }
  }

  /**
   * Kill or stop at the venue: trading closes (no order is sent after this), unsent orders are not
   * placed, every open order of the run is cancelled, then the venue is asked until none is open
   * (or the time runs out). Idempotent.
   */
  async cancelAll(): Promise<{ cancelled: number; stillOpen: string[] }> {
    this.closeTrading()
    this.dropUnsent('the run was halted or stopped before the order was sent')
    this.outbox.length = 0
    let cancelled = 0
    let stillOpen: string[] = []
    await this.serial(async () => {
      for (const t of this.tracked.values()) {
        if (t.final || (t.uuid === null && t.state === 'pending_submit')) continue
        const r = await this.spec.venue.cancelOrder(t.uuid !== null ? { uuid: t.uuid } : { identifier: t.id })
        if (r.ok) cancelled++
        t.cancelSent = true
      }
      const until = this.spec.nowMs() + (this.spec.cancelVerifyMs ?? 10_000)
      for (;;) {
        const open = await this.spec.venue.listOpenOrders({ market: this.spec.market })
        if (open.ok) {
          stillOpen = open.value.filter((o) => o.identifier?.startsWith(`${this.spec.runId}-`)).map((o) => o.identifier!)
          if (stillOpen.length === 0) break
        }
        if (this.spec.nowMs() > until) break
        await this.spec.sleep(200)
      }
      for (const t of this.tracked.values()) if (!t.final && t.uuid !== null) await this.lookup(t)
    })
    return { cancelled, stillOpen }
  }

  private bar(timeMs: number): number {
    const t = this.series.view().time
    let lo = 0
    let hi = t.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (t[mid]! < timeMs) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** The fixed stop of the open position (0 = none): the trailing stop is the one above it. */
function fixedStop(st: KernelState, p: KernelParams): number {
  return p.stopLossRate > 0 ? st.entryPrice * (1 - p.stopLossRate) : 0
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x)

/** Intent id of the place order decided at a bar (for tests and views). */
export const placeIdAt = (runId: string, barTimeMs: number): string => intentId(runId, barTimeMs, PLACE_INDEX)
