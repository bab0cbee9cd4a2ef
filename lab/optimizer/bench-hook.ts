// window.__labBench: runs a benchmark workload through the real worker pool in this page, with a
// throw-away IndexedDB (so nothing is resumed) and returns the timing. Used by
// test/bench/browser-bench.ts through headless Chromium. The pool (per worker count) and the
// series are kept between runs: the first run is cold (workers started, candles loaded, caches
// empty), a repeated run of the same workload is warm (workers alive, caches full).
import type { CandleSeries } from '../../shared/candles/types.ts'
import { runCoordinatedSweep } from '../../shared/optimize/coordinator/index.ts'
import type { WorkerPool } from '../../shared/optimize/coordinator/index.ts'
import { createLabPool } from './browser-workers.ts'
import { openCheckpointStore } from './checkpoint-store.ts'
import { buildSeries } from './data-source.ts'
import { WORKLOADS } from './workloads.ts'

export interface BenchRun {
  readonly workload: string
  readonly workers: number
  /** From the call (incl. starting workers on a cold run) to the last chunk checkpointed. */
  readonly ms: number
  readonly combos: number
  readonly bars: number
  readonly simulated: number
  readonly copied: number
  /** Of `ms`: to the simulation plan (workers prepared, classes merged). */
  readonly planMs: number
  readonly sharing: string
  /** Present when the run did not complete. */
  readonly error?: string
}

export interface LabBench {
  run(workload: keyof typeof WORKLOADS, workers: number): Promise<BenchRun>
}

const seriesCache = new Map<string, CandleSeries>()
const pools = new Map<number, WorkerPool>()
let runCount = 0

export function createLabBench(): LabBench {
  return {
    async run(workload, workers) {
      const req = WORKLOADS[workload]
      const key = JSON.stringify(req.source)
      let series = seriesCache.get(key)
      if (!series) {
        const built = buildSeries(req.source)
        if (!built.ok) throw new Error(built.error)
        series = built.series
        seriesCache.set(key, series)
      }
      const dbName = `lab-bench-${Date.now()}-${runCount++}`
      const store = await openCheckpointStore(dbName)
      const t0 = performance.now()
      try {
        const out = await runCoordinatedSweep(
          { series, spec: req.spec, request: req, signal: new AbortController().signal },
          {
            store,
            getPool: () => {
              let pool = pools.get(workers)
              if (pool === undefined || !pool.alive) {
                pool = createLabPool({ size: workers })
                pools.set(workers, pool)
              }
              return pool
            },
            now: () => performance.now(),
            wallNow: () => Date.now(),
          },
        )
        const ms = performance.now() - t0
        if (out.kind === 'invalid')
          return {
            workload,
            workers,
            ms,
            combos: 0,
            bars: series.time.length,
            simulated: 0,
            copied: 0,
            planMs: Number.NaN,
            sharing: 'none',
            error: out.errors.join('; '),
          }
        const u = out.update
        const base = {
          workload,
          workers,
          ms,
          bars: series.time.length,
          combos: u?.progress.doneCombos ?? 0,
          simulated: u?.progress.simulated ?? 0,
          copied: u?.progress.copied ?? 0,
          planMs: u?.progress.planMs ?? Number.NaN,
          sharing: u?.sharing ?? 'none',
        }
        return out.kind === 'completed' ? base : { ...base, error: out.kind === 'failed' ? out.error : out.kind }
      } finally {
        store.close()
        indexedDB.deleteDatabase(dbName)
      }
    },
  }
}
