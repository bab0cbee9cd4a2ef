// A pool of sweep workers that lives across sweeps, whatever carries the calls (comlink over Web
// Workers in the lab, over worker_threads in Node): each worker gets a series' candles once
// (shared or transferred, see candle-payload.ts) and keeps that series' cache, so a repeated
// sweep on the same series object is warm. Per sweep, prepare() sends the spec to every worker
// and returns per-worker class-key and simulation calls; simulate(), planSims() and cscvWorse()
// serve a finished sweep's robustness report (coordinator/robustness.ts) without touching a
// prepared sweep. A worker that dies fails its calls instead of hanging them and marks the pool
// dead. Transport-agnostic: the workers come from an injected factory.
import type { CandleSeries } from '../../candles/types.ts'
import type { SimPlan } from '../sim-plan.ts'
import type { SweepSpec } from '../validate.ts'
import { packCandles } from './candle-payload.ts'
import type { CandlePayload } from './candle-payload.ts'
import type { TransferMarker } from './sweep-worker.ts'
import { MAX_SERIES_PER_WORKER } from './worker-api.ts'
import type { ClassesResult, CscvTask, RemoteSweepWorker, SimsResult, SimulateResult, SimulateWants } from './worker-api.ts'

export interface WorkerHandle {
  readonly api: RemoteSweepWorker
  /** Rejects when the worker dies (uncaught error, exit); never resolves otherwise. */
  readonly failed: Promise<never>
  terminate(): void | Promise<void>
}

export type WorkerFactory = () => WorkerHandle

export interface WorkerPoolOptions {
  readonly size: number
  readonly factory: WorkerFactory
  /** Candles in a SharedArrayBuffer (Node; the browser only when cross-origin isolated). */
  readonly shareMemory: boolean
  /** The transport's transfer marker (comlink's `transfer`) for unshared candle buffers. */
  readonly transfer?: TransferMarker
}

export interface PreparedSweep {
  readonly sharing: CandlePayload['kind']
  readonly comboCount: number
  readonly pointCount: number
  readonly plansClasses: boolean
  /** Daily returns of every simulation. */
  readonly dayCount: number
  classKeys(worker: number, startPoint: number, endPoint: number): Promise<ClassesResult>
  /** With blocks > 0 the results carry each simulation's CSCV block numbers. */
  runSims(worker: number, combos: Int32Array, blocks?: number): Promise<SimsResult>
  /** Series-cache entries the workers built since prepare (0 when warm). */
  cacheBuilds(): number
}

export interface WorkerPool {
  readonly size: number
  /** False once terminated or a worker died: make a new pool. */
  readonly alive: boolean
  /** Loads the series where missing (same object → same id) and the spec into every worker. */
  prepare(series: CandleSeries, spec: SweepSpec): Promise<PreparedSweep>
  /** Backtests of `spec` on worker w's own runner (a prepared sweep is untouched). */
  simulate(worker: number, series: CandleSeries, spec: SweepSpec, combos: Int32Array, want: SimulateWants): Promise<SimulateResult>
  /** The simulation plan of `spec` on `series`, made on worker 0 (one thread). */
  planSims(series: CandleSeries, spec: SweepSpec): Promise<SimPlan>
  /** A share of a CSCV on worker w. */
  cscvWorse(worker: number, task: CscvTask): Promise<Int32Array>
  terminate(): Promise<void>
}

interface Slot {
  readonly handle: WorkerHandle
  /** Why the worker died, once it has. */
  death: Error | undefined
  /** Rejecters of the calls in flight (a death fails them all). */
  readonly inFlight: Set<(e: Error) => void>
  /** Series ids it holds, least recently prepared first (the worker's own policy, mirrored). */
  readonly loaded: Map<number, true>
  /** Series id → the worker's cache builds last reported. */
  readonly builds: Map<number, number>
}

export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  if (!(Number.isInteger(opts.size) && opts.size >= 1)) throw new RangeError(`worker pool: size must be an integer ≥ 1, got ${opts.size}`)
  let alive = true
  const slots: Slot[] = []
  for (let i = 0; i < opts.size; i++) {
    const slot: Slot = { handle: opts.factory(), death: undefined, inFlight: new Set(), loaded: new Map(), builds: new Map() }
    slot.handle.failed.catch((e: unknown) => {
      alive = false
      slot.death = e instanceof Error ? e : new Error(String(e))
      for (const reject of slot.inFlight) reject(slot.death)
      slot.inFlight.clear()
    })
    slots.push(slot)
  }
  /**
   * The call, failed at once if its worker dies. Not Promise.race(p, failed): every race would
   * leave a reaction on the never-settling `failed` that keeps the call's result (rows) alive as
   * long as the pool.
   */
  const guard = <T>(s: Slot, p: Promise<T>): Promise<T> => {
    if (s.death !== undefined) return Promise.reject(s.death)
    return new Promise<T>((resolve, reject) => {
      s.inFlight.add(reject)
      p.then(
        (v) => {
          s.inFlight.delete(reject)
          resolve(v)
        },
        (e: unknown) => {
          s.inFlight.delete(reject)
          reject(e)
        },
      )
    })
  }
  const known = new WeakMap<CandleSeries, { id: number; shared: CandlePayload | undefined }>()
  let nextId = 1

  /** The series' id, its candles loaded into the slot where missing (and marked most recent). */
  async function load(s: Slot, series: CandleSeries): Promise<number> {
    let entry = known.get(series)
    if (entry === undefined) {
      entry = { id: nextId++, shared: opts.shareMemory ? packCandles(series, true) : undefined }
      known.set(series, entry)
    }
    const { id, shared } = entry
    if (!s.loaded.has(id)) {
      let payload = shared
      if (payload === undefined) {
        const own = packCandles(series, false)
        payload = opts.transfer ? opts.transfer(own, [own.buffer as ArrayBuffer]) : own
      }
      await guard(s, s.handle.api.loadSeries(id, payload))
      s.builds.delete(id) // a new cache in the worker
    }
    s.loaded.delete(id)
    s.loaded.set(id, true)
    while (s.loaded.size > MAX_SERIES_PER_WORKER) s.loaded.delete(s.loaded.keys().next().value!)
    return id
  }

  async function prepare(series: CandleSeries, spec: SweepSpec): Promise<PreparedSweep> {
    if (!alive) throw new Error('worker pool: terminated')
    const before = slots.map(() => 0)
    let seriesId = 0
    const prepared = await Promise.all(
      slots.map(async (s, i) => {
        seriesId = await load(s, series)
        before[i] = s.builds.get(seriesId) ?? 0
        return guard(s, s.handle.api.prepare(seriesId, spec))
      }),
    )
    const head = prepared[0]!
    if (prepared.some((p) => p.comboCount !== head.comboCount || p.pointCount !== head.pointCount || p.dayCount !== head.dayCount))
      throw new Error('worker pool: workers disagree on the combo count')
    const noted = <T extends { cacheBuilds: number }>(s: Slot, r: T): T => {
      s.builds.set(seriesId, r.cacheBuilds)
      return r
    }
    return {
      sharing: known.get(series)!.shared ? 'shared' : 'copied',
      comboCount: head.comboCount,
      pointCount: head.pointCount,
      plansClasses: head.plansClasses,
      dayCount: head.dayCount,
      classKeys: async (w, a, b) => noted(slots[w]!, await guard(slots[w]!, slots[w]!.handle.api.classKeys(a, b))),
      runSims: async (w, combos, blocks = 0) => noted(slots[w]!, await guard(slots[w]!, slots[w]!.handle.api.runSims(combos, blocks))),
      cacheBuilds: () => slots.reduce((a, s, i) => a + (s.builds.get(seriesId) ?? 0) - before[i]!, 0),
    }
  }

  return {
    size: opts.size,
    get alive() {
      return alive
    },
    prepare,
    async simulate(w, series, spec, combos, want) {
      if (!alive) throw new Error('worker pool: terminated')
      const s = slots[w]!
      const id = await load(s, series)
      const r = await guard(s, s.handle.api.simulate(id, spec, combos, want))
      // Entries a report builds in the series cache are not a later sweep's.
      s.builds.set(id, r.cacheBuilds)
      return r
    },
    async planSims(series, spec) {
      if (!alive) throw new Error('worker pool: terminated')
      const s = slots[0]!
      return guard(s, s.handle.api.planSims(await load(s, series), spec))
    },
    cscvWorse(w, task) {
      if (!alive) return Promise.reject(new Error('worker pool: terminated'))
      const s = slots[w]!
      return guard(s, s.handle.api.cscvWorse(task))
    },
    async terminate() {
      alive = false
      await Promise.all(slots.map((s) => s.handle.terminate()))
    },
  }
}
