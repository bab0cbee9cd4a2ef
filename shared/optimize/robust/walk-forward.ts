// Out-of-sample holdout and walk-forward analysis.
// Each window optimizes on its train bars [trainFrom, trainTo) (a sweep whose trading window is
// exactly that; earlier bars are warm-up only, later bars are never read because signals are
// look-ahead free and the backtest stops at trainTo), picks the best combo by the spec's
// objective and constraints, then runs that combo on the following test bars [testFrom, testTo).
// Test windows are contiguous and never overlap; train and test never overlap.
// The train sweeps can run anywhere (runWindows: one thread here; runWindowsWith: any async sweep,
// e.g. the CLI's worker pool); choosing and stitching are the same code either way.
// Stitching: each test window starts flat with the previous test window's final equity as its
// cash (compounded, run by the real kernel rather than scaled), and the out-of-sample metrics are
// computed from the concatenated equity with the §7.4 accumulator.
import type { CandleSeries } from '../../candles/types.ts'
import { runBacktest } from '../../backtest/run.ts'
import type { Trade } from '../../engine/types.ts'
import { MetricsAccumulator } from '../../metrics/accumulator.ts'
import type { TradeStats } from '../../metrics/accumulator.ts'
import { METRIC_COUNT, metricsFromRow } from '../../metrics/types.ts'
import type { Metrics } from '../../metrics/types.ts'
import { comboAt } from '../combo.ts'
import type { Combo } from '../combo.ts'
import { bestCombos } from '../objective.ts'
import { runSweep } from '../sweep.ts'
import type { RunnerOptions } from '../runner.ts'
import type { SweepPlan, SweepSpec } from '../validate.ts'

export interface WindowBounds {
  readonly trainFrom: number
  readonly trainTo: number
  readonly testFrom: number
  readonly testTo: number
}

export interface WalkForwardOptions {
  readonly trainBars: number
  readonly testBars: number
  /** Bars between the starts of consecutive test windows (default testBars; ≥ testBars, so test
   *  windows never overlap; larger leaves untraded gaps between them). */
  readonly stepBars?: number
  /** Anchored: every train window starts at firstBar (growing); rolling (default): fixed length. */
  readonly anchored?: boolean
  /** First bar of the first train window (default 0; earlier bars are warm-up). */
  readonly firstBar?: number
  /** End of the data used (default series length). A last partial test window is dropped. */
  readonly lastBar?: number
}

/** Train/test windows: test windows start at firstBar + trainBars and every stepBars after, within lastBar. */
export function walkForwardWindows(totalBars: number, o: WalkForwardOptions): WindowBounds[] {
  const first = o.firstBar ?? 0
  const last = o.lastBar ?? totalBars
  const step = o.stepBars ?? o.testBars
  if (!(Number.isInteger(o.trainBars) && o.trainBars >= 2)) throw new RangeError(`trainBars must be an integer ≥ 2, got ${o.trainBars}`)
  if (!(Number.isInteger(o.testBars) && o.testBars >= 1)) throw new RangeError(`testBars must be an integer ≥ 1, got ${o.testBars}`)
  if (!(Number.isInteger(step) && step >= o.testBars))
    throw new RangeError(`stepBars must be an integer ≥ testBars (${o.testBars}), got ${step}`)
  const out: WindowBounds[] = []
  for (let testFrom = first + o.trainBars; testFrom + o.testBars <= last; testFrom += step) {
    out.push({ trainFrom: o.anchored ? first : testFrom - o.trainBars, trainTo: testFrom, testFrom, testTo: testFrom + o.testBars })
  }
  return out
}

/** One split: train on the first (1 − testFraction) of [firstBar, lastBar), test on the rest. */
export function holdoutWindow(totalBars: number, testFraction: number, firstBar = 0, lastBar = totalBars): WindowBounds {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`)
  const split = firstBar + Math.round((lastBar - firstBar) * (1 - testFraction))
  if (split - firstBar < 2 || lastBar - split < 1) throw new RangeError('holdout windows are empty')
  return { trainFrom: firstBar, trainTo: split, testFrom: split, testTo: lastBar }
}

export interface WindowResult {
  readonly bounds: WindowBounds
  /** Best train combo, or null when no combo ranked (then the window stays in cash). */
  readonly chosen: Combo | null
  readonly trainScore: number
  /** Distinct backtests in the train sweep (trials for the deflated Sharpe). */
  readonly distinctTrials: number
  readonly testMetrics: Metrics | null
}

export interface WalkForwardResult {
  readonly windows: readonly WindowResult[]
  /** Out-of-sample equity over every test bar, in order (length = Σ test bars). */
  readonly equity: Float64Array
  readonly metrics: Metrics
}

function tradeStats(trades: readonly Trade[], barsInPosition: number): TradeStats {
  let closedTrades = 0,
    wins = 0,
    grossProfit = 0,
    grossLoss = 0,
    sumReturns = 0,
    feesPaid = 0
  for (const t of trades) {
    feesPaid += t.entryFeeQuote + t.exitFeeQuote
    if (t.exitReason === 'open') continue
    closedTrades++
    sumReturns += t.returnRate
    if (t.profitQuote > 0) {
      wins++
      grossProfit += t.profitQuote
    } else grossLoss -= t.profitQuote
  }
  return { closedTrades, wins, grossProfit, grossLoss, sumReturns, feesPaid, barsInPosition }
}

/** What a train sweep gives a window: its rows and its number of distinct backtests. */
export interface TrainSweep {
  readonly plan: SweepPlan
  readonly rows: Float64Array
  readonly distinctTrials: number
}

function checkWindows(windows: readonly WindowBounds[]): void {
  if (windows.length === 0) throw new RangeError('walk-forward needs at least one window')
  for (const w of windows) {
    if (!(w.trainFrom < w.trainTo && w.trainTo <= w.testFrom && w.testFrom < w.testTo))
      throw new RangeError(`bad window ${JSON.stringify(w)}`)
  }
  for (let i = 1; i < windows.length; i++) {
    if (windows[i]!.testFrom < windows[i - 1]!.testTo) throw new RangeError('test windows overlap')
  }
}

/** The train sweep of a window: the spec with its trading window set to the train bars. */
export function trainSpec(spec: SweepSpec, w: WindowBounds): SweepSpec {
  return { ...spec, fromBar: w.trainFrom, toBar: w.trainTo }
}

/** Chooses each window's combo from its train sweep and stitches the test windows. */
class Stitcher {
  private readonly series: CandleSeries
  private readonly windows: readonly WindowBounds[]
  private readonly equity: Float64Array
  private readonly acc = new MetricsAccumulator()
  private readonly allTrades: Trade[] = []
  private readonly results: WindowResult[] = []
  private barsInPosition = 0
  private cash: number
  private k = 0

  constructor(series: CandleSeries, spec: SweepSpec, windows: readonly WindowBounds[]) {
    checkWindows(windows)
    this.series = series
    this.windows = windows
    this.equity = new Float64Array(windows.reduce((a, w) => a + (w.testTo - w.testFrom), 0))
    this.acc.reset(spec.exec.initialCash)
    this.cash = spec.exec.initialCash
  }

  add(w: WindowBounds, sweep: TrainSweep): void {
    const { series, equity, acc } = this
    const best = bestCombos(sweep.rows, sweep.plan.comboCount, 1, {
      objective: sweep.plan.objective,
      constraints: sweep.plan.constraints,
    })[0]
    let chosen: Combo | null = null
    let testMetrics: Metrics | null = null
    if (best === undefined) {
      for (let i = w.testFrom; i < w.testTo; i++, this.k++) {
        equity[this.k] = this.cash
        acc.bar(series.time[i]!, this.cash)
      }
    } else {
      chosen = comboAt(sweep.plan, best.combo)
      // Signals over the whole series are look-ahead free; the backtest trades only the test bars.
      const signals = sweep.plan.strategy.signals(series, chosen.params)
      const bt = runBacktest(series, signals, { ...chosen.exec, initialCash: this.cash }, { fromBar: w.testFrom, toBar: w.testTo })
      for (let i = 0; i < bt.equity.length; i++, this.k++) {
        equity[this.k] = bt.equity[i]!
        acc.bar(series.time[w.testFrom + i]!, bt.equity[i]!)
      }
      this.allTrades.push(...bt.trades)
      this.barsInPosition += Math.round(bt.metrics.exposure * bt.equity.length)
      testMetrics = bt.metrics
    }
    this.cash = equity[this.k - 1]!
    this.results.push({ bounds: w, chosen, trainScore: best?.score ?? NaN, distinctTrials: sweep.distinctTrials, testMetrics })
  }

  finish(): WalkForwardResult {
    const row = new Float64Array(METRIC_COUNT)
    const firstBar = this.windows[0]!.testFrom
    const lastBar = this.windows[this.windows.length - 1]!.testTo - 1
    this.acc.finish(tradeStats(this.allTrades, this.barsInPosition), this.series.close[firstBar]!, this.series.close[lastBar]!, row, 0)
    return { windows: this.results, equity: this.equity, metrics: metricsFromRow(row) }
  }
}

/** Runs the windows on this thread; `spec.fromBar/toBar` are replaced by each window's bounds. */
export function runWindows(
  series: CandleSeries,
  spec: SweepSpec,
  windows: readonly WindowBounds[],
  opts: RunnerOptions = {},
): WalkForwardResult {
  const st = new Stitcher(series, spec, windows)
  for (const w of windows) {
    const sweep = runSweep(series, trainSpec(spec, w), opts)
    st.add(w, { plan: sweep.plan, rows: sweep.rows, distinctTrials: sweep.stats.simulated })
  }
  return st.finish()
}

/** runWindows with the train sweeps run by `sweep` (one at a time, in window order). */
export async function runWindowsWith(
  series: CandleSeries,
  spec: SweepSpec,
  windows: readonly WindowBounds[],
  sweep: (trainSpec: SweepSpec) => Promise<TrainSweep>,
): Promise<WalkForwardResult> {
  const st = new Stitcher(series, spec, windows)
  for (const w of windows) st.add(w, await sweep(trainSpec(spec, w)))
  return st.finish()
}

export function walkForward(series: CandleSeries, spec: SweepSpec, o: WalkForwardOptions, opts: RunnerOptions = {}): WalkForwardResult {
  return runWindows(series, spec, walkForwardWindows(series.close.length, o), opts)
}

export function holdout(series: CandleSeries, spec: SweepSpec, testFraction: number, opts: RunnerOptions = {}): WalkForwardResult {
  return runWindows(
    series,
    spec,
    [holdoutWindow(series.close.length, testFraction, spec.fromBar ?? 0, spec.toBar ?? series.close.length)],
    opts,
  )
}
