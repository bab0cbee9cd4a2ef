// window.__labBench: runs a benchmark workload through the real worker pool in this page, with a
// throw-away IndexedDB (so nothing is resumed) and returns the timing. Used by
// test/bench/browser-bench.ts through headless Chromium.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { canShareMemory } from './candle-payload.ts'
import { openCheckpointStore } from './checkpoint-store.ts'
import { buildSeries } from './data-source.ts'
import { runSweepSession } from './sweep-session.ts'
import { browserWorkerFactory, createSweepPool } from './worker-pool.ts'
import { WORKLOADS } from './workloads.ts'

export interface BenchRun {
  readonly workload: string
  readonly workers: number
  /** From pool start (workers created, candles sent) to the last chunk checkpointed. */
  readonly ms: number
  readonly combos: number
  readonly bars: number
  readonly simulated: number
  readonly copied: number
  readonly sharing: string
  /** Present when the run did not complete. */
  readonly error?: string
}

export interface LabBench {
  run(workload: keyof typeof WORKLOADS, workers: number): Promise<BenchRun>
}

const seriesCache = new Map<string, CandleSeries>()
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
        const out = await runSweepSession(
          { series, spec: req.spec, request: req, signal: new AbortController().signal },
          {
            store,
            makePool: (s, spec) => createSweepPool({ size: workers, factory: browserWorkerFactory, series: s, spec, shareMemory: canShareMemory() }),
            now: () => performance.now(),
            wallNow: () => Date.now(),
          },
        )
        const ms = performance.now() - t0
        if (out.kind === 'invalid') return { workload, workers, ms, combos: 0, bars: series.time.length, simulated: 0, copied: 0, sharing: 'none', error: out.errors.join('; ') }
        const u = out.update
        const base = { workload, workers, ms, bars: series.time.length, combos: u?.progress.doneCombos ?? 0, simulated: u?.progress.simulated ?? 0, copied: u?.progress.copied ?? 0, sharing: u?.sharing ?? 'none' }
        return out.kind === 'completed' ? base : { ...base, error: out.kind === 'failed' ? out.error : out.kind }
      } finally {
        store.close()
        indexedDB.deleteDatabase(dbName)
      }
    },
  }
}
