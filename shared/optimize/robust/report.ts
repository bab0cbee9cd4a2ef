// The robustness report of a finished sweep: for the best combo (the sweep's objective and
// constraints) the deflated Sharpe ratio, the probability of backtest overfitting (CSCV over
// per-day return columns of the distinct simulations) and the plateau / fragility beside the peak.
//
// Trials are DISTINCT simulations (SimPlan.simCount): combos whose decision sequences and exec
// params are identical are one backtest with one return series, so counting them again would
// deflate for tests never run. Sharpe ratios are per day here (annualised / √365, the accumulator's
// convention) so they match T = the number of daily returns.
//
// PBO needs each candidate's daily returns, which sweeps do not keep: the report re-runs the
// candidates with the accumulator's dailyOut hook (runner.runSimsDaily), in chunks, and keeps only
// each column's per-block sums (pbo.ts, CscvMatrix). Candidates are the distinct simulations that
// rank (non-NaN objective, constraints met on the full window, the set the sweep chose from), and
// the CSCV is exact over all of them. Only above maxColumns (default 100,000) is a seeded uniform
// sample of maxColumns candidates taken: chosen without looking at any return, so it does not
// favour columns that did well in the halves CSCV holds out (a sample picked by a full-window
// score would); see README.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../metrics/types.ts'
import { bestCombos, rankRows } from '../objective.ts'
import { planSims } from '../planned-sweep.ts'
import { createSweepRunner } from '../runner.ts'
import type { RunnerOptions, SweepRunner } from '../runner.ts'
import type { SweepSpec } from '../validate.ts'
import type { SimPlan } from '../sim-plan.ts'
import { createRng } from '../../random.ts'
import { probabilisticSharpe, deflatedSharpe } from './dsr.ts'
import { moments } from './normal.ts'
import { CscvMatrix, cscvPbo, MAX_PBO_BLOCKS } from './pbo.ts'
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

/** Largest even S ≤ requested with at least 2 days per block (0 when even S = 2 does not fit). */
function blocksFor(days: number, requested: number): number {
  let s = requested
  while (s >= 2 && Math.floor(days / s) < 2) s -= 2
  return s
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

/**
 * The report for a finished sweep. `runner` must be built for the sweep's series and spec (it
 * re-runs simulations), `sims` its simulation plan, `rows` every combo's metrics.
 */
export function robustnessReport(runner: SweepRunner, sims: SimPlan, rows: Float64Array, opts: RobustnessOptions = {}): RobustnessReport {
  const plan = runner.plan
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
  const days = runner.dayCount
  const trials = sims.simCount

  // One row per distinct simulation (its representative's).
  const simRows = new Float64Array(trials * METRIC_COUNT)
  for (let s = 0; s < trials; s++)
    simRows.set(rows.subarray(sims.repOf[s]! * METRIC_COUNT, (sims.repOf[s]! + 1) * METRIC_COUNT), s * METRIC_COUNT)

  const top = bestCombos(rows, plan.comboCount, 1, rank)[0]
  const nanPbo = (note: string, candidates: number): PboReport => ({
    pbo: NaN,
    blocks: 0,
    splits: 0,
    columns: 0,
    candidates,
    days,
    logits: NAN_LOGITS,
    note,
  })
  if (top === undefined) {
    const plateau = { peak: NaN, plateau: NaN, fragility: NaN, neighbours: 0 }
    return {
      objective,
      best: null,
      comboCount: plan.comboCount,
      simCount: trials,
      dsr: nanDsr(trials),
      pbo: nanPbo('no combo ranks', 0),
      plateau,
      note: 'no combo ranks: every score is NaN or fails a constraint',
    }
  }
  const bestSim = sims.simOf[top.combo]!

  // Deflated Sharpe: the best combo's own daily returns, the trials' Sharpe spread.
  const bestDaily = new Float64Array(days)
  const check = new Float64Array(METRIC_COUNT)
  runner.runSimsDaily([sims.repOf[bestSim]!], check, bestDaily)
  if (check[METRIC_INDEX.trades] !== rows[top.combo * METRIC_COUNT + METRIC_INDEX.trades]) {
    throw new Error('robustness report: re-running the best combo gave other trades (rows from another series or spec?)')
  }
  const m = moments(bestDaily)
  const sharpe = m.mean / m.std
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

  // PBO over the ranked distinct simulations: all of them up to maxColumns.
  const ranked = rankRows(simRows, trials, rank)
  let pbo: PboReport
  const blocks = blocksFor(days, requestedBlocks)
  if (ranked.length < 2) pbo = nanPbo('fewer than 2 distinct simulations rank', ranked.length)
  else if (blocks < 4) pbo = nanPbo(`${days} days are too few for CSCV (needs ≥ 8: 4 blocks of 2 days)`, ranked.length)
  else {
    // Columns in simulation order (grouped by strategy point: one signal materialisation each);
    // the order only decides exact ties (lowest column first).
    const simIds = Int32Array.from(sampleColumns(ranked.length, maxColumns, sampleSeed), (i) => ranked[i]!).sort()
    const matrix = new CscvMatrix(simIds.length, days, blocks)
    const chunk = Math.min(DAILY_CHUNK, simIds.length)
    const daily = new Float64Array(chunk * days)
    const out = new Float64Array(chunk * METRIC_COUNT)
    let bad = -1
    for (let from = 0; from < simIds.length && bad < 0; from += chunk) {
      const to = Math.min(simIds.length, from + chunk)
      runner.runSimsDaily(
        Int32Array.from(simIds.subarray(from, to), (s) => sims.repOf[s]!),
        out,
        daily,
      )
      for (let k = from; k < to && bad < 0; k++) {
        const col = daily.subarray((k - from) * days, (k - from + 1) * days)
        if (col.every((x) => Math.abs(x) <= 1e100)) matrix.setColumn(k, col)
        else bad = simIds[k]!
      }
    }
    if (bad >= 0) pbo = nanPbo(`simulation ${bad} has a daily return that is not finite (or beyond ±1e100)`, ranked.length)
    else {
      const r = cscvPbo(matrix, 'sharpe')
      const notes: string[] = []
      if (blocks !== requestedBlocks) notes.push(`${blocks} blocks (${days} days are too few for ${requestedBlocks})`)
      if (simIds.length < ranked.length)
        notes.push(
          `${simIds.length} of ${ranked.length} candidates: a uniform random sample (seed ${sampleSeed}), so this is the PBO of a random sub-grid of that size`,
        )
      pbo = {
        pbo: r.pbo,
        blocks,
        splits: r.splits,
        columns: simIds.length,
        candidates: ranked.length,
        days,
        logits: summarizeLogits(r.logits),
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      }
    }
  }

  const plateau = plateauOf(rows, plan.sizes, top.combo, objective)
  return {
    objective,
    best: { combo: top.combo, sim: bestSim, score: top.score },
    comboCount: plan.comboCount,
    simCount: trials,
    dsr,
    pbo,
    plateau,
  }
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
