// The contract between a strategy's optimizer fast path and the sweep runner. A strategy
// definition may carry a sweep source factory (StrategyDef.sweepSource); the runner calls it with
// this context and asks the source for signal ids, never which strategy it is. This module sits
// below both shared/strategies and shared/optimize (it imports neither), so a strategy can bring
// its fast path without importing the optimizer. Params are a type parameter for the same reason:
// the strategies' Params type lives above this module.
import type { CandleSeries } from '../candles/types.ts'
import type { SeriesCache } from './series-cache.ts'
import type { SignalStore } from './store.ts'

/**
 * Gives every param set of a sweep a signal id such that equal ids ⇔ identical signal arrays over
 * the trading window (exact: ids come from the verifying SignalStore of the context).
 */
export interface SignalSource<P> {
  /** Id of the signals of these (fully resolved) params. */
  idFor(params: P): number
  /** The signal array of an id (valid until the next call). */
  get(id: number): Int8Array
  /**
   * An exact class key: equal keys ⇒ identical signal arrays over the trading window (not the
   * converse), comparable between workers holding the same series. Absent when the source knows
   * nothing better than "each param set is its own class" (planning then costs nothing).
   */
  readonly classKey?: (params: P) => string
  /** The params' signals into `out` (series length; only the trading window is meaningful). */
  signalsInto(params: P, out: Int8Array): void
}

/** What a sweep source is built from: one per sweep runner (one per worker and sweep). */
export interface SweepContext {
  readonly series: CandleSeries
  /** Interns signal arrays over [fromBar, toBar), the only bars the backtest reads. */
  readonly store: SignalStore
  readonly fromBar: number
  readonly toBar: number
  /** The worker's memo for this very series, kept between sweeps; absent for a one-off runner. */
  readonly cache: SeriesCache | undefined
}
