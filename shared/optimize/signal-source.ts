// Signal sources: give every combo's strategy params a signal id such that equal ids ⇔ identical
// signal arrays over the trading window (exact: ids come from a verifying SignalStore).
// The generic source runs the strategy once per distinct param set; strategies with a fast path
// (ensemble, rsi) share their expensive parts across params (see ensemble-source.ts, rsi-source.ts).
import type { CandleSeries } from '../candles/types.ts'
import type { Params, StrategyDef } from '../strategies/types.ts'
import type { SignalStore } from './signal-store.ts'

export interface SignalSource {
  /** Id of the signals of these (fully resolved) params. */
  idFor(params: Params): number
  /** The signal array of an id (valid until the next call). */
  get(id: number): Int8Array
  /**
   * An exact class key: equal keys ⇒ identical signal arrays over the trading window (not the
   * converse), comparable between workers holding the same series. Absent when the source knows
   * nothing better than "each param set is its own class" (planning then costs nothing).
   */
  readonly classKey?: (params: Params) => string
  /** The params' signals into `out` (series length; only the trading window is meaningful). */
  signalsInto(params: Params, out: Int8Array): void
}

type SignalsInto = (series: CandleSeries, params: Params, out: Int8Array) => void

/** The strategy's own signal computation, into a caller's buffer. */
export function signalsIntoOf(def: StrategyDef): SignalsInto {
  const withInto = def as StrategyDef & { signalsInto?: SignalsInto }
  if (typeof withInto.signalsInto === 'function') return withInto.signalsInto.bind(withInto)
  return (series, params, out) => out.set(def.signals(series, params))
}

export function genericSource(series: CandleSeries, def: StrategyDef, store: SignalStore): SignalSource {
  const into = signalsIntoOf(def)
  const scratch = new Int8Array(series.close.length)
  const getScratch = new Int8Array(series.close.length)
  return {
    idFor(params) {
      into(series, params, scratch)
      return store.intern(scratch, (out) => into(series, params, out))
    },
    get: (id) => store.get(id, getScratch),
    signalsInto: (params, out) => into(series, params, out),
  }
}
