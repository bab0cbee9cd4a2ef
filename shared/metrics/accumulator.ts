// Streaming computation of the §7.4 metrics: fed one marked-to-market equity per bar, it keeps
// daily returns (UTC days; days without bars carry equity forward; the first return is measured
// from the initial cash) and the drawdown in a few numbers, so backtests and optimizer sweeps
// compute metrics without storing curves.
import { DAY_MS } from '../candles/types.ts'
import { BLOCK, BLOCK_SHIFT, type SeriesIndex } from '../candles/series-index.ts'
import { METRIC_INDEX } from './types.ts'

const SQRT_365 = Math.sqrt(365)
const YEAR_MS = 365 * DAY_MS
const DD_SLACK = 1 + 1e-12
/** Stretches shorter than this are cheaper bar by bar than through the block summaries. */
const SKIP_MIN_BARS = 2 * BLOCK

/**
 * out[0] = min, out[1] = max of close over [from, to) using whole-block summaries in the middle;
 * NaN in both when a NaN close is in range (so callers' skip tests fail and they go bar by bar).
 */
function rangeMinMax(close: Float64Array, idx: SeriesIndex, from: number, to: number, out: Float64Array): void {
  let mn = Infinity
  let mx = -Infinity
  let nan = false
  const firstFull = (from + BLOCK - 1) >> BLOCK_SHIFT
  const lastFull = to >> BLOCK_SHIFT // exclusive
  const headEnd = Math.min(to, firstFull << BLOCK_SHIFT)
  for (let k = from; k < headEnd; k++) {
    const c = close[k]!
    if (c < mn) mn = c
    if (c > mx) mx = c
    if (c !== c) nan = true
  }
  for (let b = firstFull; b < lastFull; b++) {
    const a = idx.closeMin[b]!
    const z = idx.closeMax[b]!
    if (a < mn) mn = a
    if (z > mx) mx = z
    if (a !== a || z !== z) nan = true
  }
  for (let k = Math.max(headEnd, lastFull << BLOCK_SHIFT); k < to; k++) {
    const c = close[k]!
    if (c < mn) mn = c
    if (c > mx) mx = c
    if (c !== c) nan = true
  }
  out[0] = nan ? NaN : mn
  out[1] = nan ? NaN : mx
}

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
  /**
   * When set, daily return k (k = 0 for the first UTC day) is also written to dailyOut[k] while
   * it fits (robustness statistics such as PBO need the per-day returns of each combo).
   */
  dailyOut: Float64Array | null = null
  /** Series summaries for skipping (set by the backtest loop; null = bar by bar). */
  index: SeriesIndex | null = null
  private readonly range = new Float64Array(2)
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

  /** Number of daily returns so far (after finish(): all of them). */
  get dayCount(): number {
    return this.days
  }

  private pushDay(r: number): void {
    const n = ++this.days
    const out = this.dailyOut
    if (out !== null && n <= out.length) out[n - 1] = r
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
    this.notePeak(equity)
  }

  /** Peak and drawdown bookkeeping for one equity value. */
  private notePeak(equity: number): void {
    if (equity > this.peak) {
      this.peak = equity
      this.ddFloor = equity * (1 + this.maxDrawdown) * DD_SLACK
    } else if (equity < this.ddFloor) {
      this.drawdown(equity)
    }
  }

  /**
   * Same as bar(time[k], equity) for every k in [from, to), with work per day, not per bar.
   * dayEnd[k] is the index just past the last bar of bar k's UTC day (see SeriesIndex).
   */
  flatRun(time: Float64Array, dayEnd: Int32Array, from: number, to: number, equity: number): void {
    let k = from
    while (k < to) {
      const t = time[k]!
      if (t >= this.nextDayStartMs) this.newDay(t)
      const end = dayEnd[k]!
      const m = end < to ? end : to
      this.bars += m - k
      this.lastTimeMs = time[m - 1]!
      this.lastEquity = equity
      k = m
    }
    // Constant equity: one drawdown update covers the whole run.
    this.notePeak(equity)
  }

  /**
   * Same as bar(time[k], cash + qty × close[k]) for every k in [from, to), also writing each
   * equity to equityOut[k − outOffset] when given. Without an equity curve and with a series index
   * set, whole days (else whole blocks) are passed where the index proves no bar can change the
   * drawdown.
   */
  markRun(
    time: Float64Array,
    close: Float64Array,
    cash: number,
    qty: number,
    from: number,
    to: number,
    equityOut: Float64Array | null,
    outOffset: number,
  ): void {
    if (from >= to) return
    if (equityOut === null && this.index !== null && to - from >= SKIP_MIN_BARS) this.markRunIndexed(time, close, cash, qty, from, to)
    else this.markBars(time, close, cash, qty, from, to, equityOut, outOffset)
  }

  /**
   * markRun without an equity curve, a UTC day at a time: when the lowest equity of the day's
   * stretch stays above every drawdown floor it could meet (floor ≤ highest peak × (1 + maxDD)),
   * no bar can change the maximum drawdown, and the only effect is the new peak — exactly what the
   * per-bar loop would leave (equity = cash + qty × close is monotone in close for qty > 0, so its
   * extremes are those of the closes). A day that fails the test is tried block by block (an
   * account near its lowest equity sets new drawdowns only here and there); blocks that fail too
   * run bar by bar.
   */
  private markRunIndexed(time: Float64Array, close: Float64Array, cash: number, qty: number, from: number, to: number): void {
    const idx = this.index!
    let k = from
    while (k < to) {
      const end = idx.dayEnd[k]!
      const segEnd = end < to ? end : to
      if (segEnd - k >= SKIP_MIN_BARS) {
        const t = time[k]!
        if (t >= this.nextDayStartMs) this.newDay(t)
        rangeMinMax(close, idx, k, segEnd, this.range)
        if (!this.passStretch(time, close, cash, qty, k, segEnd, this.range[0]!, this.range[1]!))
          this.markBlocks(time, close, cash, qty, k, segEnd)
      } else {
        this.markBars(time, close, cash, qty, k, segEnd, null, 0)
      }
      k = segEnd
    }
  }

  /**
   * Marks [from, to) (inside one UTC day, already started) as the per-bar loop would, when the
   * closes' extremes over it prove that no bar sets a new maximum drawdown; returns false (and
   * changes nothing) otherwise.
   */
  private passStretch(
    time: Float64Array,
    close: Float64Array,
    cash: number,
    qty: number,
    from: number,
    to: number,
    minClose: number,
    maxClose: number,
  ): boolean {
    const minEq = cash + qty * minClose
    const maxEq = cash + qty * maxClose
    const newPeak = maxEq > this.peak ? maxEq : this.peak
    if (!(minEq >= newPeak * (1 + this.maxDrawdown) * DD_SLACK)) return false
    if (maxEq > this.peak) {
      this.peak = maxEq
      this.ddFloor = maxEq * (1 + this.maxDrawdown) * DD_SLACK
    }
    this.bars += to - from
    this.lastTimeMs = time[to - 1]!
    this.lastEquity = cash + qty * close[to - 1]!
    return true
  }

  /** [from, to) inside one started UTC day: whole blocks through passStretch, the rest bar by bar. */
  private markBlocks(time: Float64Array, close: Float64Array, cash: number, qty: number, from: number, to: number): void {
    const idx = this.index!
    let k = from
    while (k < to) {
      const b = k >> BLOCK_SHIFT
      const blockEnd = (b + 1) << BLOCK_SHIFT
      if (
        (k & (BLOCK - 1)) === 0 &&
        blockEnd <= to &&
        this.passStretch(time, close, cash, qty, k, blockEnd, idx.closeMin[b]!, idx.closeMax[b]!)
      ) {
        k = blockEnd
        continue
      }
      const e = blockEnd < to ? blockEnd : to
      this.markBars(time, close, cash, qty, k, e, null, 0)
      k = e
    }
  }

  /** The per-bar form of markRun; the drawdown state lives in locals between day ends. */
  private markBars(
    time: Float64Array,
    close: Float64Array,
    cash: number,
    qty: number,
    from: number,
    to: number,
    equityOut: Float64Array | null,
    outOffset: number,
  ): void {
    let peak = this.peak
    let maxDrawdown = this.maxDrawdown
    let floor = this.ddFloor
    let nextDay = this.nextDayStartMs
    let lastEquity = this.lastEquity
    const barsBefore = this.bars
    for (let k = from; k < to; k++) {
      const t = time[k]!
      if (t >= nextDay) {
        // Hand the locals back for the day-end bookkeeping, then pick them up again.
        this.bars = barsBefore + (k - from)
        this.lastEquity = lastEquity
        this.peak = peak
        this.maxDrawdown = maxDrawdown
        this.ddFloor = floor
        this.newDay(t)
        peak = this.peak
        floor = this.ddFloor
        nextDay = this.nextDayStartMs
      }
      const eq = cash + qty * close[k]!
      if (eq > peak) {
        peak = eq
        floor = eq * (1 + maxDrawdown) * DD_SLACK
      } else if (eq < floor) {
        const dd = eq / peak - 1
        if (dd < maxDrawdown) {
          maxDrawdown = dd
          floor = peak * (1 + dd) * DD_SLACK
        }
      }
      lastEquity = eq
      if (equityOut !== null) equityOut[k - outOffset] = eq
    }
    this.bars = barsBefore + (to - from)
    this.lastTimeMs = time[to - 1]!
    this.lastEquity = lastEquity
    this.peak = peak
    this.maxDrawdown = maxDrawdown
    this.ddFloor = floor
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
