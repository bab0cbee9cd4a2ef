// The look-ahead check (design §6 "bias"): a signal rule may use bars 0..t only for signals[t].
// Test: run the rule on the series cut after bar t (a copy: nothing past the cut is reachable)
// and compare every signal with the full run's signals[0..t], at many t. A rule that peeks at
// later bars changes some earlier signal when those bars are removed. Pure and deterministic:
// cut points come from a seed (shared/random.ts) or are given, so a report can be reproduced.
// Used by the strategy test suite for every registered strategy and by the lab's backtest cell
// for the strategy and params on screen; written for any `series → signals` function, so a
// user-written strategy can be checked the same way.
import type { CandleSeries } from '../../candles/types.ts'
import { createRng } from '../../random.ts'
import { err, ok, type Result } from '../../result.ts'
import type { Params, StrategyDef } from '../types.ts'

/** A rule under test: series in, one signal per bar out. */
export type SignalFn = (series: CandleSeries) => ArrayLike<number>

export interface LookaheadOptions {
  /** Cut points to use as given (bar indices; out-of-range ones are dropped). */
  readonly cuts?: readonly number[]
  /** Otherwise: how many cut points to draw (default 20). */
  readonly count?: number
  /** Seed of the drawn cut points (default 1). */
  readonly seed?: number
  /** The rule's warm-up: cut points right around it are always included (default 0). */
  readonly warmup?: number
  /**
   * Work limit: bars the cut runs may read in total, as a multiple of the series length
   * (default 12; the full run is extra). Cut points past the limit are not checked, and the
   * report says how many were.
   */
  readonly maxWorkFactor?: number
}

export interface LookaheadPass {
  /** Cut points checked (ascending bar indices). */
  readonly cuts: readonly number[]
  /** Cut points that were planned but skipped for the work limit. */
  readonly skipped: number
  /** Bars read by the cut runs. */
  readonly barsRead: number
}

export interface LookaheadFound {
  readonly kind: 'lookahead'
  /** The cut point whose run disagreed: bars after it were removed. */
  readonly cutAt: number
  /** First bar whose signal differs (≤ cutAt). */
  readonly bar: number
  /** Open time of that bar, epoch ms UTC (NaN when the cut run was of the wrong length). */
  readonly barTimeMs: number
  /** Its signal in the full run. */
  readonly fullValue: number
  /** Its signal in the cut run (NaN when the cut run had the wrong length). */
  readonly cutValue: number
  /** Cut points checked before this one, all equal. */
  readonly passedCuts: number
}

export type LookaheadReport = Result<LookaheadPass, LookaheadFound>

export const DEFAULT_CUT_COUNT = 20
const DEFAULT_WORK_FACTOR = 12

/** A copy (not a view) of bars [0, end): a rule run on it cannot reach a later bar. */
export function cutSeries(s: CandleSeries, end: number): CandleSeries {
  return {
    time: s.time.slice(0, end),
    open: s.open.slice(0, end),
    high: s.high.slice(0, end),
    low: s.low.slice(0, end),
    close: s.close.slice(0, end),
    volume: s.volume.slice(0, end),
  }
}

/**
 * `count` distinct cut points in [0, n), ascending: the first bars, the bars around the warm-up
 * (where most rules switch on), the second-to-last bar (does anything read the last?), and one
 * seeded point in each of the remaining equal strata, so the whole series is covered.
 */
export function lookaheadCuts(n: number, count: number, seed: number, warmup = 0): number[] {
  if (n <= 0 || count <= 0) return []
  const set = new Set<number>()
  const add = (t: number): void => {
    if (t >= 0 && t < n && set.size < count) set.add(t)
  }
  for (const t of [0, 1, n - 2, warmup - 1, warmup, warmup + 1, 2]) add(t)
  const rest = Math.min(n, count) - set.size
  const rng = createRng(seed)
  for (let k = 0; k < rest; k++) {
    const lo = Math.floor((k * n) / rest)
    const hi = Math.max(lo + 1, Math.floor(((k + 1) * n) / rest))
    add(lo + rng.int(hi - lo))
  }
  // Strata can collide with the fixed points; fill up from the seed.
  for (let guard = 0; set.size < Math.min(n, count) && guard < 16 * n; guard++) add(rng.int(n))
  return [...set].sort((a, b) => a - b)
}

/** The cut points the options ask for. */
export function planCuts(n: number, opts: LookaheadOptions = {}): number[] {
  if (opts.cuts !== undefined) return [...new Set(opts.cuts.filter((t) => Number.isInteger(t) && t >= 0 && t < n))].sort((a, b) => a - b)
  return lookaheadCuts(n, opts.count ?? DEFAULT_CUT_COUNT, opts.seed ?? 1, opts.warmup ?? 0)
}

/** One cut point: null when the cut run agrees with `full` on every bar ≤ t, else the first difference. */
export function checkCut(
  run: SignalFn,
  series: CandleSeries,
  full: ArrayLike<number>,
  t: number,
): Omit<LookaheadFound, 'kind' | 'passedCuts'> | null {
  const cut = run(cutSeries(series, t + 1))
  if (cut.length !== t + 1) return { cutAt: t, bar: t, barTimeMs: Number.NaN, fullValue: full[t]!, cutValue: Number.NaN }
  for (let i = 0; i <= t; i++) {
    if (cut[i] !== full[i]) return { cutAt: t, bar: i, barTimeMs: series.time[i]!, fullValue: full[i]!, cutValue: cut[i]! }
  }
  return null
}

/**
 * The check one cut point at a time: each step runs one cut and yields the cut point it checked,
 * the return value is the report. A caller can pause between steps (the lab's worker does, so a
 * newer request is not kept waiting) or drain it (checkLookahead). Cut points run in ascending
 * order until a difference is found or the work limit is reached.
 */
export function* lookaheadSteps(
  run: SignalFn,
  series: CandleSeries,
  opts: LookaheadOptions = {},
  /** The full run's signals when the caller already has them. */
  full: ArrayLike<number> = run(series),
): Generator<number, LookaheadReport, void> {
  const n = series.time.length
  const cuts = planCuts(n, opts)
  const budget = (opts.maxWorkFactor ?? DEFAULT_WORK_FACTOR) * n
  const checked: number[] = []
  let barsRead = 0
  for (const t of cuts) {
    if (barsRead + t + 1 > budget) break
    barsRead += t + 1
    const found = checkCut(run, series, full, t)
    if (found !== null) return err({ kind: 'lookahead', ...found, passedCuts: checked.length })
    checked.push(t)
    yield t
  }
  return ok({ cuts: checked, skipped: cuts.length - checked.length, barsRead })
}

/** Runs the whole check at once: the full run, then the cut runs. */
export function checkLookahead(run: SignalFn, series: CandleSeries, opts: LookaheadOptions = {}): LookaheadReport {
  const steps = lookaheadSteps(run, series, opts)
  for (;;) {
    const s = steps.next()
    if (s.done === true) return s.value
  }
}

/** The check for a registered strategy with given params (cut points around its warm-up). */
export function checkStrategyLookahead(
  def: StrategyDef,
  series: CandleSeries,
  params: Params,
  opts: LookaheadOptions = {},
): LookaheadReport {
  return checkLookahead((s) => def.signals(s, params), series, { warmup: def.warmup(params), ...opts })
}
