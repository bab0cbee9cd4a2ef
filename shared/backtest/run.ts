// Full backtest: signals + kernel + metrics, with the trade list, the equity curve, rejected
// orders and whatever is still open or pending at the end.
import type { CandleSeries } from '../candles/types.ts'
import { compileExecConfig } from '../engine/params.ts'
import {
  ENGINE_VERSION,
  EXIT_REASON_NAMES,
  KernelState,
  REJECT_REASON_NAMES,
  SIDE_BUY,
  SIDE_NONE,
  type KernelSink,
} from '../engine/state.ts'
import type { ExecConfig, RejectReason, Trade } from '../engine/types.ts'
import type { VenueRules } from '../engine/venue-rules.ts'
import { UPBIT_KRW_RULES } from '../upbit/venue-rules.ts'
import { MetricsAccumulator } from '../metrics/accumulator.ts'
import { METRIC_COUNT, metricsFromRow, type Metrics } from '../metrics/types.ts'
import { checkRange, simulate } from './simulate.ts'

export interface RejectedOrder {
  readonly bar: number
  readonly timeMs: number
  readonly side: 'buy' | 'sell'
  readonly reason: RejectReason
}

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
  /** Closed round trips, then (last) the position still open at the end, if any. */
  readonly trades: readonly Trade[]
  /** Equity at every bar's close, index 0 = fromBar. */
  readonly equity: Float64Array
  readonly metrics: Metrics
  readonly rejections: Readonly<Record<RejectReason, number>>
  readonly rejected: readonly RejectedOrder[]
  readonly expiredOrders: number
  readonly pendingAtEnd: PendingOrderAtEnd | null
}

export interface BacktestOptions {
  readonly fromBar?: number
  readonly toBar?: number
  /** The venue's order rules (default: Upbit's KRW market). */
  readonly rules?: VenueRules
}

/** Turns kernel events into Trade records (allocation per trade is fine: trades are rare). */
class TradeRecorder implements KernelSink {
  readonly trades: Trade[] = []
  readonly rejected: RejectedOrder[] = []
  private entry = { bar: -1, price: 0, qty: 0, fee: 0 }
  constructor(private readonly time: Float64Array) {}

  onEntry(bar: number, price: number, qtyBase: number, feeQuote: number): void {
    this.entry = { bar, price, qty: qtyBase, fee: feeQuote }
  }

  onExit(bar: number, price: number, qtyBase: number, feeQuote: number, profitQuote: number, returnRate: number, reason: number): void {
    const e = this.entry
    this.trades.push({
      entryBar: e.bar,
      entryTimeMs: this.time[e.bar]!,
      entryPrice: e.price,
      qtyBase,
      entryFeeQuote: e.fee,
      exitBar: bar,
      exitTimeMs: this.time[bar]!,
      exitPrice: price,
      exitFeeQuote: feeQuote,
      profitQuote,
      returnRate,
      exitReason: EXIT_REASON_NAMES[reason]!,
    })
  }

  onReject(bar: number, side: number, reason: number): void {
    this.rejected.push({ bar, timeMs: this.time[bar]!, side: side === SIDE_BUY ? 'buy' : 'sell', reason: REJECT_REASON_NAMES[reason]! })
  }

  /** The position still open at the end, marked at the last close without an exit fee. */
  openTrade(st: KernelState, lastClose: number): Trade {
    const e = this.entry
    const cost = st.entryNotional + st.entryFee
    const profit = st.qty * lastClose - cost
    return {
      entryBar: e.bar,
      entryTimeMs: this.time[e.bar]!,
      entryPrice: e.price,
      qtyBase: st.qty,
      entryFeeQuote: e.fee,
      exitBar: -1,
      exitTimeMs: NaN,
      exitPrice: NaN,
      exitFeeQuote: 0,
      profitQuote: profit,
      returnRate: profit / cost,
      exitReason: 'open',
    }
  }
}

export function runBacktest(series: CandleSeries, signals: Int8Array, cfg: ExecConfig, opts: BacktestOptions = {}): BacktestResult {
  const fromBar = opts.fromBar ?? 0
  const toBar = opts.toBar ?? series.close.length
  checkRange(series, signals, fromBar, toBar)
  const p = compileExecConfig(cfg, opts.rules ?? UPBIT_KRW_RULES)
  const st = new KernelState()
  const rec = new TradeRecorder(series.time)
  st.reset(p.initialCash, rec)
  const acc = new MetricsAccumulator()
  const equity = new Float64Array(toBar - fromBar)
  simulate(series, signals, p, fromBar, toBar, st, acc, equity)
  const row = new Float64Array(METRIC_COUNT)
  const lastClose = series.close[toBar - 1]!
  acc.finish(st, series.close[fromBar]!, lastClose, row, 0)
  const trades = st.qty > 0 ? [...rec.trades, rec.openTrade(st, lastClose)] : rec.trades
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
  return {
    engineVersion: ENGINE_VERSION,
    config: cfg,
    fromBar,
    toBar,
    trades,
    equity,
    metrics: metricsFromRow(row),
    rejections,
    rejected: rec.rejected,
    expiredOrders: st.expiredOrders,
    pendingAtEnd,
  }
}
