// The robustness report of a finished sweep on a worker pool (the lab's and the CLI's): the same
// report as robust/report.ts robustnessReport, bit for bit, with the expensive steps on the
// workers:
// - this thread: planReport (best combo, trial spread, candidate columns, plateau: rows and the
//   simulation plan only) and the CSCV matrix from the sweep's block sums (SweepUpdate.blockSums);
// - worker 0: the best combo's daily returns (one backtest, for the deflated Sharpe);
// - every worker: the block sums of the columns the sweep did not keep (simulations resumed from a
//   checkpoint, or a sweep without block sums), re-run in guided chunks; then an even share of the
//   CSCV's split pairs each (cscvWorse), put together with pboFromWorse;
// - a sweep resumed whole has no simulation plan: worker 0 makes it (planSims).
// The workers' calls use their own runner, so a sweep prepared on the same pool meanwhile (the
// lab starts the next sweep without waiting for the report) is not disturbed.
import type { CandleSeries } from '../../candles/types.ts'
import { PBO_STATS, pboFromWorse, splitPairs } from '../robust/pbo.ts'
import type { PboResult } from '../robust/pbo.ts'
import { blockStatsFit, checkBestRerun, finishReport, planReport, reportMatrix } from '../robust/report.ts'
import type { RobustnessOptions, RobustnessReport, SimBlockStats } from '../robust/report.ts'
import { dayCountOf } from '../runner.ts'
import { splitEven } from '../sim-plan.ts'
import type { SimPlan } from '../sim-plan.ts'
import { planSweep } from '../validate.ts'
import type { StrategyResolver, SweepSpec } from '../validate.ts'
import { NEVER_CANCELLED } from './cancel.ts'
import { guidedChunks, scheduleChunks } from './scheduler.ts'
import type { ChunkRange } from './scheduler.ts'
import type { WorkerPool } from './worker-pool.ts'

/** A finished sweep as the report needs it (a SweepUpdate fits). */
export interface FinishedSweep {
  /** comboCount × METRIC_COUNT, every combo's metrics. */
  readonly rows: Float64Array
  /** Its simulation plan; undefined (a sweep resumed whole) → made on worker 0. */
  readonly sims?: SimPlan | undefined
  /** Its block sums (SweepArgs.blockSums); columns without them are re-run on the workers. */
  readonly blockSums?: SimBlockStats | undefined
}

/** The robustness report of `sweep` (every combo of `spec` on `series`), computed on `pool`. */
export async function poolRobustness(
  pool: WorkerPool,
  series: CandleSeries,
  spec: SweepSpec,
  sweep: FinishedSweep,
  opts: RobustnessOptions & { readonly resolveStrategy?: StrategyResolver } = {},
): Promise<RobustnessReport> {
  const plan = planSweep(spec, opts.resolveStrategy)
  const bars = series.close.length
  const fromBar = plan.fromBar ?? 0
  const toBar = plan.toBar ?? bars
  if (toBar > bars || fromBar >= toBar) throw new RangeError(`sweep window [${fromBar}, ${toBar}) outside the series of ${bars} bars`)
  const sims = sweep.sims ?? (await pool.planSims(series, spec))
  const rp = planReport(plan, sims, sweep.rows, dayCountOf(series, fromBar, toBar), opts)
  if (rp.done !== undefined) return rp.done

  const best = pool.simulate(0, series, spec, Int32Array.of(rp.bestRep), { daily: true })
  if (rp.columns.length === 0) {
    const b = await best
    checkBestRerun(rp, b.rows)
    return finishReport(rp, b.daily!, undefined)
  }

  // Block sums of every column: the sweep's, and the missing ones re-run on the workers.
  const width = rp.blocks * PBO_STATS
  const kept = blockStatsFit(rp, sweep.blockSums) ? sweep.blockSums : undefined
  const missing = Int32Array.from(rp.columns.filter((s) => kept === undefined || kept.known[s] !== 1))
  const rerun = new Float64Array(missing.length * width)
  const rerunAt = new Map<number, number>()
  missing.forEach((s, i) => rerunAt.set(s, i * width))
  const filled =
    missing.length === 0
      ? Promise.resolve()
      : scheduleChunks({
          chunks: guidedChunks(missing.length, pool.size),
          executors: Array.from({ length: 2 * pool.size }, (_, k) => ({
            run: (c: ChunkRange) =>
              pool.simulate(
                k % pool.size,
                series,
                spec,
                Int32Array.from(missing.subarray(c.start, c.end), (s) => sims.repOf[s]!),
                { blocks: rp.blocks },
              ),
          })),
          signal: NEVER_CANCELLED,
          onChunkDone: (c, r) => {
            if (r.blockStats?.length !== (c.end - c.start) * width) throw new Error('robustness report: block sums of the wrong size')
            rerun.set(r.blockStats, c.start * width)
          },
        }).then((o) => {
          if (o.kind !== 'completed') throw new Error(o.kind === 'failed' ? o.error : 'robustness report: cancelled')
        })
  const [b] = await Promise.all([best, filled])
  checkBestRerun(rp, b.rows)

  const got = reportMatrix(rp, (s) => {
    const at = rerunAt.get(s)
    return at === undefined ? { stats: kept!.stats, off: s * width } : { stats: rerun, off: at }
  })
  if ('badSim' in got) return finishReport(rp, b.daily!, got)
  return finishReport(rp, b.daily!, await poolCscv(pool, got.matrix.columns, got.matrix.periods, got.matrix.blocks, got.matrix.stats))
}

/** cscvPbo of a matrix given by its block numbers, its split pairs shared evenly by the workers. */
export async function poolCscv(
  pool: WorkerPool,
  columns: number,
  periods: number,
  blocks: number,
  stats: Float64Array,
): Promise<PboResult> {
  const parts = splitEven(splitPairs(blocks), pool.size)
  const worse = await Promise.all(
    parts.map((p, w) => pool.cscvWorse(w, { columns, periods, blocks, stats, metric: 'sharpe', from: p.start, to: p.end })),
  )
  return pboFromWorse(
    blocks,
    columns,
    parts.map((p, i) => ({ from: p.start, to: p.end, worse: worse[i]! })),
  )
}
