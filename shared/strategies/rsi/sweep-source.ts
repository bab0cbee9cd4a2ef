// The RSI cross's optimizer fast path (rsiStrategy.sweepSource). The per-bar rule is the
// strategy's own (rule.ts rsiCrossInto); the event lists below rebuild it, and property tests
// check the whole path against the strategy.
// - RSI(close, period) is computed once per period and shared by every (oversold, overbought) pair.
// - For the runSims path the crossings are kept as event lists: the bars where RSI crosses up
//   through a level, per (period, oversold), and down through a level, per (period, overbought).
//   A pair's signals are then its two lists written into a buffer whose previous events are
//   erased (O(events), not O(bars)); up and down crossings never share a bar (one needs
//   r[t] > r[t−1], the other r[t] < r[t−1]), so the result is exactly the per-bar rule.
// RSI arrays and event lists live in the per-series cache, so warm sweeps skip them.
import { rsi } from '../../indicators/index.ts'
import { SeriesCache } from '../../signals/index.ts'
import type { SignalSource, SweepContext } from '../../signals/index.ts'
import type { KernelStrategyDef } from '../define.ts'
import type { Params } from '../types.ts'
import { rsiCrossInto } from './rule.ts'

/** Bars t ≥ 1 where r crosses up through `level` (r[t−1] < level ≤ r[t]). */
export function crossUpBars(r: Float64Array, level: number): Int32Array {
  const out: number[] = []
  for (let t = 1; t < r.length; t++) if (r[t - 1]! < level && level <= r[t]!) out.push(t)
  return Int32Array.from(out)
}

/** Bars t ≥ 1 where r crosses down through `level` (r[t−1] > level ≥ r[t]). */
export function crossDownBars(r: Float64Array, level: number): Int32Array {
  const out: number[] = []
  for (let t = 1; t < r.length; t++) if (r[t - 1]! > level && level >= r[t]!) out.push(t)
  return Int32Array.from(out)
}

export function rsiSweepSource(ctx: SweepContext, def: KernelStrategyDef): SignalSource<Params> {
  const { series, store } = ctx
  const n = series.close.length
  // A one-off runner has no worker cache: a private one still shares RSI across its param sets.
  const cache = ctx.cache ?? new SeriesCache(series, 64 * 1024 * 1024)
  const scratch = new Int8Array(n)
  const getScratch = new Int8Array(n)
  const rsiOf = (period: number): Float64Array => cache.memo(`rsi:${period}`, n * 8, () => rsi(series.close, period))
  const listBytes = (a: Int32Array): number => a.byteLength + 64
  const upOf = (period: number, lo: number): Int32Array =>
    cache.memo(`rsi.up:${period}:${lo}`, listBytes, () => crossUpBars(rsiOf(period), lo))
  const downOf = (period: number, hi: number): Int32Array =>
    cache.memo(`rsi.down:${period}:${hi}`, listBytes, () => crossDownBars(rsiOf(period), hi))
  // The event buffer: all zero except the events written last (`written`).
  const events = new Int8Array(n)
  let written: Int32Array[] = []
  return {
    idFor(params: Params) {
      rsiCrossInto(rsiOf(params.period!), params.oversold!, params.overbought!, scratch)
      return store.intern(scratch, (out) => def.signalsInto(series, params, out))
    },
    get: (id) => store.get(id, getScratch),
    signalsInto(params, out) {
      const up = upOf(params.period!, params.oversold!)
      const down = downOf(params.period!, params.overbought!)
      for (const list of written) for (let i = 0; i < list.length; i++) events[list[i]!] = 0
      for (let i = 0; i < up.length; i++) events[up[i]!] = 1
      for (let i = 0; i < down.length; i++) events[down[i]!] = -1
      written = [up, down]
      out.set(events)
    },
  }
}
