// The sweep worker's implementation of SweepWorkerApi, written once for every transport: the
// lab's module worker (lab/optimizer/sweep.worker.ts) and the Node worker thread
// (edge/optimize/sweep-worker.ts) only expose it with comlink. Pure: the transport's "transfer
// this buffer" marker is injected, so this file imports no comlink and no platform API.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_COUNT } from '../../metrics/types.ts'
import { SeriesCache } from '../../signals/index.ts'
import { planSims } from '../planned-sweep.ts'
import { robustnessReport } from '../robust/report.ts'
import { createSweepRunner } from '../runner.ts'
import type { SweepRunner } from '../runner.ts'
import { unpackCandles } from './candle-payload.ts'
import { MAX_SERIES_PER_WORKER } from './worker-api.ts'
import type { SweepWorkerApi } from './worker-api.ts'

/** Marks `buffers` of `value` to be moved, not copied, back to the caller (comlink's `transfer`). */
export type TransferMarker = <T>(value: T, buffers: ArrayBuffer[]) => T

export interface SweepWorkerOptions {
  /** Default: none (direct callers keep the buffers). */
  readonly transfer?: TransferMarker
}

export function createSweepWorker(opts: SweepWorkerOptions = {}): SweepWorkerApi {
  const caches = new Map<number, SeriesCache<CandleSeries>>()
  let runner: SweepRunner | undefined
  let current: SeriesCache<CandleSeries> | undefined
  const out: TransferMarker = opts.transfer ?? ((value) => value)
  /** The series' cache, marked most recently used (the pool mirrors this order). */
  const use = (seriesId: number, call: string): SeriesCache<CandleSeries> => {
    const cache = caches.get(seriesId)
    if (cache === undefined) throw new Error(`sweep worker: ${call} before loadSeries(${seriesId})`)
    caches.delete(seriesId)
    caches.set(seriesId, cache)
    return cache
  }
  return {
    loadSeries(seriesId, candles) {
      caches.delete(seriesId)
      caches.set(seriesId, new SeriesCache(unpackCandles(candles)))
      while (caches.size > MAX_SERIES_PER_WORKER) caches.delete(caches.keys().next().value!)
      return { bars: candles.length, sharing: candles.kind }
    },
    prepare(seriesId, spec) {
      const cache = use(seriesId, 'prepare')
      current = cache
      runner = createSweepRunner(cache.series, spec, { cache })
      return { comboCount: runner.comboCount, pointCount: runner.pointCount, plansClasses: runner.plansClasses }
    },
    classKeys(startPoint, endPoint) {
      if (runner === undefined || current === undefined) throw new Error('sweep worker: classKeys before prepare')
      const r = runner.classKeys(startPoint, endPoint)
      return out({ classOf: r.classOf, keys: r.keys, cacheBuilds: current.built }, [r.classOf.buffer as ArrayBuffer])
    },
    runSims(combos) {
      if (runner === undefined || current === undefined) throw new Error('sweep worker: runSims before prepare')
      const rows = new Float64Array(combos.length * METRIC_COUNT)
      runner.runSims(combos, rows)
      return out({ rows, cacheBuilds: current.built }, [rows.buffer])
    },
    robustness(seriesId, spec, rows, ro) {
      const cache = use(seriesId, 'robustness')
      const r = createSweepRunner(cache.series, spec, { cache })
      return robustnessReport(r, planSims(r), rows, ro)
    },
  }
}
