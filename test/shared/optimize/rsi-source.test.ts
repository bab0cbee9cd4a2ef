import { describe, expect, it } from 'vitest'
import { crossDownBars, crossUpBars, rsiSource } from '../../../shared/optimize/rsi-source.ts'
import { rsiCrossInto } from '../../../shared/strategies/rsi-cross.ts'
import { SeriesCache } from '../../../shared/optimize/series-cache.ts'
import { SignalStore } from '../../../shared/optimize/signal-store.ts'
import { createRng } from '../../../shared/random.ts'
import { strategies } from '../../../shared/strategies/index.ts'
import { minuteSeries } from './helpers.ts'

describe('rsi source event lists', () => {
  it('crossing lists rebuild the per-bar rule exactly, NaN included', () => {
    const rng = createRng(3)
    const r = Float64Array.from({ length: 500 }, (_, i) => (i < 7 || i % 97 === 0 ? Number.NaN : 100 * rng.next()))
    for (const [lo, hi] of [[30, 70], [20, 80], [50, 50], [45, 40]] as const) {
      const want = new Int8Array(r.length)
      rsiCrossInto(r, lo, hi, want)
      const got = new Int8Array(r.length)
      for (const t of crossUpBars(r, lo)) got[t] = 1
      for (const t of crossDownBars(r, hi)) {
        expect(got[t]).toBe(0) // never the same bar as an up crossing
        got[t] = -1
      }
      expect(got).toEqual(want)
    }
  })

  it('signalsInto equals the strategy for any sequence of params (previous events erased)', () => {
    const series = minuteSeries(8, 1500)
    const def = strategies.rsi!
    const n = series.close.length
    const src = rsiSource(series, def, new SignalStore(0, n, 1 << 20), new SeriesCache(series))
    const rng = createRng(9)
    const out = new Int8Array(n)
    for (let k = 0; k < 25; k++) {
      const params = { period: 2 + rng.int(20), oversold: 20 + 2 * rng.int(11), overbought: 60 + 2 * rng.int(11) }
      out.fill(7) // garbage: signalsInto must overwrite every bar
      src.signalsInto(params, out)
      expect(out).toEqual(def.signals(series, params))
    }
  })
})
