// Streaming computation of the §7.4 metrics: fed one marked-to-market equity per bar, it keeps
// daily returns (UTC days; days without bars carry equity forward; the first return is measured
// from the initial cash) and the drawdown in a few numbers, so backtests and optimizer sweeps
// compute metrics without storing curves.
import { DAY_MS } from '../candles/types.ts'
import { METRIC_INDEX } from './types.ts'

const SQRT_365 = Math.sqrt(365)
const YEAR_MS = 365 * DAY_MS
const DD_SLACK = 1 + 1e-12

/** Trade statistics the kernel accumulates (a KernelState satisfies this). */
export interface TradeStats {
  readonly closedTrades: number
  readonly wins: number
  readonly grossProfit: number
  readonly grossLoss: number
  readonly sumReturns: number
  readonly feesPaid: number
  readonly barsInPosition: number
}

export class MetricsAccumulator {
  private initialCash = 0
  private bars = 0
  private firstTimeMs = 0
  private lastTimeMs = 0
  private nextDayStartMs = 0
  private prevDayEquity = 0
  private lastEquity = 0
  private peak = 0
  private maxDrawdown = 0
  private ddFloor = 0
  // Welford running mean / squared deviations of daily returns, and the downside sum of squares.
  private days = 0
  private mean = 0
  private m2 = 0
  private downSq = 0

  reset(initialCash: number): void {
    this.initialCash = initialCash
    this.bars = 0
    this.prevDayEquity = initialCash
    this.lastEquity = initialCash
    this.nextDayStartMs = -Infinity
    this.peak = 0
    this.maxDrawdown = 0
    this.days = 0
    this.mean = 0
    this.m2 = 0
    this.downSq = 0
  }

  private pushDay(r: number): void {
    const n = ++this.days
    const d = r - this.mean
    this.mean += d / n
    this.m2 += d * (r - this.mean)
    if (r < 0) this.downSq += r * r
  }

  /**
   * One bar's equity at its close; timeMs is the bar's open time. Kept tiny so the engine inlines
   * it into the backtest loop; first bars and day ends go to separate methods.
   */
  bar(timeMs: number, equity: number): void {
    if (timeMs >= this.nextDayStartMs) this.newDay(timeMs)
    this.bars++
    this.lastTimeMs = timeMs
    this.lastEquity = equity
    if (equity > this.peak) {
      this.peak = equity
      this.ddFloor = equity * (1 + this.maxDrawdown) * DD_SLACK
    } else if (equity < this.ddFloor) {
      this.drawdown(equity)
    }
  }

  /** Same as bar(time[k], equity) for every k in [from, to), with work per day, not per bar. */
  flatRun(time: Float64Array, from: number, to: number, equity: number): void {
    let k = from
    while (k < to) {
      const t = time[k]!
      if (t >= this.nextDayStartMs) this.newDay(t)
      const dayEnd = this.nextDayStartMs
      let m = k + 1
      while (m < to && time[m]! < dayEnd) m++
      this.bars += m - k
      this.lastTimeMs = time[m - 1]!
      this.lastEquity = equity
      k = m
    }
    // Constant equity: one drawdown update covers the whole run.
    if (equity > this.peak) {
      this.peak = equity
      this.ddFloor = equity * (1 + this.maxDrawdown) * DD_SLACK
    } else if (equity < this.ddFloor) {
      this.drawdown(equity)
    }
  }

  /** Only bars that may set a new maximum drawdown get here; the floor sits a hair above
   *  peak × (1 + maxDrawdown), so this exact test decides every close call. */
  private drawdown(equity: number): void {
    const dd = equity / this.peak - 1
    if (dd < this.maxDrawdown) {
      this.maxDrawdown = dd
      this.ddFloor = this.peak * (1 + dd) * DD_SLACK
    }
  }

  private newDay(timeMs: number): void {
    if (this.bars === 0) {
      this.firstTimeMs = timeMs
      this.peak = this.lastEquity
      this.ddFloor = this.peak * DD_SLACK
    } else {
      this.closeDay()
      // Whole UTC days without a bar: equity carried forward, a zero return each.
      const skipped = Math.floor((timeMs - this.nextDayStartMs) / DAY_MS)
      for (let k = 0; k < skipped; k++) this.pushDay(0)
    }
    this.nextDayStartMs = (Math.floor(timeMs / DAY_MS) + 1) * DAY_MS
  }

  private closeDay(): void {
    this.pushDay(this.lastEquity / this.prevDayEquity - 1)
    this.prevDayEquity = this.lastEquity
  }

  /**
   * Writes the 13 metrics in METRIC_NAMES order at out[offset…]. firstClose/lastClose are the
   * closes of the first and last bar (buy-and-hold). Ratios with a zero denominator stay
   * Infinity or NaN, as the contract says.
   */
  finish(stats: TradeStats, firstClose: number, lastClose: number, out: Float64Array, offset: number): void {
    const bars = this.bars
    let sharpe = NaN
    let sortino = NaN
    if (bars > 0) {
      this.closeDay()
      // A second finish() must not count the last day twice.
      this.nextDayStartMs = Infinity
    }
    const n = this.days
    if (n > 0) {
      const std = Math.sqrt(this.m2 / (n - 1))
      sharpe = (this.mean / std) * SQRT_365
      sortino = (this.mean / Math.sqrt(this.downSq / n)) * SQRT_365
    }
    const totalReturn = bars > 0 ? this.lastEquity / this.initialCash - 1 : 0
    const years = (this.lastTimeMs - this.firstTimeMs) / YEAR_MS
    const cagr = bars > 0 ? Math.pow(this.lastEquity / this.initialCash, 1 / years) - 1 : NaN
    const closed = stats.closedTrades
    out[offset + METRIC_INDEX.totalReturn] = totalReturn
    out[offset + METRIC_INDEX.cagr] = cagr
    out[offset + METRIC_INDEX.sharpe] = sharpe
    out[offset + METRIC_INDEX.sortino] = sortino
    out[offset + METRIC_INDEX.calmar] = cagr / Math.abs(this.maxDrawdown)
    out[offset + METRIC_INDEX.maxDrawdown] = this.maxDrawdown
    out[offset + METRIC_INDEX.winRate] = stats.wins / closed
    out[offset + METRIC_INDEX.profitFactor] = stats.grossProfit / stats.grossLoss
    out[offset + METRIC_INDEX.expectancy] = stats.sumReturns / closed
    out[offset + METRIC_INDEX.trades] = closed
    out[offset + METRIC_INDEX.exposure] = bars > 0 ? stats.barsInPosition / bars : NaN
    out[offset + METRIC_INDEX.feesPaid] = stats.feesPaid
    out[offset + METRIC_INDEX.buyHoldReturn] = bars > 0 ? lastClose / firstClose - 1 : NaN
  }
}
