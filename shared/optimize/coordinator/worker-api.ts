// The one API of a sweep worker: what every sweep worker exposes (a module Web Worker in the lab,
// a worker thread in Node, both through comlink; sweep-worker.ts implements it once), and the
// asynchronous view of it the coordinator calls.
//
// A worker lives across sweeps: candles are loaded once per series (loadSeries) and the worker
// keeps that series' cache (member codes, RSI arrays) so a repeated sweep is warm. Each sweep is
// then prepare → classKeys (exact class labels of a share of the strategy points, for the
// coordinator's global de-duplication) → runSims (the distinct simulations the coordinator hands
// out). robustness() computes a finished sweep's overfitting report (it re-runs backtests, so it
// belongs on a worker).
import type { RobustnessOptions, RobustnessReport } from '../robust/report.ts'
import type { SweepSpec } from '../validate.ts'
import type { CandlePayload } from './candle-payload.ts'

export interface LoadResult {
  readonly bars: number
  readonly sharing: CandlePayload['kind']
}

export interface PrepareResult {
  readonly comboCount: number
  /** Strategy points (combos of the strategy dims). */
  readonly pointCount: number
  /** False: every point is its own class, classKeys is not needed. */
  readonly plansClasses: boolean
}

/** Series-cache entries this worker has built so far for the prepared series (a warm sweep adds none). */
interface CacheBuilds {
  readonly cacheBuilds: number
}

export interface ClassesResult extends CacheBuilds {
  /** Local class of each point of the range. */
  readonly classOf: Int32Array
  /** Exact key of each local class (equal keys ⇒ identical signals). */
  readonly keys: readonly string[]
}

export interface SimsResult extends CacheBuilds {
  /** combos.length × METRIC_COUNT metrics, in the order asked. */
  readonly rows: Float64Array
}

export interface SweepWorkerApi {
  loadSeries(seriesId: number, candles: CandlePayload): LoadResult
  prepare(seriesId: number, spec: SweepSpec): PrepareResult
  classKeys(startPoint: number, endPoint: number): ClassesResult
  runSims(combos: Int32Array): SimsResult
  /** The robustness report of a finished sweep's rows (its own runner; the prepared sweep is untouched). */
  robustness(seriesId: number, spec: SweepSpec, rows: Float64Array, opts?: RobustnessOptions): RobustnessReport
}

/** A worker as the coordinator sees it: every call a round trip (a comlink Remote<SweepWorkerApi> fits). */
export type RemoteSweepWorker = {
  readonly [K in keyof SweepWorkerApi]: (...args: Parameters<SweepWorkerApi[K]>) => Promise<ReturnType<SweepWorkerApi[K]>>
}

/**
 * Series a worker keeps (least recently prepared dropped first); the pool mirrors this policy to
 * know which series each worker still holds.
 */
export const MAX_SERIES_PER_WORKER = 2
