// The optimizer worker's API (comlink). A worker lives across sweeps: candles are loaded once per
// series (loadSeries) and the worker keeps that series' cache (member codes, RSI arrays) so a
// repeated sweep is warm; each sweep is then prepare → classKeys (exact class labels of a share of
// the strategy points, for the page's global de-duplication) → runSims (distinct simulations the
// page hands out). After a sweep, robustness() computes the overfitting report (it re-runs
// backtests, so it belongs in a worker, never on the page's thread). Kept apart from sweep.worker.ts so node tests can call it directly.
import { transfer } from 'comlink'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { createSweepRunner, planSims, robustnessReport, SeriesCache } from '../../shared/optimize/index.ts'
import type { RobustnessOptions, RobustnessReport, SweepRunner, SweepSpec } from '../../shared/optimize/index.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { unpackCandles } from './candle-payload.ts'
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

export interface ClassesResult {
  /** Local class of each point of the range. */
  readonly classOf: Int32Array
  /** Exact key of each local class (equal keys ⇒ identical signals). */
  readonly keys: readonly string[]
}

export interface SimsResult {
  /** combos.length × METRIC_COUNT metrics, in the order asked. */
  readonly rows: Float64Array
  /** Series-cache entries built so far by this worker for this series (a warm sweep adds none). */
  readonly cacheBuilds: number
}

export interface SweepWorkerApi {
  loadSeries(seriesId: number, candles: CandlePayload): LoadResult
  prepare(seriesId: number, spec: SweepSpec): PrepareResult
  classKeys(startPoint: number, endPoint: number): ClassesResult
  runSims(combos: Int32Array): SimsResult
  /** The robustness report of a finished sweep's rows (its own runner; the sweep's is untouched). */
  robustness(seriesId: number, spec: SweepSpec, rows: Float64Array, opts?: RobustnessOptions): RobustnessReport
}

export interface SweepWorkerApiOptions {
  /** Transfer result buffers back (true in a real worker; direct callers keep them). */
  readonly transferResults: boolean
}

/**
 * Series a worker keeps (least recently prepared dropped first); worker-pool.ts mirrors this
 * policy to know which series each worker still holds.
 */
export const MAX_SERIES_PER_WORKER = 2

export function createSweepWorkerApi(opts: SweepWorkerApiOptions = { transferResults: false }): SweepWorkerApi {
  const caches = new Map<number, SeriesCache<CandleSeries>>()
  let runner: SweepRunner | undefined
  let current: SeriesCache<CandleSeries> | undefined
  const out = <T>(value: T, buffers: ArrayBuffer[]): T => (opts.transferResults ? transfer(value, buffers) : value)
  return {
    loadSeries(seriesId, candles) {
      caches.delete(seriesId)
      caches.set(seriesId, new SeriesCache(unpackCandles(candles)))
      while (caches.size > MAX_SERIES_PER_WORKER) caches.delete(caches.keys().next().value!)
      return { bars: candles.length, sharing: candles.kind }
    },
    prepare(seriesId, spec) {
      const cache = caches.get(seriesId)
      if (cache === undefined) throw new Error(`sweep worker: prepare before loadSeries(${seriesId})`)
      caches.delete(seriesId)
      caches.set(seriesId, cache)
      current = cache
      runner = createSweepRunner(cache.series, spec, { cache })
      return { comboCount: runner.comboCount, pointCount: runner.pointCount, plansClasses: runner.plansClasses }
    },
    classKeys(startPoint, endPoint) {
      if (!runner) throw new Error('sweep worker: classKeys before prepare')
      const r = runner.classKeys(startPoint, endPoint)
      return out({ classOf: r.classOf, keys: r.keys }, [r.classOf.buffer as ArrayBuffer])
    },
    runSims(combos) {
      if (!runner || !current) throw new Error('sweep worker: runSims before prepare')
      const rows = new Float64Array(combos.length * METRIC_COUNT)
      runner.runSims(combos, rows)
      return out({ rows, cacheBuilds: current.built }, [rows.buffer])
    },
    robustness(seriesId, spec, rows, opts) {
      const cache = caches.get(seriesId)
      if (cache === undefined) throw new Error(`sweep worker: robustness before loadSeries(${seriesId})`)
      // Most recently used, as prepare does (the page mirrors this order).
      caches.delete(seriesId)
      caches.set(seriesId, cache)
      const r = createSweepRunner(cache.series, spec, { cache })
      return robustnessReport(r, planSims(r), rows, opts)
    },
  }
}
