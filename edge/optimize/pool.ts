// The CLI's sweep pool: the shared coordinator (shared/optimize/coordinator) over Node worker
// threads (node-workers.ts), candles always in a SharedArrayBuffer. Workers stay alive between
// sweeps and keep, per candle series, their caches (member signals, RSI arrays), so a repeated
// sweep on the same series object is warm. With a checkpoint store (checkpoint-file.ts) finished
// chunks are written as they complete and a later run of the same sweep resumes from them.
// robustness() computes a finished sweep's robustness report on the same workers
// (shared/optimize/coordinator/robustness.ts).
import type { CandleSeries } from '../../shared/candles/types.ts'
import { createWorkerPool, poolRobustness, runCoordinatedSweep } from '../../shared/optimize/coordinator/index.ts'
import type { CheckpointStore, FinishedSweep, SweepArgs, SweepProgress, WorkerPool } from '../../shared/optimize/coordinator/index.ts'
import type { RobustnessOptions, RobustnessReport, SimBlockStats, SimPlan, SweepSpec } from '../../shared/optimize/index.ts'
import { defaultWorkerCount, nodeWorkerFactory } from './node-workers.ts'

export { defaultWorkerCount }

export interface PoolRunOptions {
  /** Distinct simulations per worker call (default: guided, a third of what is left per worker, ≤ 256). */
  readonly workSize?: number
  readonly onProgress?: (p: SweepProgress) => void
  /** Checkpoints to resume from and write to. */
  readonly store?: CheckpointStore
  /** Combos per checkpoint chunk (default: about 64 chunks, ≤ 256 combos each). */
  readonly chunkSize?: number
  /** Plain JSON kept with the checkpoint's meta. */
  readonly request?: unknown
  /** Keep each simulation's CSCV block sums for robustness() (SweepArgs.blockSums). */
  readonly blockSums?: SweepArgs['blockSums']
}

export interface PoolRunResult {
  /** comboCount × METRIC_COUNT, row i = combo i. */
  readonly rows: Float64Array
  /** Distinct simulations of the sweep (once each, across all workers); NaN when every chunk was resumed. */
  readonly simulated: number
  /** Combos whose row is a copy of another combo's simulation. */
  readonly copied: number
  /** Distinct signal classes (NaN when every chunk was resumed). */
  readonly distinctSignals: number
  /** The simulation plan (combo → distinct simulation), for the robustness report; undefined when every chunk was resumed. */
  readonly sims: SimPlan | undefined
  /** Combos read back from the checkpoint store. */
  readonly resumedCombos: number
  /** Series-cache entries the workers had to build in this sweep (0 when warm). */
  readonly cacheBuilds: number
  /** Time to the simulation plan (prepare + class keys + merge). */
  readonly planMs: number
  readonly elapsedMs: number
  /** The checkpoint identity ('' without a store). */
  readonly sweepId: string
  /** The block sums asked for with blockSums (undefined when not kept, see SweepUpdate.blockSums). */
  readonly blockSums: SimBlockStats | undefined
}

export interface NodeSweepPool {
  readonly size: number
  run(series: CandleSeries, spec: SweepSpec, opts?: PoolRunOptions): Promise<PoolRunResult>
  /** The robustness report of a finished sweep of `spec` on `series` (a run() result fits), on the workers. */
  robustness(series: CandleSeries, spec: SweepSpec, sweep: FinishedSweep, opts?: RobustnessOptions): Promise<RobustnessReport>
  close(): Promise<void>
}

export async function createNodeSweepPool(size = defaultWorkerCount()): Promise<NodeSweepPool> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be an integer ≥ 1, got ${size}`)
  const make = (): WorkerPool => createWorkerPool({ size, factory: nodeWorkerFactory, shareMemory: true })
  let pool = make()
  let closed = false
  let busy = false
  // A failed sweep terminates its workers (their state is unknown); the next sweep starts new ones.
  const getPool = (): WorkerPool => {
    if (closed) throw new Error('sweep pool closed')
    if (!pool.alive) pool = make()
    return pool
  }

  async function run(series: CandleSeries, spec: SweepSpec, opts: PoolRunOptions = {}): Promise<PoolRunResult> {
    if (busy) throw new Error('sweep pool: one sweep at a time')
    if (closed) throw new Error('sweep pool closed')
    busy = true
    const t0 = performance.now()
    try {
      const onProgress = opts.onProgress
      const out = await runCoordinatedSweep(
        {
          series,
          spec,
          workSize: opts.workSize,
          chunkSize: opts.chunkSize,
          request: opts.request,
          blockSums: opts.blockSums,
          onUpdate: onProgress && ((u) => onProgress(u.progress)),
        },
        { getPool, now: () => performance.now(), store: opts.store, wallNow: () => Date.now() },
      )
      if (out.kind === 'invalid') throw new Error(out.errors.join('; '))
      if (out.kind !== 'completed') throw new Error(out.kind === 'failed' ? `sweep failed: ${out.error}` : 'sweep cancelled')
      const { progress: p, rows, sims, sweepId, blockSums } = out.update
      return {
        rows,
        simulated: p.simCount,
        copied: p.totalCombos - p.simCount,
        distinctSignals: sims?.classCount ?? Number.NaN,
        sims,
        resumedCombos: p.resumedCombos,
        cacheBuilds: p.cacheBuilds,
        planMs: p.planMs,
        elapsedMs: performance.now() - t0,
        sweepId,
        blockSums,
      }
    } finally {
      busy = false
    }
  }

  async function robustness(
    series: CandleSeries,
    spec: SweepSpec,
    sweep: FinishedSweep,
    ro?: RobustnessOptions,
  ): Promise<RobustnessReport> {
    if (busy) throw new Error('sweep pool: one sweep at a time')
    busy = true
    try {
      return await poolRobustness(getPool(), series, spec, sweep, ro)
    } finally {
      busy = false
    }
  }

  return {
    size,
    run,
    robustness,
    async close() {
      closed = true
      await pool.terminate()
    },
  }
}
