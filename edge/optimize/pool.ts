// Node worker_threads pool for sweeps: candles copied once into SharedArrayBuffers, every worker
// runs the same shared runner module, and work is handed out dynamically (small chunks pulled from
// a queue, so a slow chunk never leaves other threads idle). Workers stay alive between sweeps.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { planSweep } from '../../shared/optimize/index.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url)

export interface SweepProgress {
  readonly done: number
  readonly total: number
  readonly elapsedMs: number
  readonly combosPerSec: number
  /** NaN until the first chunk is back. */
  readonly etaMs: number
}

export interface PoolRunOptions {
  /** Combos per chunk (default: about 16 chunks per worker, 1..512). */
  readonly chunkSize?: number
  readonly onProgress?: (p: SweepProgress) => void
}

export interface PoolRunResult {
  /** comboCount × METRIC_COUNT, row i = combo i. */
  readonly rows: Float64Array
  readonly simulated: number
  readonly copied: number
  readonly elapsedMs: number
}

export interface NodeSweepPool {
  readonly size: number
  run(series: CandleSeries, spec: SweepSpec, opts?: PoolRunOptions): Promise<PoolRunResult>
  close(): Promise<void>
}

/** A copy of the series whose columns live in SharedArrayBuffers (shared by every worker). */
export function shareSeries(series: CandleSeries): CandleSeries {
  const col = (a: Float64Array): Float64Array => {
    const out = new Float64Array(new SharedArrayBuffer(a.length * 8))
    out.set(a)
    return out
  }
  return {
    time: col(series.time),
    open: col(series.open),
    high: col(series.high),
    low: col(series.low),
    close: col(series.close),
    volume: col(series.volume),
  }
}

function isShared(s: CandleSeries): boolean {
  return s.close.buffer instanceof SharedArrayBuffer
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism())
}

/** Starts `size` workers and waits until each has loaded the runner module. */
export async function createNodeSweepPool(size = defaultWorkerCount()): Promise<NodeSweepPool> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be an integer ≥ 1, got ${size}`)
  const workers = Array.from({ length: size }, () => new Worker(BOOTSTRAP))
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('online', () => resolve())
          w.once('error', reject)
        }),
    ),
  )
  let busy = false
  const now = (): number => performance.now()

  async function run(series: CandleSeries, spec: SweepSpec, opts: PoolRunOptions = {}): Promise<PoolRunResult> {
    if (busy) throw new Error('sweep pool: one sweep at a time')
    busy = true
    const t0 = now()
    try {
      const total = planSweep(spec).comboCount
      const shared = isShared(series) ? series : shareSeries(series)
      const chunkSize = opts.chunkSize ?? Math.max(1, Math.min(512, Math.ceil(total / (size * 16))))
      const rows = new Float64Array(total * METRIC_COUNT)
      let next = 0
      let done = 0
      let simulated = 0
      let copied = 0
      await new Promise<void>((resolve, reject) => {
        let finished = 0
        let failed = false
        const cleanups: (() => void)[] = []
        const fail = (e: Error): void => {
          if (failed) return
          failed = true
          for (const c of cleanups) c()
          reject(e)
        }
        const post = (w: Worker, m: ToWorker): void => w.postMessage(m)
        const pull = (w: Worker): boolean => {
          if (next >= total) return false
          const start = next
          next = Math.min(total, next + chunkSize)
          post(w, { kind: 'run', start, end: next })
          return true
        }
        for (const w of workers) {
          const onMessage = (m: FromWorker): void => {
            if (failed) return
            if (m.kind === 'error') return fail(new Error(`sweep worker: ${m.message}`))
            if (m.kind === 'ready') {
              if (!pull(w)) finishOne()
              return
            }
            rows.set(m.rows, m.start * METRIC_COUNT)
            done += m.end - m.start
            simulated += m.simulated
            copied += m.copied
            if (opts.onProgress) {
              const elapsedMs = now() - t0
              const rate = done / (elapsedMs / 1000)
              opts.onProgress({ done, total, elapsedMs, combosPerSec: rate, etaMs: ((total - done) / rate) * 1000 })
            }
            if (!pull(w)) finishOne()
          }
          const onError = (e: Error): void => fail(e)
          const onExit = (code: number): void => fail(new Error(`sweep worker exited with code ${code}`))
          w.on('message', onMessage)
          w.on('error', onError)
          w.on('exit', onExit)
          cleanups.push(() => {
            w.off('message', onMessage)
            w.off('error', onError)
            w.off('exit', onExit)
          })
        }
        function finishOne(): void {
          finished++
          if (finished === workers.length) {
            for (const c of cleanups) c()
            resolve()
          }
        }
        for (const w of workers) post(w, { kind: 'init', series: shared, spec })
      })
      return { rows, simulated, copied, elapsedMs: now() - t0 }
    } finally {
      busy = false
    }
  }

  return {
    size,
    run,
    async close() {
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
