// The one API of a sweep worker: what every sweep worker exposes (a module Web Worker in the lab,
// a worker thread in Node, both through comlink; sweep-worker.ts implements it once), and the
// asynchronous view of it the coordinator calls.
//
// A worker lives across sweeps: candles are loaded once per series (loadSeries) and the worker
// keeps that series' cache (member codes, RSI arrays) so a repeated sweep is warm. Each sweep is
// then prepare → classKeys (exact class labels of a share of the strategy points, for the
// coordinator's global de-duplication) → runSims (the distinct simulations the coordinator hands
// out, with their CSCV block numbers when asked). The robustness report of a finished sweep
// (coordinator/robustness.ts) uses simulate (a few backtests on the worker's own runner: the
// prepared sweep is untouched), planSims (a resumed sweep's simulation plan) and cscvWorse (a
// share of the CSCV's splits).
import type { PboMetric } from '../robust/pbo.ts'
import type { SimPlan } from '../sim-plan.ts'
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
  /** Daily returns of every simulation of the sweep (runner.dayCount). */
  readonly dayCount: number
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
  /** With blocks > 0: combos.length × blocks × PBO_STATS CSCV numbers (runner.runSims's blockStats). */
  readonly blockStats?: Float64Array
}

/** What simulate returns besides the rows. */
export interface SimulateWants {
  /** Each combo's daily returns (combos.length × dayCount). */
  readonly daily?: boolean
  /** CSCV blocks S: each combo's block numbers (combos.length × S × PBO_STATS). */
  readonly blocks?: number
}

export interface SimulateResult extends CacheBuilds {
  readonly rows: Float64Array
  readonly daily?: Float64Array
  readonly blockStats?: Float64Array
}

/** A share of a CSCV: cscvWorse over split pairs [from, to) of the matrix given by its block numbers. */
export interface CscvTask {
  readonly columns: number
  readonly periods: number
  readonly blocks: number
  /** columns × blocks × PBO_STATS (CscvMatrix.stats). */
  readonly stats: Float64Array
  readonly metric: PboMetric
  readonly from: number
  readonly to: number
}

export interface SweepWorkerApi {
  loadSeries(seriesId: number, candles: CandlePayload): LoadResult
  prepare(seriesId: number, spec: SweepSpec): PrepareResult
  classKeys(startPoint: number, endPoint: number): ClassesResult
  /** The prepared sweep's simulations; with blocks > 0 also their CSCV block numbers. */
  runSims(combos: Int32Array, blocks?: number): SimsResult
  /** Backtests of `spec` on its own runner (the prepared sweep is untouched): rows and what `want` asks. */
  simulate(seriesId: number, spec: SweepSpec, combos: Int32Array, want: SimulateWants): SimulateResult
  /** The simulation plan of `spec` (class keys of every strategy point, on this one thread). */
  planSims(seriesId: number, spec: SweepSpec): SimPlan
  /** Strictly-worse counts of split pairs [from, to) (pbo.ts cscvWorse). */
  cscvWorse(task: CscvTask): Int32Array
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
