// The sweep pool's worker thread. Keeps, per candle series (shared through SharedArrayBuffer), a
// SeriesCache between sweeps (member codes, RSI arrays: what makes a repeated sweep warm) and one
// SweepRunner per sweep; answers class-key and simulation requests (rows transferred back).
import { parentPort } from 'node:worker_threads'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { createSweepRunner, SeriesCache } from '../../shared/optimize/index.ts'
import type { SweepRunner } from '../../shared/optimize/index.ts'
import { MAX_SERIES_PER_WORKER } from './protocol.ts'
import type { ToWorker, FromWorker } from './protocol.ts'

const port = parentPort
if (port === null) throw new Error('sweep-worker.ts must run in a worker thread')

const caches = new Map<number, SeriesCache<CandleSeries>>()
let runner: SweepRunner | undefined
let current: SeriesCache<CandleSeries> | undefined

function reply(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer)
}

function handle(msg: ToWorker): void {
  if (msg.kind === 'series') {
    caches.delete(msg.seriesId)
    caches.set(msg.seriesId, new SeriesCache(msg.series))
    while (caches.size > MAX_SERIES_PER_WORKER) caches.delete(caches.keys().next().value!)
    reply({ kind: 'stored', seriesId: msg.seriesId })
  } else if (msg.kind === 'prepare') {
    const cache = caches.get(msg.seriesId)
    if (cache === undefined) throw new Error(`prepare: unknown series ${msg.seriesId}`)
    caches.delete(msg.seriesId)
    caches.set(msg.seriesId, cache)
    current = cache
    runner = createSweepRunner(cache.series, msg.spec, { cache })
    reply({ kind: 'prepared', comboCount: runner.comboCount, pointCount: runner.pointCount, plansClasses: runner.plansClasses })
  } else if (msg.kind === 'classes') {
    if (runner === undefined) throw new Error('classes before prepare')
    const { classOf, keys } = runner.classKeys(msg.start, msg.end)
    reply({ kind: 'classes', start: msg.start, classOf, keys, cacheBuilds: current!.built }, [classOf.buffer as ArrayBuffer])
  } else {
    if (runner === undefined) throw new Error('sims before prepare')
    const rows = new Float64Array(msg.combos.length * METRIC_COUNT)
    runner.runSims(msg.combos, rows)
    reply({ kind: 'rows', rows, cacheBuilds: current!.built }, [rows.buffer])
  }
}

port.on('message', (msg: ToWorker) => {
  try {
    handle(msg)
  } catch (e) {
    reply({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})
