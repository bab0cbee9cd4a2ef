// The fused one-pass ensemble (shared/strategies/ensemble/fused.ts, behind ensembleStrategy.signals)
// against the member-by-member reference that lives beside it (reference.ts ensembleReferenceInto)
// on many weight / threshold / member-param sets and data sets: synthetic KRW-BTC minutes,
// tie-heavy coarse-grid walks, tiny prices with fractional ticks, near-tie swing data, exact
// scalping boundaries, and untame data (NaN, ≤ 0, Infinity) that must take the fallback.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { createRng } from '../../../../shared/random.ts'
import { fusedEnsembleInto, fusedStart, fusedTable } from '../../../../shared/strategies/ensemble/fused.ts'
import { ensembleReferenceInto, ensembleTable, ensembleWeights, getStrategy, resolveParams } from '../../../../shared/strategies/index.ts'
import type { Params } from '../../../../shared/strategies/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../../../shared/synthetic/index.ts'
import { randomWalkSeries } from '../lookahead.ts'
import { firstDiff, randomEnsembleParams } from './helpers.ts'

const ensemble = getStrategy('ensemble')

function reference(series: CandleSeries, params: Params): Int8Array {
  const out = new Int8Array(series.close.length)
  ensembleReferenceInto(series, resolveParams(ensemble, params), out)
  return out
}

function withClose(series: CandleSeries, close: Float64Array): CandleSeries {
  return { ...series, close }
}

/** Calls the fused kernel directly to prove the fast path (not the fallback) produced the output. */
function fusedRan(series: CandleSeries, params: Params): boolean {
  const p = resolveParams(ensemble, params)
  const t729 = new Int8Array(729)
  const t128 = new Int8Array(128)
  ensembleTable(ensembleWeights(p), p['threshold']!, t729)
  fusedTable(t729, t128)
  const fp = {
    period: p['momentum.period']!,
    short: p['swing.short']!,
    long: p['swing.long']!,
    takeRatio: p['scalping.takeRatio']!,
    stopRatio: p['scalping.stopRatio']!,
    window: p['price-action.window']!,
  }
  const from = fusedStart(fp)
  const out = new Int8Array(series.close.length)
  return fusedEnsembleInto(series.close, fp, t128, from, out)
}

const START_MS = Date.UTC(2025, 0, 1)
const synthetic = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + 30_000 * 60_000)

const dataSets: { name: string; series: CandleSeries }[] = [
  { name: 'synthetic KRW-BTC minutes', series: synthetic },
  { name: 'coarse grid, many exact ties', series: randomWalkSeries(11, 8000, { startPrice: 60, tick: 1, sigma: 0.004 }) },
  { name: 'tiny prices, fractional ticks', series: randomWalkSeries(12, 8000, { startPrice: 0.05, tick: 0.0001, sigma: 0.003 }) },
  { name: 'fractional ties near 1', series: randomWalkSeries(13, 8000, { startPrice: 1, tick: 0.001, sigma: 0.003 }) },
  { name: 'KRW-like, round thousands', series: randomWalkSeries(14, 8000, { startPrice: 1_000_000, tick: 1000, sigma: 0.001 }) },
  { name: 'fast trending, wide range', series: randomWalkSeries(15, 8000, { startPrice: 100, tick: 0.01, sigma: 0.03 }) },
]

describe('fused ensemble equals the member-by-member reference', () => {
  for (const [k, ds] of dataSets.entries()) {
    it(`${ds.name}: defaults and 24 random param sets`, () => {
      const rng = createRng(1000 + k)
      const sets: Params[] = [{}]
      for (let r = 0; r < 24; r++) sets.push(randomEnsembleParams(rng, r % 3 === 2))
      for (const params of sets) {
        expect(fusedRan(ds.series, params), JSON.stringify(params)).toBe(true)
        const got = ensemble.signals(ds.series, params)
        const want = reference(ds.series, params)
        const t = firstDiff(got, want)
        if (t >= 0) expect.fail(`${JSON.stringify(params)}: t=${t} got ${got[t]} want ${want[t]}`)
      }
    })
  }

  it('series shorter than, equal to and just past the warm-up', () => {
    const base = randomWalkSeries(21, 400, { startPrice: 50, tick: 0.5, sigma: 0.01 })
    for (const n of [0, 1, 2, 3, 4, 5, 6, 19, 20, 21, 22, 199, 200, 201, 202, 203, 399]) {
      const s = withClose(base, base.close.slice(0, n))
      const sets: Params[] = [{}, { 'swing.long': 3, 'swing.short': 2, 'momentum.period': 1, 'price-action.window': 3 }]
      for (const params of sets) {
        expect([...ensemble.signals(s, params)], `n=${n}`).toEqual([...reference(s, params)])
      }
    }
  })

  it('anchor-block boundaries and long series (several 1024-bar blocks)', () => {
    const s = randomWalkSeries(22, 5000, { startPrice: 2000, tick: 1, sigma: 0.002 })
    const sets: Params[] = [
      {},
      { 'swing.short': 200, 'swing.long': 3 },
      { 'swing.short': 129, 'swing.long': 200, 'price-action.window': 2000 },
    ]
    for (const params of sets) {
      expect(firstDiff(ensemble.signals(s, params), reference(s, params))).toBe(-1)
    }
  })

  it('bars two at a time: odd and even segment lengths, records on either bar of a pair', () => {
    // Windows 3..8 make price-action blocks of 2..7 bars (a record on nearly every pair, both
    // positions); lengths around the 1024-bar anchor block cut the last pair at every parity.
    const base = randomWalkSeries(28, 1100, { startPrice: 500, tick: 0.5, sigma: 0.004 })
    for (const n of [40, 41, 42, 43, 1043, 1044, 1045, 1046, 1100]) {
      const s = withClose(base, base.close.slice(0, n))
      for (const window of [3, 4, 5, 6, 7, 8, 21, 22]) {
        const sets: Params[] = [
          { 'price-action.window': window },
          { 'price-action.window': window, 'swing.short': 3, 'swing.long': 4, 'momentum.period': 1 },
        ]
        for (const params of sets) {
          expect(fusedRan(s, params)).toBe(true)
          const t = firstDiff(ensemble.signals(s, params), reference(s, params))
          if (t >= 0) expect.fail(`n=${n}, ${JSON.stringify(params)}: first difference at t=${t}`)
        }
      }
    }
  })

  it('consecutive calls with other weights or thresholds never reuse a stale decision table', () => {
    const s = randomWalkSeries(29, 3000, { startPrice: 80, tick: 0.1, sigma: 0.004 })
    const sets: Params[] = [
      {},
      { 'w.price-action': 0 },
      { 'w.price-action': 0, threshold: 0.5 },
      { threshold: 0.5 },
      {},
      { 'w.trend': 0.5, 'w.day': 0, 'w.swing': 0 },
      {},
    ]
    for (const params of sets) {
      expect(firstDiff(ensemble.signals(s, params), reference(s, params)), JSON.stringify(params)).toBe(-1)
    }
  })

  it('swing near-ties: constant and periodic closes force the exact numpy path', () => {
    const n = 3000
    const close = new Float64Array(n)
    for (let i = 0; i < n; i++) close[i] = [0.1, 0.2, 0.3, 0.1, 0.7][i % 5]! + (i > 1500 ? 1e-13 * (i % 3) : 0)
    const s = withClose(randomWalkSeries(23, n), close)
    const sets: Params[] = [{}, { 'swing.short': 5, 'swing.long': 10 }, { 'swing.short': 10, 'swing.long': 20 }]
    for (const params of sets) {
      expect(fusedRan(s, params)).toBe(true)
      expect(firstDiff(ensemble.signals(s, params), reference(s, params))).toBe(-1)
    }
  })

  it('×20 jumps inside anchor blocks: the block is redone with its exact max', () => {
    const base = randomWalkSeries(26, 5000, { startPrice: 100, tick: 0.01, sigma: 0.002 })
    const sets: Params[] = [{}, { 'swing.short': 3, 'swing.long': 50, 'price-action.window': 53 }, { 'price-action.window': 23 }]
    for (const jumpAt of [2100, 2300, 2500, 2700, 2950, 3100]) {
      const close = base.close.slice()
      for (let i = jumpAt; i < close.length; i++) close[i] = close[i]! * 20
      for (let i = jumpAt + 1500; i < jumpAt + 1503; i++) close[i] = close[i]! * 50
      const s = withClose(base, close)
      for (const params of sets) {
        expect(fusedRan(s, params)).toBe(true)
        const t = firstDiff(ensemble.signals(s, params), reference(s, params))
        if (t >= 0) expect.fail(`jump at ${jumpAt}, ${JSON.stringify(params)}: first difference at t=${t}`)
      }
    }
  })

  it('falls of ×20 and more inside a price-action window: closes under the prefix max are within the swing bound', () => {
    // Bars inside their block's prefix range skip the per-bar bound check; after a deep fall and a
    // recovery within one anchor block those closes sit far above 8× the look-back max, so the
    // bound must have been raised to the prefix max.
    const base = randomWalkSeries(27, 12_000, { startPrice: 1000, tick: 1, sigma: 0.002 })
    const sets: Params[] = [{}, { 'price-action.window': 1000 }, { 'swing.short': 2, 'swing.long': 90, 'price-action.window': 400 }]
    for (const [period, factor] of [
      [700, 1 / 20],
      [300, 1 / 30],
      [900, 1 / 9],
    ] as const) {
      const close = base.close.slice()
      for (let i = 0; i < close.length; i++) if (Math.floor(i / period) % 2 === 1) close[i] = Math.max(1, Math.round(close[i]! * factor))
      const s = withClose(base, close)
      for (const params of sets) {
        expect(fusedRan(s, params)).toBe(true)
        const t = firstDiff(ensemble.signals(s, params), reference(s, params))
        if (t >= 0) expect.fail(`fall ×${factor} every ${period} bars, ${JSON.stringify(params)}: first difference at t=${t}`)
      }
    }
  })

  it('scalping boundaries: changes of exactly ±ratio on round prices', () => {
    const n = 2000
    const close = new Float64Array(n)
    let v = 1_000_000
    const rng = createRng(24)
    for (let i = 0; i < n; i++) {
      const step = [-1000, 1000, 0, -2000, 2000, 500][rng.int(6)]!
      v = Math.max(100_000, v + step)
      close[i] = v
    }
    const s = withClose(randomWalkSeries(24, n), close)
    for (const ratio of [0, 0.0005, 0.001, 0.002]) {
      const params = {
        'scalping.takeRatio': ratio,
        'scalping.stopRatio': ratio,
        'w.scalping': 1,
        'w.trend': 0,
        'w.day': 0,
        'w.momentum': 0,
        'w.swing': 0,
        'w.price-action': 0,
        threshold: 0.5,
      }
      expect(firstDiff(ensemble.signals(s, params), reference(s, params))).toBe(-1)
    }
  })

  it('untame closes (NaN, 0, negative, Infinity) take the fallback and still match', () => {
    const base = randomWalkSeries(25, 3000, { startPrice: 100, tick: 0.1, sigma: 0.003 })
    const cases: [number, number][] = [
      [10, Number.NaN],
      [1500, 0],
      [2000, -5],
      [2999, Number.POSITIVE_INFINITY],
      [3, Number.NEGATIVE_INFINITY],
    ]
    for (const [i, v] of cases) {
      const close = base.close.slice()
      close[i] = v
      const s = withClose(base, close)
      expect(fusedRan(s, {})).toBe(false)
      expect(firstDiff(ensemble.signals(s, {}), reference(s, {}))).toBe(-1)
    }
  })
})
