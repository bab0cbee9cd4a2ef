// Node worker_threads pool for sweeps. Workers stay alive between sweeps and keep, per candle
// series, their caches (member signals, RSI arrays), so a repeated sweep on the same series is warm.
// A sweep runs in three steps (shared/optimize/sim-plan.ts):
// 1. every worker labels an even share of the strategy points with exact class keys (skipped when
//    the strategy has none: then each point is its own class);
// 2. this thread merges the classes and builds the simulation plan (distinct (class, exec) pairs);
// 3. workers pull chunks of DISTINCT simulations (guided sizes: large first, small last) and this
//    thread copies each simulation's row to all its combos. So no two workers ever simulate the
//    same thing, and the candles are shared with every worker through SharedArrayBuffers.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { buildSimPlan, expandRows, guidedChunkSize, identityClasses, mergeClasses, planSweep, splitEven } from '../../shared/optimize/index.ts'
import type { SimPlan, SweepSpec } from '../../shared/optimize/index.ts'
import { MAX_SERIES_PER_WORKER } from './protocol.ts'
import type { FromWorker, ToWorker } from './protocol.ts'

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url)

export interface SweepProgress {
  /** Combos whose row is known. */
  readonly done: number
  readonly total: number
  readonly elapsedMs: number
  readonly combosPerSec: number
  /** NaN until the first chunk is back. */
  readonly etaMs: number
}

export interface PoolRunOptions {
  /** Distinct simulations per chunk (default: guided, a third of what is left per worker, 1..256). */
  readonly chunkSize?: number
  readonly onProgress?: (p: SweepProgress) => void
}

export interface PoolRunResult {
  /** comboCount × METRIC_COUNT, row i = combo i. */
  readonly rows: Float64Array
  /** Distinct simulations run (once each, across all workers). */
  readonly simulated: number
  /** Combos whose row is a copy of another combo's simulation. */
  readonly copied: number
  /** Distinct signal classes. */
  readonly distinctSignals: number
  /** The simulation plan (combo → distinct simulation), for the robustness report. */
  readonly sims: SimPlan
  /** Series-cache entries the workers had to build in this sweep (0 when warm). */
  readonly cacheBuilds: number
  /** Time to the simulation plan (prepare + class keys + merge). */
  readonly planMs: number
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
  return [s.time, s.open, s.high, s.low, s.close, s.volume].every((c) => c.buffer instanceof SharedArrayBuffer)
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism())
}

interface Slot {
  readonly worker: Worker
  readonly pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[]
  /** Series ids this worker holds, least recently prepared first (mirrors the worker's policy). */
  readonly series: Map<number, true>
  /** seriesId → cache builds last reported. */
  readonly builds: Map<number, number>
}

/** Starts `size` workers and waits until each is online. */
export async function createNodeSweepPool(size = defaultWorkerCount()): Promise<NodeSweepPool> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be an integer ≥ 1, got ${size}`)
  let broken: Error | undefined
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: new Worker(BOOTSTRAP), pending: [], series: new Map<number, true>(), builds: new Map() }))
  const breakAll = (e: Error): void => {
    broken ??= e
    for (const s of slots) for (const p of s.pending.splice(0)) p.reject(e)
  }
  for (const s of slots) {
    s.worker.on('message', (m: FromWorker) => {
      const p = s.pending.shift()
      if (p === undefined) return breakAll(new Error(`sweep worker: unexpected message '${m.kind}'`))
      if (m.kind === 'error') p.reject(new Error(`sweep worker: ${m.message}`))
      else p.resolve(m)
    })
    s.worker.on('error', (e) => breakAll(e))
    s.worker.on('exit', (code) => breakAll(new Error(`sweep worker exited with code ${code}`)))
  }
  await Promise.all(
    slots.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          s.worker.once('online', () => resolve())
          s.worker.once('error', reject)
        }),
    ),
  )
  const call = <K extends FromWorker['kind']>(s: Slot, msg: ToWorker, want: K): Promise<Extract<FromWorker, { kind: K }>> => {
    if (broken) return Promise.reject(broken)
    return new Promise((resolve, reject) => {
      s.pending.push({
        resolve: (m) => (m.kind === want ? resolve(m as Extract<FromWorker, { kind: K }>) : reject(new Error(`sweep worker: expected '${want}', got '${m.kind}'`))),
        reject,
      })
      s.worker.postMessage(msg)
    })
  }

  // The same series object → the same id and shared copy: the workers keep its caches.
  const known = new WeakMap<CandleSeries, { id: number; shared: CandleSeries }>()
  let nextSeriesId = 1
  let busy = false
  const now = (): number => performance.now()

  async function run(series: CandleSeries, spec: SweepSpec, opts: PoolRunOptions = {}): Promise<PoolRunResult> {
    if (busy) throw new Error('sweep pool: one sweep at a time')
    if (broken) throw broken
    busy = true
    const t0 = now()
    try {
      const plan = planSweep(spec)
      const total = plan.comboCount
      let entry = known.get(series)
      if (entry === undefined) {
        entry = { id: nextSeriesId++, shared: isShared(series) ? series : shareSeries(series) }
        known.set(series, entry)
      }
      const { id: seriesId, shared } = entry
      const buildsBefore = slots.map(() => 0)
      const noteBuilds = (i: number, n: number): void => void slots[i]!.builds.set(seriesId, n)

      const prepared = await Promise.all(
        slots.map(async (s, i) => {
          if (!s.series.has(seriesId)) {
            await call(s, { kind: 'series', seriesId, series: shared }, 'stored')
            s.builds.delete(seriesId) // a new cache in the worker
          }
          buildsBefore[i] = s.builds.get(seriesId) ?? 0
          s.series.delete(seriesId)
          s.series.set(seriesId, true)
          while (s.series.size > MAX_SERIES_PER_WORKER) s.series.delete(s.series.keys().next().value!)
          return call(s, { kind: 'prepare', seriesId, spec }, 'prepared')
        }),
      )
      const head = prepared[0]!
      if (prepared.some((p) => p.comboCount !== total)) throw new Error('sweep pool: workers disagree on the combo count')
      const classes = head.plansClasses
        ? mergeClasses(
            head.pointCount,
            await Promise.all(
              splitEven(head.pointCount, size).map(async (r, i) => {
                const m = await call(slots[i]!, { kind: 'classes', start: r.start, end: r.end }, 'classes')
                noteBuilds(i, m.cacheBuilds)
                return m
              }),
            ),
          )
        : identityClasses(head.pointCount)
      const sims = buildSimPlan(plan, classes)
      const planMs = now() - t0

      const simRows = new Float64Array(sims.simCount * METRIC_COUNT)
      let next = 0
      let done = 0
      const worker = async (i: number): Promise<void> => {
        const s = slots[i]!
        while (next < sims.simCount) {
          const a = next
          const b = a + (opts.chunkSize ?? guidedChunkSize(sims.simCount - a, size, 1, 256))
          next = Math.min(sims.simCount, b)
          const m = await call(s, { kind: 'sims', combos: sims.repOf.slice(a, next) }, 'rows')
          noteBuilds(i, m.cacheBuilds)
          simRows.set(m.rows, a * METRIC_COUNT)
          for (let k = a; k < a + m.rows.length / METRIC_COUNT; k++) done += sims.combosOf[k]!
          if (opts.onProgress) {
            const elapsedMs = now() - t0
            const rate = done / (elapsedMs / 1000)
            opts.onProgress({ done, total, elapsedMs, combosPerSec: rate, etaMs: ((total - done) / rate) * 1000 })
          }
        }
      }
      await Promise.all(slots.map((_, i) => worker(i)))
      const rows = new Float64Array(total * METRIC_COUNT)
      expandRows(sims, simRows, rows)
      const cacheBuilds = slots.reduce((a, s, i) => a + (s.builds.get(seriesId) ?? 0) - buildsBefore[i]!, 0)
      return { rows, simulated: sims.simCount, copied: total - sims.simCount, distinctSignals: sims.classCount, sims, cacheBuilds, planMs, elapsedMs: now() - t0 }
    } finally {
      busy = false
    }
  }

  return {
    size,
    run,
    async close() {
      broken ??= new Error('sweep pool closed')
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
