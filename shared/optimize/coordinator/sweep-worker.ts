// The sweep worker's implementation of SweepWorkerApi, written once for every transport: the
// lab's module worker (lab/optimizer/sweep.worker.ts) and the Node worker thread
// (edge/optimize/sweep-worker.ts) only expose it with comlink. Pure: the transport's "transfer
// this buffer" marker is injected, so this file imports no comlink and no platform API.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_COUNT } from '../../metrics/types.ts'
import { SeriesCache } from '../../signals/index.ts'
import { planSims } from '../planned-sweep.ts'
import { CscvMatrix, cscvWorse, PBO_STATS } from '../robust/pbo.ts'
import { createSweepRunner } from '../runner.ts'
import type { SweepRunner } from '../runner.ts'
import type { StrategyResolver, SweepSpec } from '../validate.ts'
import { unpackCandles } from './candle-payload.ts'
import { stableStringify } from './sweep-id.ts'
import { MAX_SERIES_PER_WORKER } from './worker-api.ts'
import type { SweepWorkerApi } from './worker-api.ts'

/** Marks `buffers` of `value` to be moved, not copied, back to the caller (comlink's `transfer`). */
export type TransferMarker = <T>(value: T, buffers: ArrayBuffer[]) => T

export interface SweepWorkerOptions {
  /** Default: none (direct callers keep the buffers). */
  readonly transfer?: TransferMarker
  /**
   * How a spec's strategy is found (default: the built-in registry). A worker that runs user
   * strategies injects its sandbox's definitions by source hash (lab/optimizer/user-sweep.ts).
   */
  readonly resolveStrategy?: StrategyResolver
}

export function createSweepWorker(opts: SweepWorkerOptions = {}): SweepWorkerApi {
  const caches = new Map<number, SeriesCache<CandleSeries>>()
  let runner: SweepRunner | undefined
  let current: SeriesCache<CandleSeries> | undefined
  const out: TransferMarker = opts.transfer ?? ((value) => value)
  /** The report's runner (simulate, planSims): the last one made, kept while its series and spec are asked again. */
  let side: { key: string; runner: SweepRunner } | undefined
  const sideRunner = (seriesId: number, spec: SweepSpec, call: string): SweepRunner => {
    const cache = use(seriesId, call)
    const key = `${seriesId} ${stableStringify(spec)}`
    if (side?.key !== key) side = { key, runner: createSweepRunner(cache.series, spec, { cache, resolveStrategy: opts.resolveStrategy }) }
    return side.runner
  }
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
      side = undefined
      while (caches.size > MAX_SERIES_PER_WORKER) caches.delete(caches.keys().next().value!)
      return { bars: candles.length, sharing: candles.kind }
    },
    prepare(seriesId, spec) {
      const cache = use(seriesId, 'prepare')
      current = cache
      runner = createSweepRunner(cache.series, spec, { cache, resolveStrategy: opts.resolveStrategy })
      return { comboCount: runner.comboCount, pointCount: runner.pointCount, plansClasses: runner.plansClasses, dayCount: runner.dayCount }
    },
    classKeys(startPoint, endPoint) {
      if (runner === undefined || current === undefined) throw new Error('sweep worker: classKeys before prepare')
      const r = runner.classKeys(startPoint, endPoint)
      return out({ classOf: r.classOf, keys: r.keys, cacheBuilds: current.built }, [r.classOf.buffer as ArrayBuffer])
    },
    runSims(combos, blocks = 0) {
      if (runner === undefined || current === undefined) throw new Error('sweep worker: runSims before prepare')
      const rows = new Float64Array(combos.length * METRIC_COUNT)
      if (blocks === 0) {
        runner.runSims(combos, rows)
        return out({ rows, cacheBuilds: current.built }, [rows.buffer])
      }
      const blockStats = new Float64Array(combos.length * blocks * PBO_STATS)
      runner.runSims(combos, rows, { blocks, stats: blockStats })
      return out({ rows, blockStats, cacheBuilds: current.built }, [rows.buffer, blockStats.buffer])
    },
    simulate(seriesId, spec, combos, want) {
      const r = sideRunner(seriesId, spec, 'simulate')
      const rows = new Float64Array(combos.length * METRIC_COUNT)
      const daily = want.daily === true ? new Float64Array(combos.length * r.dayCount) : undefined
      const blocks = want.blocks ?? 0
      const blockStats = blocks > 0 ? new Float64Array(combos.length * blocks * PBO_STATS) : undefined
      const bs = blockStats === undefined ? undefined : { blocks, stats: blockStats }
      if (daily !== undefined) r.runSimsDaily(combos, rows, daily, bs)
      else r.runSims(combos, rows, bs)
      const buffers = [rows, daily, blockStats].filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer)
      const cacheBuilds = caches.get(seriesId)!.built
      return out({ rows, ...(daily ? { daily } : {}), ...(blockStats ? { blockStats } : {}), cacheBuilds }, buffers)
    },
    planSims(seriesId, spec) {
      const p = planSims(sideRunner(seriesId, spec, 'planSims'))
      return out(p, [p.simOf.buffer, p.repOf.buffer, p.combosOf.buffer] as ArrayBuffer[])
    },
    cscvWorse(task) {
      const m = CscvMatrix.fromStats(task.columns, task.periods, task.blocks, task.stats)
      const worse = cscvWorse(m, task.metric, task.from, task.to)
      return out(worse, [worse.buffer as ArrayBuffer])
    },
  }
}
