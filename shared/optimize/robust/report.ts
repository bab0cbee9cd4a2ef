// The robustness report of a finished sweep: for the best combo (the sweep's objective and
// constraints) the deflated Sharpe ratio, the probability of backtest overfitting (CSCV over
// per-day return columns of the distinct simulations) and the plateau / fragility beside the peak.
//
// Trials are DISTINCT simulations (SimPlan.simCount): combos whose decision sequences and exec
// params are identical are one backtest with one return series, so counting them again would
// deflate for tests never run. Sharpe ratios are per day here (annualised / √365, the accumulator's
// convention) so they match T = the number of daily returns.
//
// PBO needs each candidate's daily returns reduced to per-block sums (pbo.ts, CscvMatrix).
// Candidates are the distinct simulations that rank (non-NaN objective, constraints met on the
// full window, the set the sweep chose from), and the CSCV is exact over all of them. Only above
// maxColumns (default 100,000) is a seeded uniform sample of maxColumns candidates taken: chosen
// without looking at any return, so it does not favour columns that did well in the halves CSCV
// holds out (a sample picked by a full-window score would); see README.
// Where the block sums come from: a pool sweep asked for them (SweepArgs.blockSums) has its
// workers reduce each simulation's daily returns while they run it (SimBlockStats, ~400 bytes per
// simulation); columns without them (a resumed sweep's simulations, or no block sums at all) are
// re-run with the accumulator's daily-return hook. Both give the same numbers (one reduction,
// pbo.ts blockStatsInto), so the report is the same bit for bit; robustnessReport without block
// sums is the plain re-run path the tests compare against.
//
// The report is cut in steps so the pool can run the expensive ones on its workers
// (coordinator/robustness.ts): planReport (rows and the simulation plan only: best combo, trial
// spread, candidate columns, plateau), then the best combo's daily returns (one backtest) and the
// CSCV, then finishReport.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../metrics/types.ts'
import { bestCombos, rankRows } from '../objective.ts'
import { planSims } from '../planned-sweep.ts'
import { createSweepRunner } from '../runner.ts'
import type { RunnerOptions, SweepRunner } from '../runner.ts'
import type { SweepPlan, SweepSpec } from '../validate.ts'
import type { SimPlan } from '../sim-plan.ts'
import { createRng } from '../../random.ts'
import { probabilisticSharpe, deflatedSharpe } from './dsr.ts'
import { moments } from './normal.ts'
import { blocksFor, CscvMatrix, cscvPbo, isBadColumn, MAX_PBO_BLOCKS, PBO_STATS } from './pbo.ts'
import type { PboResult } from './pbo.ts'
import { plateauOf } from './plateau.ts'
import type { Plateau } from './plateau.ts'

const SQRT_365 = Math.sqrt(365)

export interface RobustnessOptions {
  /** CSCV blocks S (even, ≤ 20, default 16); lowered to fit when the window has fewer than 2·S days. */
  readonly pboBlocks?: number
  /**
   * Most return columns in the CSCV matrix (default 100,000). Up to it PBO is exact over every
   * candidate; above it, over a seeded uniform sample of this many (README "PBO").
   */
  readonly maxColumns?: number
  /** Seed of that sample (default 1). */
  readonly sampleSeed?: number
}

export interface DsrReport {
  /** Distinct simulations N (= simCount). */
  readonly trials: number
  /** Per-day Sharpe of the best combo (mean / sd of its daily returns). */
  readonly sharpe: number
  /** The same, annualised (× √365), as in the metrics. */
  readonly sharpeAnnual: number
  /** Daily returns T. */
  readonly observations: number
  readonly skew: number
  /** Non-excess kurtosis (normal = 3). */
  readonly kurtosis: number
  /** Variance of the per-day Sharpe ratios of the distinct trials (finite ones). */
  readonly sharpeVariance: number
  /** SR₀: the expected maximum per-day Sharpe of N unskilled trials. */
  readonly expectedMaxSharpe: number
  /** P(true Sharpe > 0). */
  readonly psr: number
  /** P(true Sharpe > SR₀): the deflated Sharpe ratio. */
  readonly dsr: number
}

export interface PboLogitSummary {
  readonly mean: number
  readonly p10: number
  readonly median: number
  readonly p90: number
  readonly min: number
  readonly max: number
}

export interface PboReport {
  /** NaN when it cannot be computed (see note). */
  readonly pbo: number
  readonly blocks: number
  readonly splits: number
  /** Return columns in the CSCV matrix (= candidates unless sampled, see note). */
  readonly columns: number
  /** Distinct simulations that rank (before the column cap). */
  readonly candidates: number
  readonly days: number
  readonly logits: PboLogitSummary
  readonly note?: string
}

export interface RobustnessReport {
  readonly objective: string
  /** The best combo, or null when nothing ranks (then every figure is NaN). */
  readonly best: { readonly combo: number; readonly sim: number; readonly score: number } | null
  readonly comboCount: number
  readonly simCount: number
  readonly dsr: DsrReport
  readonly pbo: PboReport
  readonly plateau: Plateau
  readonly note?: string
}

const NAN_LOGITS: PboLogitSummary = { mean: NaN, p10: NaN, median: NaN, p90: NaN, min: NaN, max: NaN }

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN
  const pos = q * (sorted.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export function summarizeLogits(logits: Float64Array): PboLogitSummary {
  if (logits.length === 0) return NAN_LOGITS
  const s = Float64Array.from(logits).sort()
  let sum = 0
  for (const x of s) sum += x
  return { mean: sum / s.length, p10: quantile(s, 0.1), median: quantile(s, 0.5), p90: quantile(s, 0.9), min: s[0]!, max: s[s.length - 1]! }
}

/**
 * Column choice for the CSCV matrix: every index in [0, count) when count ≤ maxColumns, else a
 * uniform sample of maxColumns of them without replacement (partial Fisher–Yates on the seeded
 * generator), ascending. The choice never looks at the columns' values.
 */
export function sampleColumns(count: number, maxColumns: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: count }, (_, i) => i)
  if (count <= maxColumns) return all
  const rng = createRng(seed)
  for (let i = 0; i < maxColumns; i++) {
    const r = i + rng.int(count - i)
    const t = all[i]!
    all[i] = all[r]!
    all[r] = t
  }
  return all.slice(0, maxColumns).sort()
}

/** Candidates re-run at once for their daily returns (chunk × days doubles). */
const DAILY_CHUNK = 1024

/**
 * Per-simulation CSCV input made during a sweep (SweepArgs.blockSums): each simulation's daily
 * returns reduced to `blocks` blocks (pbo.ts columnStatsInto).
 */
export interface SimBlockStats {
  /** CSCV blocks S (the requested S lowered to fit the days, as the report lowers it). */
  readonly blocks: number
  /** Daily returns T of every simulation. */
  readonly days: number
  /** simCount × blocks × PBO_STATS; an unusable column (a non-finite return) has NaN first. */
  readonly stats: Float64Array
  /** Per simulation: 1 when its numbers are in `stats` (0: not run by this sweep, e.g. resumed). */
  readonly known: Uint8Array
}

function nanDsr(trials: number): DsrReport {
  return {
    trials,
    sharpe: NaN,
    sharpeAnnual: NaN,
    observations: 0,
    skew: NaN,
    kurtosis: NaN,
    sharpeVariance: NaN,
    expectedMaxSharpe: NaN,
    psr: NaN,
    dsr: NaN,
  }
}

function nanPbo(note: string, candidates: number, days: number): PboReport {
  return { pbo: NaN, blocks: 0, splits: 0, columns: 0, candidates, days, logits: NAN_LOGITS, note }
}

/** The part of a report that needs no backtest (planReport), and what the rest needs. */
export interface ReportPlan {
  /** The whole report when nothing ranks (no backtest needed). */
  readonly done?: RobustnessReport
  readonly objective: string
  readonly comboCount: number
  readonly simCount: number
  readonly days: number
  readonly best: { readonly combo: number; readonly sim: number; readonly score: number } | null
  /** The combo to re-run for the best's daily returns (its simulation's representative). */
  readonly bestRep: number
  /** The best combo's trades in the rows (the re-run must give the same). */
  readonly bestTrades: number
  readonly sharpeVariance: number
  /** Distinct simulations that rank. */
  readonly candidates: number
  /** CSCV blocks S (0 when PBO is not computed). */
  readonly blocks: number
  readonly requestedBlocks: number
  readonly sampleSeed: number
  /** Simulation of each CSCV column, ascending; empty when PBO is not computed (then `pbo` is set). */
  readonly columns: Int32Array
  readonly pbo?: PboReport
  readonly plateau: Plateau
}

/**
 * Everything the report needs that comes from the rows and the simulation plan alone. `days` is
 * the number of daily returns of the sweep's trading window (runner.dayCount, dayCountOf).
 */
export function planReport(plan: SweepPlan, sims: SimPlan, rows: Float64Array, days: number, opts: RobustnessOptions = {}): ReportPlan {
  const requestedBlocks = opts.pboBlocks ?? 16
  if (!(Number.isInteger(requestedBlocks) && requestedBlocks >= 2 && requestedBlocks % 2 === 0 && requestedBlocks <= MAX_PBO_BLOCKS))
    throw new RangeError(`pboBlocks must be an even integer in [2, ${MAX_PBO_BLOCKS}], got ${requestedBlocks}`)
  const maxColumns = opts.maxColumns ?? 100_000
  if (!(Number.isInteger(maxColumns) && maxColumns >= 2)) throw new RangeError(`maxColumns must be an integer ≥ 2, got ${maxColumns}`)
  const sampleSeed = opts.sampleSeed ?? 1
  if (sims.comboCount !== plan.comboCount || rows.length !== plan.comboCount * METRIC_COUNT)
    throw new RangeError('robustness report: rows and simulation plan do not match the sweep')
  const objective = plan.objective
  const rank = { objective, constraints: plan.constraints }
  const trials = sims.simCount

  // One row per distinct simulation (its representative's).
  const simRows = new Float64Array(trials * METRIC_COUNT)
  for (let s = 0; s < trials; s++)
    simRows.set(rows.subarray(sims.repOf[s]! * METRIC_COUNT, (sims.repOf[s]! + 1) * METRIC_COUNT), s * METRIC_COUNT)

  const common = { objective, comboCount: plan.comboCount, simCount: trials, days, requestedBlocks, sampleSeed }
  const top = bestCombos(rows, plan.comboCount, 1, rank)[0]
  if (top === undefined) {
    const plateau = { peak: NaN, plateau: NaN, fragility: NaN, neighbours: 0 }
    const done: RobustnessReport = {
      objective,
      best: null,
      comboCount: plan.comboCount,
      simCount: trials,
      dsr: nanDsr(trials),
      pbo: nanPbo('no combo ranks', 0, days),
      plateau,
      note: 'no combo ranks: every score is NaN or fails a constraint',
    }
    return {
      ...common,
      done,
      best: null,
      bestRep: -1,
      bestTrades: NaN,
      sharpeVariance: NaN,
      candidates: 0,
      blocks: 0,
      columns: new Int32Array(0),
      plateau,
    }
  }
  const bestSim = sims.simOf[top.combo]!

  // The trials' Sharpe spread (per day).
  let n = 0,
    mean = 0,
    m2 = 0
  for (let s = 0; s < trials; s++) {
    const sr = simRows[s * METRIC_COUNT + METRIC_INDEX.sharpe]! / SQRT_365
    if (!Number.isFinite(sr)) continue
    n++
    const d = sr - mean
    mean += d / n
    m2 += d * (sr - mean)
  }
  const sharpeVariance = n >= 2 ? m2 / (n - 1) : trials === 1 ? 0 : NaN

  // PBO over the ranked distinct simulations: all of them up to maxColumns.
  const ranked = rankRows(simRows, trials, rank)
  const blocks = blocksFor(days, requestedBlocks)
  let pbo: PboReport | undefined
  let columns = new Int32Array(0)
  if (ranked.length < 2) pbo = nanPbo('fewer than 2 distinct simulations rank', ranked.length, days)
  else if (blocks < 4) pbo = nanPbo(`${days} days are too few for CSCV (needs ≥ 8: 4 blocks of 2 days)`, ranked.length, days)
  // Columns in simulation order (grouped by strategy point: one signal materialisation each);
  // the order only decides exact ties (lowest column first).
  else columns = Int32Array.from(sampleColumns(ranked.length, maxColumns, sampleSeed), (i) => ranked[i]!).sort()

  return {
    ...common,
    best: { combo: top.combo, sim: bestSim, score: top.score },
    bestRep: sims.repOf[bestSim]!,
    bestTrades: rows[top.combo * METRIC_COUNT + METRIC_INDEX.trades]!,
    sharpeVariance,
    candidates: ranked.length,
    blocks: columns.length > 0 ? blocks : 0,
    columns,
    ...(pbo !== undefined ? { pbo } : {}),
    plateau: plateauOf(rows, plan.sizes, top.combo, objective),
  }
}

/** Throws unless the re-run of the best combo (its metrics row) gave the rows' trades. */
export function checkBestRerun(rp: ReportPlan, row: Float64Array): void {
  if (row[METRIC_INDEX.trades] !== rp.bestTrades) {
    throw new Error('robustness report: re-running the best combo gave other trades (rows from another series or spec?)')
  }
}

/** True when `b` holds block numbers for this report's CSCV (same S and T). */
export function blockStatsFit(rp: ReportPlan, b: SimBlockStats | undefined): b is SimBlockStats {
  return b !== undefined && rp.blocks >= 4 && b.blocks === rp.blocks && b.days === rp.days
}

/**
 * The CSCV matrix of the report's columns from per-simulation block numbers (`numbersOf(s)`: where
 * simulation s's blocks × PBO_STATS numbers are), or the first column (in column order) whose
 * returns are unusable.
 */
export function reportMatrix(
  rp: ReportPlan,
  numbersOf: (s: number) => { readonly stats: Float64Array; readonly off: number },
): { readonly matrix: CscvMatrix } | { readonly badSim: number } {
  const matrix = new CscvMatrix(rp.columns.length, rp.days, rp.blocks)
  for (let k = 0; k < rp.columns.length; k++) {
    const s = rp.columns[k]!
    const { stats, off } = numbersOf(s)
    if (isBadColumn(stats, off)) return { badSim: s }
    matrix.setColumnStats(k, stats, off)
  }
  return { matrix }
}

/** The report, from its plan, the best combo's daily returns and the CSCV's outcome. */
export function finishReport(
  rp: ReportPlan,
  bestDaily: Float64Array,
  pbo: PboResult | { readonly badSim: number } | undefined,
): RobustnessReport {
  if (rp.done !== undefined) return rp.done
  const days = rp.days
  const trials = rp.simCount
  const m = moments(bestDaily)
  const sharpe = m.mean / m.std
  const sharpeVariance = rp.sharpeVariance
  const d = deflatedSharpe({ sharpe, observations: days, skew: m.skew, kurtosis: m.kurtosis, trials, sharpeVariance })
  const dsr: DsrReport = {
    trials,
    sharpe,
    sharpeAnnual: sharpe * SQRT_365,
    observations: days,
    skew: m.skew,
    kurtosis: m.kurtosis,
    sharpeVariance,
    expectedMaxSharpe: d.expectedMaxSharpe,
    psr: probabilisticSharpe(sharpe, 0, days, m.skew, m.kurtosis),
    dsr: d.dsr,
  }
  let report: PboReport
  if (rp.pbo !== undefined) report = rp.pbo
  else if (pbo === undefined) throw new Error('robustness report: the CSCV was not computed')
  else if ('badSim' in pbo)
    report = nanPbo(`simulation ${pbo.badSim} has a daily return that is not finite (or beyond ±1e100)`, rp.candidates, days)
  else {
    const notes: string[] = []
    if (rp.blocks !== rp.requestedBlocks) notes.push(`${rp.blocks} blocks (${days} days are too few for ${rp.requestedBlocks})`)
    if (rp.columns.length < rp.candidates)
      notes.push(
        `${rp.columns.length} of ${rp.candidates} candidates: a uniform random sample (seed ${rp.sampleSeed}), so this is the PBO of a random sub-grid of that size`,
      )
    report = {
      pbo: pbo.pbo,
      blocks: rp.blocks,
      splits: pbo.splits,
      columns: rp.columns.length,
      candidates: rp.candidates,
      days,
      logits: summarizeLogits(pbo.logits),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    }
  }
  return {
    objective: rp.objective,
    best: rp.best,
    comboCount: rp.comboCount,
    simCount: trials,
    dsr,
    pbo: report,
    plateau: rp.plateau,
  }
}

/**
 * The report for a finished sweep, on this thread. `runner` must be built for the sweep's series
 * and spec (it re-runs the best combo, and the columns without block numbers), `sims` its
 * simulation plan, `rows` every combo's metrics, `blockSums` the sweep's per-simulation block
 * numbers if it kept them (without them every column is re-run: the plain path).
 */
export function robustnessReport(
  runner: SweepRunner,
  sims: SimPlan,
  rows: Float64Array,
  opts: RobustnessOptions = {},
  blockSums?: SimBlockStats,
): RobustnessReport {
  const rp = planReport(runner.plan, sims, rows, runner.dayCount, opts)
  if (rp.done !== undefined) return rp.done
  const days = rp.days

  // Deflated Sharpe: the best combo's own daily returns.
  const bestDaily = new Float64Array(days)
  const check = new Float64Array(METRIC_COUNT)
  runner.runSimsDaily([rp.bestRep], check, bestDaily)
  checkBestRerun(rp, check)
  if (rp.columns.length === 0) return finishReport(rp, bestDaily, undefined)

  const have = blockStatsFit(rp, blockSums) ? blockSums : undefined
  const width = rp.blocks * PBO_STATS
  const matrix = new CscvMatrix(rp.columns.length, days, rp.blocks)
  // The first unusable column in column order, whichever way its numbers came.
  let bad = Infinity
  // Columns with block numbers: copied.
  const rerun: number[] = []
  for (let k = 0; k < rp.columns.length; k++) {
    const s = rp.columns[k]!
    if (have === undefined || have.known[s] !== 1) rerun.push(k)
    else if (isBadColumn(have.stats, s * width)) bad = Math.min(bad, k)
    else matrix.setColumnStats(k, have.stats, s * width)
  }
  // The others: re-run with daily returns, in chunks, up to the first unusable one.
  const chunk = Math.min(DAILY_CHUNK, rerun.length)
  const daily = new Float64Array(chunk * days)
  const out = new Float64Array(chunk * METRIC_COUNT)
  for (let from = 0; from < rerun.length && rerun[from]! < bad; from += chunk) {
    const to = Math.min(rerun.length, from + chunk)
    runner.runSimsDaily(
      Int32Array.from(rerun.slice(from, to), (k) => sims.repOf[rp.columns[k]!]!),
      out,
      daily,
    )
    for (let i = from; i < to; i++) {
      const k = rerun[i]!
      if (k > bad) break
      const col = daily.subarray((i - from) * days, (i - from + 1) * days)
      if (col.every((x) => Math.abs(x) <= 1e100)) matrix.setColumn(k, col)
      else bad = Math.min(bad, k)
    }
  }
  return finishReport(rp, bestDaily, bad < Infinity ? { badSim: rp.columns[bad]! } : cscvPbo(matrix, 'sharpe'))
}

/**
 * One-thread convenience: the report for `rows` of `spec` on `series`, planning the simulations
 * here (class keys of every strategy point; what a pool's coordinator already has).
 */
export function sweepRobustness(
  series: CandleSeries,
  spec: SweepSpec,
  rows: Float64Array,
  opts: RobustnessOptions = {},
  runnerOpts: RunnerOptions = {},
): RobustnessReport {
  const runner = createSweepRunner(series, spec, runnerOpts)
  return robustnessReport(runner, planSims(runner), rows, opts)
}
