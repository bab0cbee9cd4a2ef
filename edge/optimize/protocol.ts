// Messages between the Node sweep pool and its worker threads. Every request gets exactly one
// answer (or an 'error'), in order, so the pool keeps one FIFO of pending calls per worker.
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'

/**
 * Series a worker keeps (least recently prepared dropped first). The pool mirrors this policy to
 * know which series each worker still holds.
 */
export const MAX_SERIES_PER_WORKER = 2

export type ToWorker =
  /** Candles in SharedArrayBuffers, sent once per series and worker; the worker keeps its cache. */
  | { readonly kind: 'series'; readonly seriesId: number; readonly series: CandleSeries }
  | { readonly kind: 'prepare'; readonly seriesId: number; readonly spec: SweepSpec }
  | { readonly kind: 'classes'; readonly start: number; readonly end: number }
  | { readonly kind: 'sims'; readonly combos: Int32Array }

/** cacheBuilds: the worker's series cache builds so far (a warm sweep adds none). */
export type FromWorker =
  | { readonly kind: 'stored'; readonly seriesId: number }
  | { readonly kind: 'prepared'; readonly comboCount: number; readonly pointCount: number; readonly plansClasses: boolean }
  | { readonly kind: 'classes'; readonly start: number; readonly classOf: Int32Array; readonly keys: readonly string[]; readonly cacheBuilds: number }
  | { readonly kind: 'rows'; readonly rows: Float64Array; readonly cacheBuilds: number }
  | { readonly kind: 'error'; readonly message: string }
