// Full backtest: signals + kernel + metrics, with the trade list, the equity curve, rejected
// orders and whatever is still open or pending at the end.
import type { CandleSeries } from '../candles/types.ts'
import { compileExecConfig } from '../engine/params.ts'
import { ENGINE_VERSION, KernelState, SIDE_BUY, SIDE_NONE, type KernelSink } from '../engine/state.ts'
import type { ExecConfig, RejectReason, Trade } from '../engine/types.ts'
import type { VenueRules } from '../engine/venue-rules.ts'
import { UPBIT_KRW_RULES } from '../upbit/venue-rules.ts'
import { MetricsAccumulator } from '../metrics/accumulator.ts'
import { METRIC_COUNT, metricsFromRow, type Metrics } from '../metrics/types.ts'
import { checkRange, simulate } from './simulate.ts'
import {
  EXIT_OPEN,
  rejectedOrders,
  tradesOf,
  TRADE_STRIDE,
  type RejectedColumns,
  type RejectedOrder,
  type TradeColumns,
} from './columns.ts'

export interface PendingOrderAtEnd {
  readonly side: 'buy' | 'sell'
  readonly type: 'market' | 'limit'
  /** NaN for a market order. */
  readonly price: number
  /** NaN for a market buy (sized at the fill). */
  readonly qtyBase: number
  readonly placedBar: number
}

export interface BacktestResult {
  readonly engineVersion: number
  readonly config: ExecConfig
  readonly fromBar: number
  readonly toBar: number
  /**
   * Closed round trips, then (last) the position still open at the end, if any. Built from
   * `tradeColumns` on first read (an own enumerable getter: spreads and clones copy it).
   */
  readonly trades: readonly Trade[]
  readonly tradeColumns: TradeColumns
  /** Equity at every bar's close, index 0 = fromBar. */
  readonly equity: Float64Array
  readonly metrics: Metrics
  readonly rejections: Readonly<Record<RejectReason, number>>
  /** Built from `rejectedColumns` on first read, as `trades`. */
  readonly rejected: readonly RejectedOrder[]
  readonly rejectedColumns: RejectedColumns
  readonly expiredOrders: number
  readonly pendingAtEnd: PendingOrderAtEnd | null
}

export interface BacktestOptions {
  readonly fromBar?: number
  readonly toBar?: number
  /** The venue's order rules (default: Upbit's KRW market). */
  readonly rules?: VenueRules
}

/**
 * Growable columns the recorder writes into, kept from one run to the next: memory touched for
 * the first time is slow (a page fault per 4 KB; measured in Chromium here, about 3.5 ms per MB),
 * and growing fresh arrays on every run touched more than the result holds. A run copies out
 * exactly what it recorded. One per realm is enough: runBacktest is synchronous and never nested.
 */
class RecorderScratch {
  values = new Float64Array(64 * TRADE_STRIDE)
  exit = new Uint8Array(64)
  rejBar = new Int32Array(256)
  rejCode = new Uint8Array(256)

  growTrades(): void {
    const n = this.exit.length
    this.values = grownTo(this.values, 2 * n * TRADE_STRIDE)
    this.exit = grownTo(this.exit, 2 * n)
  }

  growRejected(): void {
    const n = this.rejBar.length
    this.rejBar = grownTo(this.rejBar, 2 * n)
    this.rejCode = grownTo(this.rejCode, 2 * n)
  }
}

function grownTo<T extends Float64Array | Int32Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length)
  b.set(a)
  return b
}

const scratch = new RecorderScratch()

/** Turns kernel events into trade and rejected-order columns (see columns.ts for why not objects). */
class TradeRecorder implements KernelSink {
  private count = 0
  private entryBar = -1
  private entryPrice = 0
  private entryFee = 0
  private rejCount = 0
  constructor(
    private readonly time: Float64Array,
    private readonly s: RecorderScratch,
  ) {}

  onEntry(bar: number, price: number, _qtyBase: number, feeQuote: number): void {
    this.entryBar = bar
    this.entryPrice = price
    this.entryFee = feeQuote
  }

  onExit(bar: number, price: number, qtyBase: number, feeQuote: number, profitQuote: number, returnRate: number, reason: number): void {
    this.push(bar, this.time[bar]!, price, qtyBase, feeQuote, profitQuote, returnRate, reason)
  }

  private push(
    exitBar: number,
    exitTimeMs: number,
    exitPrice: number,
    qty: number,
    exitFee: number,
    profit: number,
    ret: number,
    reason: number,
  ): void {
    const n = this.count
    if (n === this.s.exit.length) this.s.growTrades()
    const v = this.s.values
    const o = n * TRADE_STRIDE
    v[o] = this.entryBar
    v[o + 1] = this.time[this.entryBar]!
    v[o + 2] = this.entryPrice
    v[o + 3] = qty
    v[o + 4] = this.entryFee
    v[o + 5] = exitBar
    v[o + 6] = exitTimeMs
    v[o + 7] = exitPrice
    v[o + 8] = exitFee
    v[o + 9] = profit
    v[o + 10] = ret
    this.s.exit[n] = reason
    this.count = n + 1
  }

  onReject(bar: number, side: number, reason: number): void {
    const n = this.rejCount
    if (n === this.s.rejBar.length) this.s.growRejected()
    this.s.rejBar[n] = bar
    this.s.rejCode[n] = (side === SIDE_BUY ? 0 : 1) + 2 * reason
    this.rejCount = n + 1
  }

  /** The position still open at the end, marked at the last close without an exit fee. */
  pushOpen(st: KernelState, lastClose: number): void {
    const cost = st.entryNotional + st.entryFee
    const profit = st.qty * lastClose - cost
    this.push(-1, NaN, NaN, st.qty, 0, profit, profit / cost, EXIT_OPEN)
  }

  tradeColumns(): TradeColumns {
    return { values: this.s.values.slice(0, this.count * TRADE_STRIDE), exit: this.s.exit.slice(0, this.count) }
  }

  rejectedColumns(): RejectedColumns {
    return { bar: this.s.rejBar.slice(0, this.rejCount), code: this.s.rejCode.slice(0, this.rejCount) }
  }
}

export function runBacktest(series: CandleSeries, signals: Int8Array, cfg: ExecConfig, opts: BacktestOptions = {}): BacktestResult {
  const fromBar = opts.fromBar ?? 0
  const toBar = opts.toBar ?? series.close.length
  checkRange(series, signals, fromBar, toBar)
  const p = compileExecConfig(cfg, opts.rules ?? UPBIT_KRW_RULES)
  const st = new KernelState()
  const rec = new TradeRecorder(series.time, scratch)
  st.reset(p.initialCash, rec)
  const acc = new MetricsAccumulator()
  const equity = new Float64Array(toBar - fromBar)
  simulate(series, signals, p, fromBar, toBar, st, acc, equity)
  const row = new Float64Array(METRIC_COUNT)
  const lastClose = series.close[toBar - 1]!
  acc.finish(st, series.close[fromBar]!, lastClose, row, 0)
  if (st.qty > 0) rec.pushOpen(st, lastClose)
  const rejections: Record<RejectReason, number> = {
    'below-minimum': st.rejectBelowMinimum,
    'insufficient-cash': st.rejectInsufficientCash,
    'zero-size': st.rejectZeroSize,
  }
  const pendingAtEnd: PendingOrderAtEnd | null =
    st.pendSide === SIDE_NONE
      ? null
      : {
          side: st.pendSide === SIDE_BUY ? 'buy' : 'sell',
          type: st.pendIsLimit ? 'limit' : 'market',
          price: st.pendIsLimit ? st.pendPrice : NaN,
          qtyBase: st.pendQty,
          placedBar: st.pendPlacedBar,
        }
  const result = {
    engineVersion: ENGINE_VERSION,
    config: cfg,
    fromBar,
    toBar,
    tradeColumns: rec.tradeColumns(),
    equity,
    metrics: metricsFromRow(row),
    rejections,
    rejectedColumns: rec.rejectedColumns(),
    expiredOrders: st.expiredOrders,
    pendingAtEnd,
  }
  return withLists(result, series.time)
}

/**
 * Adds `trades` and `rejected`, built from the result's columns on first read. `time`: the bar
 * times of the series it ran on (the rejected orders' times).
 */
export function withLists(r: Omit<BacktestResult, 'trades' | 'rejected'>, time: ArrayLike<number>): BacktestResult {
  let trades: Trade[] | null = null
  let rejected: RejectedOrder[] | null = null
  Object.defineProperty(r, 'trades', { enumerable: true, get: () => (trades ??= tradesOf(r.tradeColumns)) })
  Object.defineProperty(r, 'rejected', { enumerable: true, get: () => (rejected ??= rejectedOrders(r.rejectedColumns, time)) })
  return r as BacktestResult
}
