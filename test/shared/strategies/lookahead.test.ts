// The bias suite (design §6): for EVERY registered strategy (a newly registered one is covered
// automatically), signals of the series cut after bar t equal the full run's signals[0..t], with
// default params and random valid params; plus warm-up, output shape and determinism.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { createRng } from '../../../shared/random.ts'
import { defineStrategy, resolveParams, strategies, strategyIds } from '../../../shared/strategies/index.ts'
import type { Params, StrategyDef } from '../../../shared/strategies/index.ts'
import { generateMinuteCandles } from '../../../shared/synthetic/index.ts'
import { findLookahead, randomCuts, randomParams, randomWalkSeries } from './lookahead.ts'

const DAY = 86_400_000
const ORIGIN = Date.UTC(2024, 0, 1)

interface Fixture {
  readonly name: string
  readonly series: CandleSeries
}
// 1m synthetic market (≈ 3 days, with the generator's missing minutes), a tie-heavy 1m random walk
// with gaps, and an hourly walk spanning months (many day boundaries for period rules).
const fixtures: readonly Fixture[] = [
  { name: 'synthetic KRW-BTC 1m', series: generateMinuteCandles({ seed: 11, startPrice: 90_000_000 }, ORIGIN, ORIGIN + 3 * DAY) },
  { name: 'tie-heavy walk 1m', series: randomWalkSeries(21, 4000, { startPrice: 100, tick: 1, sigma: 0.004, gapRate: 0.02 }) },
  { name: 'hourly walk', series: randomWalkSeries(31, 3000, { startPrice: 5000, tick: 5, sigma: 0.01, barMs: 3_600_000 }) },
]

function paramSets(def: StrategyDef, seed: number): Params[] {
  const rng = createRng(seed)
  return [{}, randomParams(def, rng), randomParams(def, rng), randomParams(def, rng)]
}

describe('the look-ahead check itself', () => {
  // A deliberately biased strategy (reads close[t+1]) must be caught.
  const peeking = defineStrategy({
    id: 'peeking',
    version: 1,
    name: 'peeking',
    description: 'test only: +1 if the NEXT close is higher',
    params: [],
    warmup: () => 0,
    compute: (series, _p, out) => {
      const c = series.close
      for (let t = 0; t < c.length; t++) out[t] = t + 1 < c.length && c[t + 1]! > c[t]! ? 1 : -1
    },
  })
  it('finds look-ahead in a strategy that reads the next bar', () => {
    const s = fixtures[1]!.series
    const m = findLookahead(peeking, s, {}, randomCuts(createRng(1), s.close.length, 12))
    expect(m).not.toBeNull()
  })
})

describe('every registered strategy', () => {
  it('the registry holds all seed strategies', () => {
    expect([...strategyIds].sort()).toEqual(
      [
        'day',
        'dual-momentum',
        'engulfing-rsi',
        'ensemble',
        'momentum',
        'price-action',
        'rsi',
        'rsi-macd-cci',
        'scalping',
        'swing',
        'trend',
        'volatility-breakout',
      ].sort(),
    )
  })

  for (const id of strategyIds) {
    const def = strategies[id]!
    describe(id, () => {
      it('has no look-ahead: signals of bars [0..t] never change when later bars are removed', () => {
        for (const [fi, f] of fixtures.entries()) {
          const n = f.series.close.length
          expect(n).toBeGreaterThan(1000)
          for (const [pi, params] of paramSets(def, 1000 + fi).entries()) {
            const cuts = randomCuts(createRng(fi * 100 + pi), n, 12)
            const mismatch = findLookahead(def, f.series, params, cuts)
            expect(mismatch, `${f.name}, params ${JSON.stringify(params)}`).toBeNull()
          }
        }
      })

      it('is 0 before warmup(params), has the series length, values in {−1, 0, +1}, and is deterministic', () => {
        for (const [fi, f] of fixtures.entries()) {
          for (const params of paramSets(def, 2000 + fi)) {
            const a = def.signals(f.series, params)
            const b = def.signals(f.series, params)
            expect(a.length).toBe(f.series.close.length)
            expect(b).toEqual(a)
            const warm = def.warmup(params)
            expect(Number.isInteger(warm) && warm >= 0).toBe(true)
            const early = a.subarray(0, Math.min(warm, a.length)).findIndex((v) => v !== 0)
            expect(early, `first non-zero before warmup ${warm}`).toBe(-1)
            expect(a.findIndex((v) => v !== 1 && v !== 0 && v !== -1)).toBe(-1)
          }
        }
      })

      it('emits both +1 and −1 with default params on the 1m fixtures', () => {
        let long = 0
        let flat = 0
        for (const f of fixtures) {
          for (const v of def.signals(f.series, {})) {
            if (v === 1) long++
            else if (v === -1) flat++
          }
        }
        expect(long).toBeGreaterThan(0)
        expect(flat).toBeGreaterThan(0)
      })

      it('handles empty and one-bar series', () => {
        for (const end of [0, 1, 2]) {
          const s = fixtures[1]!.series
          const cut: CandleSeries = {
            time: s.time.slice(0, end),
            open: s.open.slice(0, end),
            high: s.high.slice(0, end),
            low: s.low.slice(0, end),
            close: s.close.slice(0, end),
            volume: s.volume.slice(0, end),
          }
          expect(def.signals(cut, {}).length).toBe(end)
        }
      })

      it('has a schema whose defaults resolve and whose ids and versions are well formed', () => {
        expect(def.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
        expect(def.version).toBe(1)
        expect(def.description.length).toBeGreaterThan(40)
        const p = resolveParams(def, {})
        expect(Object.keys(p).sort()).toEqual(def.params.map((s) => s.name).sort())
      })
    })
  }
})
