// A pool of optimizer workers (module Web Workers wrapped with comlink). Each worker gets the
// candles once (shared or transferred, see candle-payload.ts) and the sweep spec once, then runs
// chunks on demand. A worker that dies (script error) fails its calls instead of hanging them.
import { transfer, wrap } from 'comlink'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import { packCandles } from './candle-payload.ts'
import type { CandlePayload } from './candle-payload.ts'
import type { ChunkExecutor } from './chunk-scheduler.ts'
import type { LoadResult, RangeResult, SweepWorkerApi } from './sweep-worker-api.ts'

/** The API of one worker, as seen from the page (every method async; a comlink Remote fits). */
export interface WorkerApiHandle {
  load(candles: CandlePayload, spec: SweepSpec): Promise<LoadResult>
  runRange(start: number, end: number): Promise<RangeResult>
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
  readonly series: CandleSeries
  readonly spec: SweepSpec
  /** SharedArrayBuffer for the candles (needs crossOriginIsolated). */
  readonly shareMemory: boolean
}

export interface SweepPool {
  readonly size: number
  readonly sharing: CandlePayload['kind']
  readonly comboCount: number
  readonly executors: readonly ChunkExecutor[]
  terminate(): void
}

/** Plain object for postMessage: drops proxies and class instances (the spec is JSON by design). */
function plain<T>(x: T): T {
  return structuredClone(x)
}

export async function createSweepPool(opts: PoolOptions): Promise<SweepPool> {
  if (!(Number.isInteger(opts.size) && opts.size >= 1)) throw new Error(`worker pool: bad size ${opts.size}`)
  const spec = plain(opts.spec)
  const shared = opts.shareMemory ? packCandles(opts.series, true) : undefined
  const handles: WorkerHandle[] = []
  const terminate = (): void => handles.forEach((h) => h.terminate())
  try {
    for (let i = 0; i < opts.size; i++) handles.push(opts.factory())
    const loads: LoadResult[] = await Promise.all(
      handles.map((h) => {
        const own = shared ? undefined : packCandles(opts.series, false)
        const payload = own ? transfer(own, [own.buffer as ArrayBuffer]) : shared!
        return Promise.race([h.api.load(payload, spec), h.failed])
      }),
    )
    const comboCount = loads[0]!.comboCount
    if (loads.some((l) => l.comboCount !== comboCount)) throw new Error('worker pool: workers disagree on the combo count')
    const executors: ChunkExecutor[] = handles.map((h) => ({
      run: (chunk) => Promise.race([h.api.runRange(chunk.start, chunk.end), h.failed]),
    }))
    return { size: opts.size, sharing: shared ? 'shared' : 'copied', comboCount, executors, terminate }
  } catch (e) {
    terminate()
    throw e
  }
}
