// RSI fast path: RSI(close, period) is computed once per period and shared by every (oversold,
// overbought) pair; the crossing rule is then one pass over the cached array. The rule repeats
// shared/strategies/rsi-cross.ts exactly (+1 if r[t−1] < oversold ≤ r[t]; −1 if r[t−1] > overbought
// ≥ r[t]; else 0; NaN compares false), and the property test checks it against the strategy.
import type { CandleSeries } from '../candles/types.ts'
import { rsi } from '../indicators/index.ts'
import type { Params, StrategyDef } from '../strategies/types.ts'
import type { SignalSource } from './signal-source.ts'
import { signalsIntoOf } from './signal-source.ts'
import type { SignalStore } from './signal-store.ts'

export function rsiCrossInto(r: Float64Array, lo: number, hi: number, out: Int8Array): void {
  const n = out.length
  if (n > 0) out[0] = 0
  for (let t = 1; t < n; t++) {
    const r0 = r[t - 1]!
    const r1 = r[t]!
    out[t] = r0 < lo && lo <= r1 ? 1 : r0 > hi && hi >= r1 ? -1 : 0
  }
}

export function rsiSource(series: CandleSeries, def: StrategyDef, store: SignalStore, maxCached = 32): SignalSource {
  const n = series.close.length
  const into = signalsIntoOf(def)
  const cache = new Map<number, Float64Array>()
  const scratch = new Int8Array(n)
  const getScratch = new Int8Array(n)
  const rsiOf = (period: number): Float64Array => {
    let r = cache.get(period)
    if (r === undefined) {
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value!)
      r = rsi(series.close, period)
      cache.set(period, r)
    }
    return r
  }
  return {
    idFor(params: Params) {
      rsiCrossInto(rsiOf(params.period!), params.oversold!, params.overbought!, scratch)
      return store.intern(scratch, (out) => into(series, params, out))
    },
    get: (id) => store.get(id, getScratch),
  }
}
