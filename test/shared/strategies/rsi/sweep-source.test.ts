// The RSI cross's optimizer fast path (shared/strategies/rsi/sweep-source.ts) against the plain
// path: its crossing lists against the per-bar rule, its signals against the strategy, and whole
// sweeps against the runner's plain signals (signals: 'plain') on random grids and windows.
import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import { createRng } from '../../../../shared/random.ts'
import { SeriesCache, SignalStore } from '../../../../shared/signals/index.ts'
import { getStrategy } from '../../../../shared/strategies/index.ts'
import { rsiCrossInto } from '../../../../shared/strategies/rsi/index.ts'
import { crossDownBars, crossUpBars } from '../../../../shared/strategies/rsi/sweep-source.ts'
import { minuteSeries } from '../../optimize/helpers.ts'
import { expectFastEqualsPlain } from '../sweep-helpers.ts'

const rsiDef = getStrategy('rsi')

describe('rsi sweep source event lists', () => {
  it('crossing lists rebuild the per-bar rule exactly, NaN included', () => {
    const rng = createRng(3)
    const r = Float64Array.from({ length: 500 }, (_, i) => (i < 7 || i % 97 === 0 ? Number.NaN : 100 * rng.next()))
    for (const [lo, hi] of [
      [30, 70],
      [20, 80],
      [50, 50],
      [45, 40],
    ] as const) {
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

  it('signalsInto and idFor/get equal the strategy for any sequence of params (previous events erased)', () => {
    const series = minuteSeries(8, 1500)
    const n = series.close.length
    for (const cache of [new SeriesCache(series), undefined]) {
      const src = rsiDef.sweepSource!({ series, store: new SignalStore(0, n, 1 << 20), fromBar: 0, toBar: n, cache })
      const rng = createRng(9)
      const out = new Int8Array(n)
      for (let k = 0; k < 25; k++) {
        const params = { period: 2 + rng.int(20), oversold: 20 + 2 * rng.int(11), overbought: 60 + 2 * rng.int(11) }
        const want = rsiDef.signals(series, params)
        out.fill(7) // garbage: signalsInto must overwrite every bar
        src.signalsInto(params, out)
        expect(out).toEqual(want)
        expect(src.get(src.idFor(params))).toEqual(want)
      }
    }
  })
})

describe('rsi sweeps: fast path equals plain signals', () => {
  it('random period × oversold × overbought × exec grids and windows', () => {
    for (let trial = 0; trial < 4; trial++) {
      const rng = createRng(700 + trial)
      const series = minuteSeries(70 + trial, 1500 + rng.int(1500))
      const n = series.close.length
      const periods = [2 + rng.int(8), 10 + rng.int(20)]
      const spec: SweepSpec = {
        strategyId: 'rsi',
        grid: {
          period: periods,
          oversold: { min: 5 + 5 * rng.int(3), max: 45, step: 10 },
          overbought: [50 + 5 * rng.int(4), 70 + 5 * rng.int(5)],
          stopLossRate: [0, 0.005 * (1 + rng.int(3))],
        },
        exec: DEFAULT_EXEC_CONFIG,
        fromBar: rng.int(200),
        toBar: n - rng.int(200),
      }
      expectFastEqualsPlain(series, spec)
    }
  })
})
