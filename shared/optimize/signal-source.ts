// The generic signal source: the optimizer's path for a strategy that brings no sweep source of
// its own (and for every strategy when the runner is asked for plain signals). It runs the
// strategy once per distinct param set; ids come from a verifying SignalStore, so equal ids ⇔
// identical signal arrays over the trading window. Strategies with a fast path share their
// expensive parts across params instead (StrategyDef.sweepSource, shared/signals/source.ts).
import type { CandleSeries } from '../candles/types.ts'
import type { SignalSource, SignalStore } from '../signals/index.ts'
import type { Params, StrategyDef } from '../strategies/types.ts'

type SignalsInto = (series: CandleSeries, params: Params, out: Int8Array) => void

/** The strategy's own signal computation, into a caller's buffer. */
function signalsIntoOf(def: StrategyDef): SignalsInto {
  const into = def.signalsInto
  if (into !== undefined) return into.bind(def)
  return (series, params, out) => out.set(def.signals(series, params))
}

export function genericSource(series: CandleSeries, def: StrategyDef, store: SignalStore): SignalSource<Params> {
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
