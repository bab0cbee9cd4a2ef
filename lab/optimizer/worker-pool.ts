// A pool of optimizer workers (module Web Workers wrapped with comlink) that lives across sweeps:
// each worker gets a series' candles once (shared or transferred, see candle-payload.ts) and keeps
// that series' cache, so a repeated sweep on the same series object is warm. Per sweep, prepare()
// sends the spec to every worker and returns per-worker class-key and simulation calls;
// robustness() runs a finished sweep's overfitting report on worker 0. A worker
// that dies (script error) fails its calls instead of hanging them and marks the pool dead.
import { transfer, wrap } from 'comlink'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { RobustnessOptions, RobustnessReport, SweepSpec } from '../../shared/optimize/index.ts'
import { packCandles } from './candle-payload.ts'
import type { CandlePayload } from './candle-payload.ts'
import { MAX_SERIES_PER_WORKER } from './sweep-worker-api.ts'
import type { ClassesResult, LoadResult, PrepareResult, SimsResult, SweepWorkerApi } from './sweep-worker-api.ts'

/** The API of one worker, as seen from the page (every method async; a comlink Remote fits). */
export interface WorkerApiHandle {
  loadSeries(seriesId: number, candles: CandlePayload): Promise<LoadResult>
  prepare(seriesId: number, spec: SweepSpec): Promise<PrepareResult>
  classKeys(startPoint: number, endPoint: number): Promise<ClassesResult>
  runSims(combos: Int32Array): Promise<SimsResult>
  robustness(seriesId: number, spec: SweepSpec, rows: Float64Array, opts?: RobustnessOptions): Promise<RobustnessReport>
}

export interface WorkerHandle {
  readonly api: WorkerApiHandle
  /** Rejects when the worker reports an uncaught error; never resolves otherwise. */
  readonly failed: Promise<never>
  terminate(): void
}

export type WorkerFactory = () => WorkerHandle

/** The real thing: one module Web Worker per call. */
export const browserWorkerFactory: WorkerFactory = () => {
  const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' })
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) => reject(new Error(`optimizer worker error: ${ev.message || 'failed to load'}`)))
    worker.addEventListener('messageerror', () => reject(new Error('optimizer worker: message could not be decoded')))
  })
  failed.catch(() => undefined) // observed through races; avoid an unhandled rejection when idle
  return { api: wrap<SweepWorkerApi>(worker), failed, terminate: () => worker.terminate() }
}

export interface PoolOptions {
  readonly size: number
  readonly factory: WorkerFactory
  /** SharedArrayBuffer for the candles (needs crossOriginIsolated). */
  readonly shareMemory: boolean
}

export interface PreparedSweep {
  readonly sharing: CandlePayload['kind']
  readonly comboCount: number
  readonly pointCount: number
  readonly plansClasses: boolean
  classKeys(worker: number, startPoint: number, endPoint: number): Promise<ClassesResult>
  runSims(worker: number, combos: Int32Array): Promise<SimsResult>
}

export interface SweepPool {
  readonly size: number
  /** False once terminated or a worker died: make a new pool. */
  readonly alive: boolean
  /** Loads the series where missing (same object → same id) and the spec into every worker. */
  prepare(series: CandleSeries, spec: SweepSpec): Promise<PreparedSweep>
  /** The robustness report of `rows` (every combo of `spec` on `series`), computed on worker 0. */
  robustness(series: CandleSeries, spec: SweepSpec, rows: Float64Array, opts?: RobustnessOptions): Promise<RobustnessReport>
  terminate(): void
}

/** Plain object for postMessage: drops proxies and class instances (the spec is JSON by design). */
function plain<T>(x: T): T {
  return structuredClone(x)
}

export function createSweepPool(opts: PoolOptions): SweepPool {
  if (!(Number.isInteger(opts.size) && opts.size >= 1)) throw new Error(`worker pool: bad size ${opts.size}`)
  const handles: WorkerHandle[] = []
  let alive = true
  const terminate = (): void => {
    alive = false
    handles.forEach((h) => h.terminate())
  }
  for (let i = 0; i < opts.size; i++) {
    const h = opts.factory()
    h.failed.catch(() => (alive = false))
    handles.push(h)
  }
  const guard = <T>(h: WorkerHandle, p: Promise<T>): Promise<T> => Promise.race([p, h.failed])
  const known = new WeakMap<CandleSeries, { id: number; shared: CandlePayload | undefined }>()
  /** Per worker: series ids it holds, least recently prepared first (its own policy, mirrored). */
  const loaded = handles.map(() => new Map<number, true>())
  let nextId = 1

  /** The series' id, its candles loaded into worker i where missing (and marked most recent). */
  async function load(i: number, series: CandleSeries): Promise<number> {
    let entry = known.get(series)
    if (entry === undefined) {
      entry = { id: nextId++, shared: opts.shareMemory ? packCandles(series, true) : undefined }
      known.set(series, entry)
    }
    const { id, shared } = entry
    const h = handles[i]!
    if (!loaded[i]!.has(id)) {
      const own = shared ? undefined : packCandles(series, false)
      const payload = own ? transfer(own, [own.buffer as ArrayBuffer]) : shared!
      await guard(h, h.api.loadSeries(id, payload))
    }
    const held = loaded[i]!
    held.delete(id)
    held.set(id, true)
    while (held.size > MAX_SERIES_PER_WORKER) held.delete(held.keys().next().value!)
    return id
  }

  async function prepare(series: CandleSeries, rawSpec: SweepSpec): Promise<PreparedSweep> {
    if (!alive) throw new Error('worker pool: terminated')
    const spec = plain(rawSpec)
    const prepared = await Promise.all(handles.map(async (h, i) => guard(h, h.api.prepare(await load(i, series), spec))))
    const head = prepared[0]!
    if (prepared.some((p) => p.comboCount !== head.comboCount || p.pointCount !== head.pointCount)) throw new Error('worker pool: workers disagree on the combo count')
    return {
      sharing: known.get(series)!.shared ? 'shared' : 'copied',
      comboCount: head.comboCount,
      pointCount: head.pointCount,
      plansClasses: head.plansClasses,
      classKeys: (w, a, b) => guard(handles[w]!, handles[w]!.api.classKeys(a, b)),
      runSims: (w, combos) => guard(handles[w]!, handles[w]!.api.runSims(combos)),
    }
  }

  return {
    size: opts.size,
    get alive() {
      return alive
    },
    prepare,
    async robustness(series, rawSpec, rows, ro) {
      if (!alive) throw new Error('worker pool: terminated')
      const id = await load(0, series)
      return guard(handles[0]!, handles[0]!.api.robustness(id, plain(rawSpec), rows, ro))
    },
    terminate,
  }
}
