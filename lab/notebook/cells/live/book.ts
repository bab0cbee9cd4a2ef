// What the live cell knows about one run: a fold of edge's stream events for that run, seeded
// from the run's view and journal activity (GET /api/runs/:id and …/activity). Every step is
// idempotent, so the seed and a replay of events it already reflects agree: fills are keyed by
// trade (paper: `<orderId>:paper`, as edge journals them), equity marks by bar, an order's state
// only moves forward (open → accepted → partly filled → filled | cancelled | rejected), status
// and position are absolute. `view()` is a plain snapshot for the page to render.
import type { StreamFrame } from '../../../stream/edge-stream.svelte.ts'
import type { RunActivity, RunStatus, RunView } from './api.ts'

export type OrderState = 'open' | 'accepted' | 'partial' | 'filled' | 'cancelled' | 'rejected' | 'not placed' | 'unknown'

export interface OrderRow {
  readonly id: string
  side: 'buy' | 'sell' | null
  type: 'market' | 'limit' | null
  price: number | null
  qtyBase: number | null
  quoteAmount: number | null
  /** Open time of the bar whose close decided it. */
  barTimeMs: number | null
  state: OrderState
  /** Why it was cancelled or rejected. */
  reason: string | null
  filledQty: number
}

export interface FillRow {
  readonly key: string
  readonly orderId: string | null
  readonly side: 'buy' | 'sell'
  readonly price: number
  readonly qtyBase: number
  readonly feeQuote: number
  /** Open time of the bar it fell in. */
  readonly barTimeMs: number
  readonly exitReason: string | null
  readonly profitQuote: number | null
}

export interface EquityMark {
  readonly timeMs: number
  readonly equity: number
  readonly cash: number
  readonly qtyBase: number
  readonly close: number | null
}

export interface Notice {
  readonly seq: number | null
  readonly timeMs: number
  readonly kind: 'halt' | 'error' | 'rejected' | 'status'
  readonly text: string
}

export interface LoggedEvent {
  readonly seq: number
  /** When edge wrote it (edge's clock). */
  readonly timeMs: number
  /** The bar it belongs to (the venue's clock), when it has one. */
  readonly barTimeMs: number | null
  readonly kind: string
  readonly text: string
}

export interface RunBookView {
  readonly runId: string
  readonly status: RunStatus | null
  readonly haltReason: string | null
  readonly position: { readonly qtyBase: number; readonly entryPrice: number; readonly cash: number } | null
  readonly last: EquityMark | null
  readonly firstEquity: number | null
  readonly equity: readonly EquityMark[]
  readonly orders: readonly OrderRow[]
  readonly openOrders: readonly OrderRow[]
  readonly fills: readonly FillRow[]
  readonly notices: readonly Notice[]
  readonly events: readonly LoggedEvent[]
  /** This run's event seqs received, as ranges of consecutive numbers ("5-9,12"). */
  readonly seqRanges: string
  readonly eventCount: number
  readonly firstSeq: number | null
}

const RANK: Record<OrderState, number> = {
  open: 1,
  unknown: 1,
  accepted: 2,
  partial: 3,
  filled: 4,
  cancelled: 4,
  rejected: 4,
  'not placed': 4,
}

/** Events kept for the log (the fold itself keeps everything it needs). */
const LOG_LIMIT = 300

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null)
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null)
const side = (x: unknown): 'buy' | 'sell' | null => (x === 'buy' || x === 'sell' ? x : null)

/** Journal order states (edge) in the cell's words. */
function fromJournalState(s: string): OrderState {
  switch (s) {
    case 'filled':
      return 'filled'
    case 'cancelled':
      return 'cancelled'
    case 'rejected':
      return 'rejected'
    case 'not_placed':
      return 'not placed'
    case 'unknown':
      return 'unknown'
    default:
      return 'open'
  }
}

export function rangesOf(seqs: readonly number[]): string {
  const parts: string[] = []
  let i = 0
  while (i < seqs.length) {
    let j = i
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++
    parts.push(j === i ? `${seqs[i]}` : `${seqs[i]}-${seqs[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

const krw0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const qty8 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 })
/** KRW amounts without decimals, quantities with up to 8, anything else as text. */
const krw = (x: unknown): string => (typeof x === 'number' ? krw0.format(x) : String(x))
const qty = (x: unknown): string => (typeof x === 'number' ? qty8.format(x) : String(x))
const fmt = (x: unknown): string => String(x)

/** One line for the event log. */
export function describeEvent(f: StreamFrame): string {
  switch (f.kind) {
    case 'status':
      return `status ${fmt(f.status)}${f.haltReason ? `: ${fmt(f.haltReason)}` : ''}${f.reconciled ? ' (reconciled)' : ''}${
        typeof f.cancelled === 'number' ? ` · ${f.cancelled} cancelled` : ''
      }`
    case 'order_submitted':
      return `${fmt(f.side)} ${fmt(f.type)}${f.price !== null && f.price !== undefined ? ` @ ${krw(f.price)}` : ''}${
        f.qtyBase !== null && f.qtyBase !== undefined ? ` × ${qty(f.qtyBase)}` : ''
      }${f.quoteAmount !== null && f.quoteAmount !== undefined ? ` for ${krw(f.quoteAmount)} KRW` : ''}`
    case 'order_accepted':
      return `accepted by the venue (${fmt(f.resolvedBy)})`
    case 'order_cancelled':
      return `cancelled (${fmt(f.reason)})`
    case 'order_rejected':
      return `${fmt(f.side)} rejected: ${fmt(f.reason)}${f.message ? ` (${fmt(f.message)})` : ''}`
    case 'fill':
      return `${fmt(f.side)} filled ${qty(f.qtyBase)} @ ${krw(f.price)}${f.exitReason ? ` (${fmt(f.exitReason)})` : ''}`
    case 'position':
      return `position ${qty(f.qtyBase)}${num(f.entryPrice) ? ` @ ${krw(f.entryPrice)}` : ''}, cash ${krw(f.cash)}`
    case 'equity':
      return `equity ${krw(f.equity)} · close ${krw(f.close)}`
    case 'halt':
      return `halted: ${fmt(f.reason)}`
    case 'error':
      return `error: ${fmt(f.message)}`
    default:
      return f.kind
  }
}

export class RunBook {
  status: RunStatus | null = null
  haltReason: string | null = null
  position: { qtyBase: number; entryPrice: number; cash: number } | null = null
  private readonly orders = new Map<string, OrderRow>()
  private readonly fills = new Map<string, FillRow>()
  private readonly equity = new Map<number, EquityMark>()
  private readonly notices: Notice[] = []
  private readonly log: LoggedEvent[] = []
  private readonly seqs: number[] = []

  constructor(readonly runId: string) {}

  private order(id: string): OrderRow {
    let o = this.orders.get(id)
    if (o === undefined) {
      o = {
        id,
        side: null,
        type: null,
        price: null,
        qtyBase: null,
        quoteAmount: null,
        barTimeMs: null,
        state: 'open',
        reason: null,
        filledQty: 0,
      }
      this.orders.set(id, o)
    }
    return o
  }

  private advance(o: OrderRow, state: OrderState, reason: string | null = null): void {
    if (RANK[state] < RANK[o.state]) return
    if (RANK[state] === RANK[o.state] && RANK[state] === 4) return
    o.state = state
    if (reason !== null) o.reason = reason
  }

  private addFill(f: FillRow): void {
    if (this.fills.has(f.key)) return
    this.fills.set(f.key, f)
    if (f.orderId === null) return
    const o = this.order(f.orderId)
    o.side ??= f.side
    o.filledQty += f.qtyBase
  }

  private addEquity(m: EquityMark): void {
    const had = this.equity.get(m.timeMs)
    // A journal mark has no close; the event's does.
    this.equity.set(m.timeMs, had !== undefined && m.close === null ? { ...m, close: had.close } : m)
  }

  /** The run's view (edge's current word on status, position and its pending order). */
  seedView(v: RunView): void {
    this.status = v.status
    this.haltReason = v.haltReason
    if (v.position !== null) this.position = { qtyBase: v.position.qtyBase, entryPrice: v.position.entryPrice, cash: v.position.cashQuote }
    const p = v.pendingOrder
    if (p !== null) {
      const o = this.order(p.id)
      o.side ??= p.side
      o.type ??= p.type
      o.price ??= p.price
      o.barTimeMs ??= p.placedBarTimeMs
    }
  }

  /** The journal's orders, fills and equity marks of the run. */
  seedActivity(a: RunActivity): void {
    for (const r of a.orders) {
      if (r.kind !== 'place') continue
      const o = this.order(r.id)
      const it = r.intent ?? {}
      o.side ??= side(it.side)
      o.type ??= it.type === 'market' || it.type === 'limit' ? it.type : null
      o.price ??= num(it.price)
      o.qtyBase ??= num(it.qtyBase)
      o.quoteAmount ??= num(it.quoteAmount)
      o.barTimeMs ??= r.barTimeMs
      this.advance(o, fromJournalState(r.state))
    }
    for (const f of a.fills) {
      this.addFill({
        key: f.tradeUuid,
        orderId: f.orderId,
        side: f.side,
        price: f.price,
        qtyBase: f.volume,
        feeQuote: f.feeQuote,
        barTimeMs: f.timeMs,
        exitReason: null,
        profitQuote: null,
      })
    }
    for (const e of a.equity)
      this.addEquity({ timeMs: e.timeMs, equity: e.equityQuote, cash: e.cashQuote, qtyBase: e.positionBase, close: null })
  }

  /** One stream event of this run (the caller filters by run and the stream dedupes by seq). */
  apply(f: StreamFrame): void {
    this.seqs.push(f.seq)
    this.log.push({ seq: f.seq, timeMs: f.time, barTimeMs: num(f.barTimeMs), kind: f.kind, text: describeEvent(f) })
    if (this.log.length > LOG_LIMIT * 2) this.log.splice(0, this.log.length - LOG_LIMIT)
    const bar = num(f.barTimeMs)
    const orderId = str(f.orderId)
    switch (f.kind) {
      case 'status': {
        const s = f.status
        if (s === 'starting' || s === 'running' || s === 'halted' || s === 'stopped') this.status = s
        if ('haltReason' in f) this.haltReason = str(f.haltReason)
        if (typeof f.cancelled === 'number') {
          const still = Array.isArray(f.stillOpen) ? f.stillOpen.length : 0
          this.notices.push({
            seq: f.seq,
            timeMs: f.time,
            kind: 'status',
            text: `${f.cancelled} order(s) cancelled at the venue, ${still} still open`,
          })
        }
        break
      }
      case 'order_submitted': {
        if (orderId === null) break
        const o = this.order(orderId)
        o.side = side(f.side) ?? o.side
        o.type = f.type === 'market' || f.type === 'limit' ? f.type : o.type
        o.price = num(f.price)
        o.qtyBase = num(f.qtyBase)
        o.quoteAmount = num(f.quoteAmount)
        o.barTimeMs = bar ?? o.barTimeMs
        break
      }
      case 'order_accepted':
        if (orderId !== null) this.advance(this.order(orderId), 'accepted')
        break
      case 'order_cancelled':
        if (orderId !== null) this.advance(this.order(orderId), 'cancelled', str(f.reason))
        break
      case 'order_rejected': {
        const why = `${str(f.reason) ?? 'rejected'}${f.message ? `: ${String(f.message)}` : ''}`
        if (orderId !== null) {
          const o = this.order(orderId)
          o.side ??= side(f.side)
          o.barTimeMs ??= bar
          this.advance(o, 'rejected', why)
        }
        this.notices.push({ seq: f.seq, timeMs: f.time, kind: 'rejected', text: `${String(f.side ?? '')} order rejected: ${why}`.trim() })
        break
      }
      case 'fill': {
        const s = side(f.side)
        const price = num(f.price)
        const qty = num(f.qtyBase)
        if (s === null || price === null || qty === null) break
        const key = str(f.tradeUuid) ?? `${orderId ?? `seq${f.seq}`}:paper`
        const had = this.fills.get(key)
        if (had !== undefined) {
          // Seeded from the journal: the event adds the exit reason and profit.
          if (had.exitReason === null && (f.exitReason !== undefined || f.profitQuote !== undefined))
            this.fills.set(key, { ...had, exitReason: str(f.exitReason), profitQuote: num(f.profitQuote) })
        } else {
          this.addFill({
            key,
            orderId,
            side: s,
            price,
            qtyBase: qty,
            feeQuote: num(f.feeQuote) ?? 0,
            barTimeMs: bar ?? f.time,
            exitReason: str(f.exitReason),
            profitQuote: num(f.profitQuote),
          })
        }
        if (orderId !== null) {
          const o = this.order(orderId)
          if (f.source === undefined) this.advance(o, 'filled')
          else this.advance(o, o.qtyBase !== null && o.filledQty >= o.qtyBase * (1 - 1e-9) ? 'filled' : 'partial')
        }
        break
      }
      case 'position': {
        const q = num(f.qtyBase)
        if (q !== null) this.position = { qtyBase: q, entryPrice: num(f.entryPrice) ?? 0, cash: num(f.cash) ?? this.position?.cash ?? 0 }
        if (orderId !== null) this.advance(this.order(orderId), 'filled')
        break
      }
      case 'equity': {
        const e = num(f.equity)
        if (bar !== null && e !== null)
          this.addEquity({ timeMs: bar, equity: e, cash: num(f.cash) ?? NaN, qtyBase: num(f.qtyBase) ?? NaN, close: num(f.close) })
        break
      }
      case 'halt':
        this.notices.push({ seq: f.seq, timeMs: f.time, kind: 'halt', text: `halted: ${String(f.reason ?? '')}` })
        break
      case 'error':
        this.notices.push({ seq: f.seq, timeMs: f.time, kind: 'error', text: String(f.message ?? '') })
        break
    }
  }

  view(): RunBookView {
    const orders = [...this.orders.values()]
      .map((o) => ({ ...o }))
      .sort((a, b) => (b.barTimeMs ?? 0) - (a.barTimeMs ?? 0) || (a.id < b.id ? 1 : -1))
    const equity = [...this.equity.values()].sort((a, b) => a.timeMs - b.timeMs)
    return {
      runId: this.runId,
      status: this.status,
      haltReason: this.haltReason,
      position: this.position,
      last: equity.at(-1) ?? null,
      firstEquity: equity[0]?.equity ?? null,
      equity,
      orders,
      openOrders: orders.filter((o) => RANK[o.state] < 4),
      fills: [...this.fills.values()].sort((a, b) => b.barTimeMs - a.barTimeMs),
      notices: [...this.notices].reverse(),
      events: this.log.slice(-LOG_LIMIT).reverse(),
      seqRanges: rangesOf(this.seqs),
      eventCount: this.seqs.length,
      firstSeq: this.seqs[0] ?? null,
    }
  }
}
