// The ensemble's optimizer fast path (shared/strategies/ensemble/sweep-source.ts) against the plain
// path: its signals, ids and class keys against the strategy's signals() on random params and
// windows, and whole sweeps against the runner's plain signals (signals: 'plain') on random grids
// over weights, threshold, member params and exec params.
import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import type { GridSpec, GridValues, SweepSpec } from '../../../../shared/optimize/index.ts'
import { createRng } from '../../../../shared/random.ts'
import { SeriesCache, SignalStore } from '../../../../shared/signals/index.ts'
import { getStrategy, resolveParams, SEED_MEMBER_IDS } from '../../../../shared/strategies/index.ts'
import type { Params } from '../../../../shared/strategies/index.ts'
import { minuteSeries } from '../../optimize/helpers.ts'
import { expectFastEqualsPlain } from '../sweep-helpers.ts'
import { randomEnsembleParams } from './helpers.ts'

const ensemble = getStrategy('ensemble')

function sameOver(a: Int8Array, b: Int8Array, from: number, to: number): boolean {
  for (let t = from; t < to; t++) if (a[t] !== b[t]) return false
  return true
}

describe('ensemble sweep source equals the strategy', () => {
  it('signalsInto, idFor/get and class keys on random params, member groups and windows', () => {
    for (let trial = 0; trial < 4; trial++) {
      const rng = createRng(800 + trial)
      const series = minuteSeries(80 + trial, 1500 + rng.int(1500))
      const n = series.close.length
      const fromBar = rng.int(300)
      const toBar = n - rng.int(300)
      // Few member-param sets (so groups are reused and evicted: maxGroups is 16), many weights.
      const members = Array.from({ length: 3 }, () => randomEnsembleParams(rng, false))
      const cache = trial % 2 === 0 ? new SeriesCache(series) : undefined
      const src = ensemble.sweepSource!({ series, store: new SignalStore(fromBar, toBar, 1 << 22), fromBar, toBar, cache })
      const seen: { key: string; id: number; want: Int8Array }[] = []
      const out = new Int8Array(n)
      for (let k = 0; k < 40; k++) {
        const weighted = randomEnsembleParams(rng, k % 3 === 2)
        const p: Params = resolveParams(ensemble, {
          ...members[rng.int(members.length)]!,
          threshold: weighted['threshold']!,
          ...Object.fromEntries(SEED_MEMBER_IDS.map((id) => [`w.${id}`, weighted[`w.${id}`]!])),
        })
        const want = ensemble.signals(series, p)
        out.fill(7) // garbage: the window must be overwritten, the rest zeroed
        src.signalsInto(p, out)
        expect(sameOver(out, want, fromBar, toBar), JSON.stringify(p)).toBe(true)
        expect(out.subarray(0, fromBar).every((v) => v === 0) && out.subarray(toBar).every((v) => v === 0)).toBe(true)
        const id = src.idFor(p)
        expect(sameOver(src.get(id), want, fromBar, toBar)).toBe(true)
        const key = src.classKey!(p)
        for (const s of seen) {
          // Equal keys ⇒ equal signals; equal signals ⇔ equal ids (the store is exact).
          if (s.key === key) expect(s.id).toBe(id)
          expect(s.id === id).toBe(sameOver(s.want, want, fromBar, toBar))
        }
        seen.push({ key, id, want })
      }
    }
  })
})

describe('ensemble sweeps: fast path equals plain signals', () => {
  it('random grids over weights, threshold, member params and exec params, random windows', () => {
    for (let trial = 0; trial < 4; trial++) {
      const rng = createRng(900 + trial)
      const series = minuteSeries(90 + trial, 1500 + rng.int(1500))
      const n = series.close.length
      const grid: Record<string, GridValues> = {}
      const weightIds = SEED_MEMBER_IDS.filter(() => rng.next() < 0.5)
      for (const id of weightIds.length > 0 ? weightIds : SEED_MEMBER_IDS.slice(0, 2)) grid[`w.${id}`] = [0, 0.5, 1]
      grid.threshold = { min: 0.05 * (1 + rng.int(3)), max: 0.5, step: 0.15 }
      const memberDims: [string, number[]][] = [
        ['momentum.period', [1 + rng.int(5), 6 + rng.int(20)]],
        ['swing.short', [2 + rng.int(5), 8 + rng.int(20)]],
        ['swing.long', [3 + rng.int(10), 20 + rng.int(40)]],
        ['scalping.takeRatio', [0, 0.0005 * (1 + rng.int(4))]],
        ['price-action.window', [3 + 10 * rng.int(3), 53 + 10 * rng.int(10)]],
      ]
      for (const [k, v] of memberDims) if (rng.next() < 0.4) grid[k] = v
      if (rng.next() < 0.5) grid.stopLossRate = [0, 0.005]
      const spec: SweepSpec = {
        strategyId: 'ensemble',
        grid: grid as GridSpec,
        exec: DEFAULT_EXEC_CONFIG,
        fromBar: rng.int(250),
        toBar: n - rng.int(250),
      }
      expectFastEqualsPlain(series, spec)
    }
  })
})
