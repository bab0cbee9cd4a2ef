// Public entry of the signals module: what a sweep needs to treat signal arrays as values (exact
// interning, a per-series memo) and the SignalSource contract through which a strategy's own fast
// path serves the optimizer. Imports neither shared/strategies nor shared/optimize.
export { SeriesCache } from './series-cache.ts'
export type { SignalSource, SweepContext } from './source.ts'
export { SignalStore } from './store.ts'
