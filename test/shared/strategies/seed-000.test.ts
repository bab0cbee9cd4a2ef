// Seed 000 strategies: hand-worked examples, the seed bot's own Python (numpy) output recorded in
// fixtures/seed000-golden.json, and a straightforward TypeScript port of bot/strategies.py
// (recomputing on the last 200 closes at every bar) compared bar for bar on 20k bars.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { createRng } from '../../../shared/random.ts'
import {
  combineEnsemble,
  combineEnsembleCodes,
  ensembleCodes,
  getStrategy,
  numpyMean,
  numpyPairwiseSum,
  resolveParams,
  SEED_MEMBER_IDS,
  seedMemberSignals,
} from '../../../shared/strategies/index.ts'
import type { Params, StrategyDef } from '../../../shared/strategies/index.ts'
import { randomWalkSeries } from './lookahead.ts'

function closesSeries(closes: readonly number[]): CandleSeries {
  const n = closes.length
  const c = Float64Array.from(closes)
  return {
    time: Float64Array.from({ length: n }, (_, i) => i * 60_000),
    open: c.slice(),
    high: c.slice(),
    low: c.slice(),
    close: c,
    volume: new Float64Array(n).fill(1),
  }
}

function strat(id: string): StrategyDef {
  const def = getStrategy(id)
  if (def === undefined) throw new Error(`missing strategy ${id}`)
  return def
}

const run = (id: string, closes: readonly number[], params: Params = {}): number[] => [...strat(id).signals(closesSeries(closes), params)]

describe('seed 000: hand-worked examples', () => {
  const closes = [10, 11, 11, 10, 12, 12.5, 9, 9]
  it('trend and day: +1 up, −1 down or equal, 0 at t=0', () => {
    expect(run('trend', closes)).toEqual([0, 1, -1, -1, 1, 1, -1, -1])
    expect(run('day', closes)).toEqual([0, 1, -1, -1, 1, 1, -1, -1])
  })
  it('momentum(period 2)', () => {
    expect(run('momentum', closes, { period: 2 })).toEqual([0, 0, 1, -1, 1, 1, -1, -1])
  })
  it('scalping(take 0.05, stop 0.05)', () => {
    expect(run('scalping', closes, { takeRatio: 0.05, stopRatio: 0.05 })).toEqual([0, 1, 0, -1, 1, 0, -1, 0])
  })
  it('scalping: 0 when the previous close is ≤ 0 or not finite', () => {
    expect(run('scalping', [0, 5, -1, 3, Number.NaN, 4, Number.POSITIVE_INFINITY, 4], { takeRatio: 0, stopRatio: 0 })).toEqual([
      0, 0, -1, 0, 0, 0, 0, 0,
    ])
  })
  it('price-action with the default 200 window and with window 3', () => {
    expect(run('price-action', closes)).toEqual([0, 0, 0, 0, 1, 1, -1, 0])
    expect(run('price-action', closes, { window: 3 })).toEqual([0, 0, 0, -1, 1, 1, -1, 0])
  })
  it('price-action: a NaN among the previous closes gives 0 (np.max is NaN)', () => {
    expect(run('price-action', [5, 6, Number.NaN, 7, 8, 1, 9], { window: 3 })).toEqual([0, 0, 0, 0, 0, -1, 1])
  })
  it('swing(short 2, long 3): equal means give −1', () => {
    expect(run('swing', closes, { short: 2, long: 3 })).toEqual([0, 0, 1, -1, -1, 1, -1, -1])
  })
  it('ensemble: all weights 1, threshold 0.2, small member params', () => {
    const p = {
      'momentum.period': 2,
      'swing.short': 2,
      'swing.long': 3,
      'scalping.takeRatio': 0.05,
      'scalping.stopRatio': 0.05,
      'price-action.window': 3,
    }
    expect(run('ensemble', closes, p)).toEqual([0, 0, 0, -1, 1, 1, -1, -1])
  })
  it('ensemble: only trend at 0.5 with threshold 0.5 follows trend from t=2', () => {
    const p = { 'w.trend': 0.5, 'w.momentum': 0, 'w.swing': 0, 'w.scalping': 0, 'w.day': 0, 'w.price-action': 0, threshold: 0.5 }
    expect(run('ensemble', closes, p)).toEqual([0, 0, -1, -1, 1, 1, -1, -1])
  })
})

interface GoldenCase {
  name: string
  closes: number[]
  memberParams: Record<string, number>
  weights: Record<string, number>
  threshold: number
  signals: Record<string, string>
}
interface Golden {
  cases: GoldenCase[]
  sums: { values: number[]; sum: number; mean: number }[]
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/seed000-golden.json', import.meta.url), 'utf8')) as Golden
const decode = (s: string): number[] => [...s].map((ch) => (ch === '+' ? 1 : ch === '-' ? -1 : 0))

describe('numpy summation order', () => {
  it('numpyPairwiseSum and numpyMean equal numpy 2.x bit for bit (recorded)', () => {
    expect(golden.sums.length).toBeGreaterThan(10)
    for (const s of golden.sums) {
      expect(numpyPairwiseSum(s.values, 0, s.values.length)).toBe(s.sum)
      expect(numpyMean(s.values, 0, s.values.length)).toBe(s.mean)
    }
  })
  it('differs from a plain left-to-right sum where numpy does (so the order matters)', () => {
    const tenths = new Array<number>(10).fill(0.1)
    expect(tenths.reduce((a, b) => a + b, 0)).toBe(0.9999999999999999)
    expect(numpyPairwiseSum(tenths, 0, 10)).toBe(1)
  })
})

describe('seed 000 vs the seed bot (numpy, recorded golden output)', () => {
  for (const c of golden.cases) {
    it(`case ${c.name}: every member and the ensemble, bar for bar`, () => {
      const series = closesSeries(c.closes)
      const mp = c.memberParams
      const memberParams: Record<string, Params> = {
        trend: {},
        day: {},
        momentum: { period: mp['momentum.period']! },
        swing: { short: mp['swing.short']!, long: mp['swing.long']! },
        scalping: { takeRatio: mp['scalping.takeRatio']!, stopRatio: mp['scalping.stopRatio']! },
        'price-action': {},
      }
      for (const id of SEED_MEMBER_IDS) {
        const key = id === 'price-action' ? 'price_action' : id
        expect([...strat(id).signals(series, memberParams[id]!)], `${c.name}/${id}`).toEqual(decode(c.signals[key]!))
      }
      const p: Record<string, number> = { ...mp, threshold: c.threshold }
      for (const [k, w] of Object.entries(c.weights)) p[`w.${k === 'price_action' ? 'price-action' : k}`] = w
      expect([...strat('ensemble').signals(series, p)]).toEqual(decode(c.signals['ensemble']!))
    })
  }
})

// ---- A literal TypeScript port of bot/strategies.py, recomputed per bar on the last 200 closes.
interface PortParams {
  period: number
  short: number
  long: number
  take: number
  stop: number
  weights: number[] // SEED_MEMBER_IDS order
  threshold: number
}
function portMembers(p: number[], q: PortParams): number[] {
  const n = p.length
  const last = p[n - 1]!
  const trend = n < 2 ? 0 : last > p[n - 2]! ? 1 : -1
  const momentum = n <= q.period ? 0 : last - p[n - q.period - 1]! > 0 ? 1 : -1
  const swing = n < Math.max(q.short, q.long) ? 0 : numpyMean(p, n - q.short, q.short) > numpyMean(p, n - q.long, q.long) ? 1 : -1
  let scalping = 0
  if (n >= 2) {
    const prev = p[n - 2]!
    if (!(prev <= 0 || !Number.isFinite(prev) || !Number.isFinite(last))) {
      const change = (last - prev) / prev
      scalping = change >= Math.abs(q.take) ? 1 : change <= -Math.abs(q.stop) ? -1 : 0
    }
  }
  let pa = 0
  if (n >= 3) {
    const prev = p.slice(0, n - 1)
    const mx = Math.max(...prev)
    const mn = Math.min(...prev)
    pa = last > mx ? 1 : last < mn ? -1 : 0
  }
  return [trend, momentum, swing, scalping, trend, pa]
}
function portRun(closes: Float64Array, q: PortParams): { members: number[][]; ensemble: number[] } {
  const members: number[][] = SEED_MEMBER_IDS.map(() => [])
  const ensemble: number[] = []
  for (let t = 0; t < closes.length; t++) {
    const p = Array.from(closes.subarray(Math.max(0, t - 199), t + 1))
    const s = portMembers(p, q)
    s.forEach((v, k) => members[k]!.push(v))
    let score = 0
    for (let k = 0; k < 6; k++) score += q.weights[k]! * s[k]!
    ensemble.push(p.length < 3 ? 0 : score >= q.threshold ? 1 : score <= -q.threshold ? -1 : 0)
  }
  return { members, ensemble }
}

describe('seed 000 vs a literal per-bar port of bot/strategies.py on 20k bars', () => {
  const sets: { name: string; walk: Parameters<typeof randomWalkSeries>[2]; q: PortParams }[] = [
    {
      name: 'defaults, KRW-like prices',
      walk: { startPrice: 50_000_000, tick: 1000, sigma: 0.001 },
      q: { period: 5, short: 5, long: 20, take: 0.001, stop: 0.001, weights: [1, 1, 1, 1, 1, 1], threshold: 0.2 },
    },
    {
      name: 'fractional ties',
      walk: { startPrice: 1, tick: 0.001, sigma: 0.003 },
      q: { period: 9, short: 8, long: 24, take: 0.0005, stop: 0.002, weights: [0.5, 1, 0.5, 0, 1, 0.5], threshold: 0.35 },
    },
    {
      name: 'long > 128 (recursive pairwise), short > long',
      walk: { startPrice: 250.5, tick: 0.05, sigma: 0.002 },
      q: { period: 100, short: 160, long: 129, take: 0, stop: 0.0015, weights: [0, 0.5, 1, 0.5, 0.5, 1], threshold: 0.05 },
    },
    {
      name: 'coarse grid, many exact ties',
      walk: { startPrice: 60, tick: 1, sigma: 0.004 },
      q: { period: 1, short: 2, long: 200, take: 0.02, stop: 0.02, weights: [1, 0, 1, 0, 1, 0.5], threshold: 0.5 },
    },
  ]
  for (const [i, s] of sets.entries()) {
    it(s.name, () => {
      const series = randomWalkSeries(100 + i, 20_000, s.walk)
      const want = portRun(series.close, s.q)
      const params = resolveParams(strat('ensemble'), {
        'momentum.period': s.q.period,
        'swing.short': s.q.short,
        'swing.long': s.q.long,
        'scalping.takeRatio': s.q.take,
        'scalping.stopRatio': s.q.stop,
        threshold: s.q.threshold,
        ...Object.fromEntries(SEED_MEMBER_IDS.map((id, k) => [`w.${id}`, s.q.weights[k]!])),
      })
      const members = seedMemberSignals(series, params)
      members.forEach((m, k) => expect([...m], SEED_MEMBER_IDS[k]).toEqual(want.members[k]))
      expect([...strat('ensemble').signals(series, params)]).toEqual(want.ensemble)
      // Each member through its own registered strategy gives the same array.
      expect([...strat('swing').signals(series, { short: s.q.short, long: s.q.long })]).toEqual(want.members[2])
    })
  }
})

describe('ensemble building blocks', () => {
  it('combineEnsemble and combineEnsembleCodes match the strategy for random weights', () => {
    const rng = createRng(7)
    const series = randomWalkSeries(5, 3000)
    const def = strat('ensemble')
    const base = resolveParams(def, {})
    const members = seedMemberSignals(series, base)
    const codes = new Uint16Array(series.close.length)
    ensembleCodes(members, codes)
    const out = new Int8Array(series.close.length)
    const out2 = new Int8Array(series.close.length)
    for (let r = 0; r < 20; r++) {
      const weights = SEED_MEMBER_IDS.map(() => rng.int(3) * 0.5)
      const threshold = 0.05 * (1 + rng.int(10))
      const p = {
        ...base,
        threshold: Number(threshold.toFixed(2)),
        ...Object.fromEntries(SEED_MEMBER_IDS.map((id, k) => [`w.${id}`, weights[k]!])),
      }
      combineEnsemble(members, weights, p.threshold, out)
      combineEnsembleCodes(codes, weights, p.threshold, out2)
      const want = def.signals(series, p)
      expect(out).toEqual(want)
      expect(out2).toEqual(want)
    }
  })
  it('rejects a wrong number of members or weights', () => {
    const out = new Int8Array(4)
    const m = new Int8Array(4)
    expect(() => combineEnsemble([m, m, m], [1, 1, 1, 1, 1, 1], 0.2, out)).toThrow(/6 member arrays/)
    expect(() => combineEnsemble([m, m, m, m, m, m], [1, 1], 0.2, out)).toThrow(/6 weights/)
  })
})

describe('price-action kernel vs brute force', () => {
  it('matches a per-bar max/min scan for many windows, with NaNs and ties', () => {
    const series = randomWalkSeries(77, 5000, { startPrice: 50, tick: 1, sigma: 0.01 })
    const close = series.close.slice()
    for (const i of [10, 11, 600, 2500, 4999]) close[i] = Number.NaN
    const s: CandleSeries = { ...series, close }
    for (const window of [3, 4, 7, 50, 199, 200, 201, 1000, 2000]) {
      const got = strat('price-action').signals(s, { window })
      for (let t = 0; t < close.length; t++) {
        let want = 0
        if (t >= 2) {
          let mx = Number.NEGATIVE_INFINITY
          let mn = Number.POSITIVE_INFINITY
          for (let i = Math.max(0, t - window + 1); i < t; i++) {
            mx = Math.max(mx, close[i]!)
            mn = Math.min(mn, close[i]!)
          }
          want = close[t]! > mx ? 1 : close[t]! < mn ? -1 : 0
        }
        if (got[t] !== want) expect.fail(`window ${window}, t=${t}: got ${got[t]}, want ${want}`)
      }
    }
  })
})

describe('swing near-ties', () => {
  it('summation order matters on fractional prices, and swing follows numpy, not a naive mean', () => {
    const close = randomWalkSeries(101, 20_000, { startPrice: 1, tick: 0.001, sigma: 0.003 }).close
    const got = strat('swing').signals(closesSeries([...close]), { short: 8, long: 24 })
    let naiveDiffers = 0
    for (let t = 23; t < close.length; t++) {
      let a = 0
      let b = 0
      for (let i = t - 7; i <= t; i++) a += close[i]!
      for (let i = t - 23; i <= t; i++) b += close[i]!
      const naive = a / 8 > b / 24 ? 1 : -1
      const numpy = numpyMean(close, t - 7, 8) > numpyMean(close, t - 23, 24) ? 1 : -1
      if (naive !== numpy) naiveDiffers++
      if (got[t] !== numpy) expect.fail(`t=${t}: got ${got[t]}, numpy order gives ${numpy}`)
    }
    expect(naiveDiffers).toBeGreaterThan(0)
  })
})
