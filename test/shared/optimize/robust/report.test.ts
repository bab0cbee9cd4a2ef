import { describe, it, expect } from 'vitest'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../../../shared/metrics/types.ts'
import { createSweepRunner, dayCountOf, planSims, runPlannedSweep } from '../../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import {
  expectedMaxSharpe,
  PBO_STATS,
  planReport,
  probabilityOfOverfitting,
  robustnessReport,
  sampleColumns,
  sweepRobustness,
} from '../../../../shared/optimize/robust/index.ts'
import { probabilityOfOverfittingReference } from '../../../../shared/optimize/robust/pbo-reference.ts'
import { rankRows } from '../../../../shared/optimize/objective.ts'
import { createRng } from '../../../../shared/random.ts'
import { defineStrategy, registerStrategy } from '../../../../shared/strategies/index.ts'
import { paramSpec } from '../../../../shared/strategies/params.ts'
import { DEFAULT_ORIGIN_MS } from '../../../../shared/synthetic/index.ts'
import { minuteSeries } from '../helpers.ts'

const BAR_MS = 4 * 3_600_000

/** 4-hour bars whose log returns follow an AR(1) with coefficient `phi` (0 = a random walk). */
function arSeries(seed: number, bars: number, phi: number): CandleSeries {
  const rng = createRng(seed)
  const time = new Float64Array(bars),
    open = new Float64Array(bars),
    high = new Float64Array(bars)
  const low = new Float64Array(bars),
    close = new Float64Array(bars),
    volume = new Float64Array(bars).fill(1)
  let p = 100_000
  let r = 0
  for (let i = 0; i < bars; i++) {
    r = phi * r + 0.01 * rng.normal()
    const o = p
    p = p * Math.exp(r)
    time[i] = DEFAULT_ORIGIN_MS + i * BAR_MS
    open[i] = o
    close[i] = p
    high[i] = Math.max(o, p) * 1.0005
    low[i] = Math.min(o, p) * 0.9995
  }
  return { time, open, high, low, close, volume }
}

/** Integer hash → [0, 1): the noise strategies' coin (look-ahead free: a function of (seed, t)). */
function coin(seed: number, t: number): number {
  let z = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b)) >>> 0
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39) >>> 0
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296
}

// variant 0: long after an up bar (the real edge on an AR(1) > 0 series); variant k ≥ 1: coin flips.
registerStrategy(
  defineStrategy({
    id: 'test-noise-or-edge',
    version: 1,
    name: 'test: momentum or noise',
    description: 'variant 0: +1 after an up bar, −1 after a down bar; variant k: seeded coin flips per bar',
    params: [paramSpec('variant', { default: 1, min: 0, max: 10_000, step: 1, unit: 'id', integer: true })],
    warmup: () => 1,
    compute: (series, p, out) => {
      const v = p.variant!
      out[0] = 0
      for (let t = 1; t < out.length; t++) {
        out[t] = v === 0 ? (series.close[t]! > series.close[t - 1]! ? 1 : -1) : coin(v, t) < 0.5 ? 1 : -1
      }
    },
  }),
)

const frictionless = {
  ...DEFAULT_EXEC_CONFIG,
  feeRate: 0,
  slippageRate: 0,
  orderType: 'market' as const,
  minOrderQuote: 0,
  sizing: { kind: 'all-in' as const, feeBufferRate: 0 },
}

function variants(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

const smallEnsemble: SweepSpec = {
  strategyId: 'ensemble',
  baseParams: { 'price-action.window': 30 },
  grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5] },
  exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
}

describe('robustness report on a real sweep', () => {
  const series = minuteSeries(21, 20 * 1440)
  const sweep = runPlannedSweep(series, smallEnsemble)

  it('counts distinct simulations as trials and reports sane, deterministic figures', () => {
    const r = sweepRobustness(series, smallEnsemble, sweep.rows)
    // Zero weights make several combos one simulation: trials must be simCount, not comboCount.
    expect(sweep.sims.simCount).toBeLessThan(sweep.plan.comboCount)
    expect(r.simCount).toBe(sweep.sims.simCount)
    expect(r.dsr.trials).toBe(sweep.sims.simCount)
    expect(r.best).not.toBeNull()
    const best = r.best!
    expect(best.score).toBe(sweep.rows[best.combo * METRIC_COUNT + METRIC_INDEX.sharpe])
    // The per-day Sharpe from the re-run daily returns is the row's annualised Sharpe / √365.
    expect(r.dsr.sharpeAnnual).toBeCloseTo(best.score, 9)
    expect(r.dsr.observations).toBe(dayCountOf(series, 0, series.close.length))
    expect(r.dsr.observations).toBeGreaterThanOrEqual(20)
    // SR₀ from the distinct trials' per-day Sharpe variance; with comboCount it would be larger.
    expect(r.dsr.expectedMaxSharpe).toBeCloseTo(expectedMaxSharpe(sweep.sims.simCount, r.dsr.sharpeVariance), 15)
    expect(r.dsr.expectedMaxSharpe).toBeLessThan(expectedMaxSharpe(sweep.plan.comboCount, r.dsr.sharpeVariance))
    // Per-day variance: annualised Sharpe values are O(1), per-day ones O(1/√365).
    const annual = Array.from(
      { length: sweep.sims.simCount },
      (_, s) => sweep.rows[sweep.sims.repOf[s]! * METRIC_COUNT + METRIC_INDEX.sharpe]!,
    ).filter(Number.isFinite)
    const mean = annual.reduce((a, b) => a + b, 0) / annual.length
    const varAnnual = annual.reduce((a, b) => a + (b - mean) ** 2, 0) / (annual.length - 1)
    expect(r.dsr.sharpeVariance).toBeCloseTo(varAnnual / 365, 12)
    expect(r.dsr.dsr).toBeLessThanOrEqual(r.dsr.psr)
    expect(r.dsr.dsr).toBeGreaterThanOrEqual(0)
    expect(r.dsr.psr).toBeLessThanOrEqual(1)
    // 20 days → 16 blocks do not fit (2 days each needs 32): lowered to 10, said so.
    expect(r.pbo.blocks).toBe(10)
    expect(r.pbo.note).toMatch(/10 blocks/)
    expect(r.pbo.pbo).toBeGreaterThanOrEqual(0)
    expect(r.pbo.pbo).toBeLessThanOrEqual(1)
    expect(r.pbo.splits).toBe(252)
    expect(r.pbo.columns).toBe(r.pbo.candidates)
    expect(r.pbo.logits.min).toBeLessThanOrEqual(r.pbo.logits.median)
    expect(r.pbo.logits.median).toBeLessThanOrEqual(r.pbo.logits.max)
    expect(r.plateau.peak).toBe(best.score)
    expect(r.plateau.neighbours).toBeGreaterThanOrEqual(2)
    // Deterministic: the same inputs give the same report.
    expect(sweepRobustness(series, smallEnsemble, sweep.rows)).toEqual(r)
  })

  it('takes the best combo under the constraints, and reports NaN when nothing ranks', () => {
    const constrained = { ...smallEnsemble, constraints: { minTrades: 1 } }
    const r = sweepRobustness(series, constrained, sweep.rows)
    expect(sweep.rows[r.best!.combo * METRIC_COUNT + METRIC_INDEX.trades]).toBeGreaterThanOrEqual(1)
    const none = sweepRobustness(series, { ...smallEnsemble, constraints: { minTrades: 1e9 } }, sweep.rows)
    expect(none.best).toBeNull()
    expect(Number.isNaN(none.dsr.dsr)).toBe(true)
    expect(Number.isNaN(none.pbo.pbo)).toBe(true)
    expect(none.note).toMatch(/no combo ranks/)
  })

  it('refuses rows of another sweep', () => {
    const runner = createSweepRunner(series, smallEnsemble)
    const sims = planSims(runner)
    const wrong = sweep.rows.slice()
    const best = sweepRobustness(series, smallEnsemble, sweep.rows).best!.combo
    wrong[best * METRIC_COUNT + METRIC_INDEX.trades] = 12345
    expect(() => robustnessReport(runner, sims, wrong)).toThrow(/other trades/)
  })

  it('block sums kept by the sweep (all, some or none) give the plain re-run report, bit for bit', () => {
    const runner = createSweepRunner(series, smallEnsemble)
    const sims = planSims(runner)
    const plainReport = robustnessReport(runner, sims, sweep.rows)
    const blocks = 10
    const stats = new Float64Array(sims.simCount * blocks * PBO_STATS)
    runner.runSims(sims.repOf, new Float64Array(sims.simCount * METRIC_COUNT), { blocks, stats })
    const all = { blocks, days: runner.dayCount, stats, known: new Uint8Array(sims.simCount).fill(1) }
    expect(robustnessReport(runner, sims, sweep.rows, {}, all)).toStrictEqual(plainReport)
    const some = { ...all, known: Uint8Array.from({ length: sims.simCount }, (_, s) => s % 2) }
    expect(robustnessReport(runner, sims, sweep.rows, {}, some)).toStrictEqual(plainReport)
    // Kept for another S: not used.
    expect(robustnessReport(runner, sims, sweep.rows, {}, { ...all, blocks: 8 })).toStrictEqual(plainReport)
    // A column marked unusable (a non-finite daily return) makes PBO NaN and names the first such one.
    const rp = planReport(runner.plan, sims, sweep.rows, runner.dayCount)
    const marked = stats.slice()
    for (const k of [3, 1]) marked[rp.columns[k]! * blocks * PBO_STATS] = NaN
    const bad = robustnessReport(runner, sims, sweep.rows, {}, { ...all, stats: marked })
    expect(Number.isNaN(bad.pbo.pbo)).toBe(true)
    expect(bad.pbo.note).toBe(`simulation ${rp.columns[1]} has a daily return that is not finite (or beyond ±1e100)`)
    expect(bad.dsr).toStrictEqual(plainReport.dsr)
  })

  it('too few days for CSCV: PBO is NaN with a reason, DSR still computed', () => {
    const short = minuteSeries(21, 5 * 1440)
    const s = runPlannedSweep(short, smallEnsemble)
    const r = sweepRobustness(short, smallEnsemble, s.rows)
    expect(Number.isNaN(r.pbo.pbo)).toBe(true)
    expect(r.pbo.note).toMatch(/too few/)
    expect(r.dsr.observations).toBe(5)
    expect(Number.isFinite(r.dsr.psr)).toBe(true)
  })
})

describe('robustness report: overfit grid vs a genuine edge', () => {
  // 240 days of 4-hour bars; 120 coin-flip variants.
  const bars = 240 * 6

  it('coin flips on a random walk: PBO high, DSR low (selection explains the best Sharpe)', () => {
    const series = arSeries(7, bars, 0)
    const spec: SweepSpec = { strategyId: 'test-noise-or-edge', grid: { variant: variants(1, 120) }, exec: frictionless }
    const sweep = runPlannedSweep(series, spec)
    const r = sweepRobustness(series, spec, sweep.rows)
    expect(r.dsr.trials).toBe(120)
    expect(r.pbo.blocks).toBe(16)
    expect(r.pbo.splits).toBe(12870)
    expect(r.pbo.columns).toBe(120)
    // The IS-best coin flip is a coin flip out of sample: PBO near 1/2 or above, never near 0.
    expect(r.pbo.pbo).toBeGreaterThan(0.3)
    expect(r.pbo.logits.median).toBeLessThan(0)
    // The best of 120 noise Sharpes is about what 120 unskilled trials are expected to reach.
    expect(r.dsr.psr).toBeGreaterThan(0.8)
    expect(r.dsr.dsr).toBeLessThan(0.8)
    // …but not ~0, which an annualised Sharpe variance (× 365) would give.
    expect(r.dsr.dsr).toBeGreaterThan(0.2)
    expect(r.dsr.expectedMaxSharpe).toBeGreaterThan(0.05)
    // Plateau: neighbouring variants are unrelated noise, the peak stands alone.
    expect(r.plateau.fragility).toBeGreaterThan(0.5)
  })

  it('the same noise plus a real edge on an autocorrelated series: PBO low, DSR high', () => {
    const series = arSeries(7, bars, 0.25)
    const spec: SweepSpec = { strategyId: 'test-noise-or-edge', grid: { variant: variants(0, 120) }, exec: frictionless }
    const sweep = runPlannedSweep(series, spec)
    const r = sweepRobustness(series, spec, sweep.rows)
    expect(r.best!.combo).toBe(0)
    expect(r.dsr.trials).toBe(121)
    expect(r.pbo.pbo).toBeLessThan(0.05)
    expect(r.pbo.logits.median).toBeGreaterThan(3)
    expect(r.dsr.dsr).toBeGreaterThan(0.99)
  })

  it('PBO is the exact CSCV over every candidate (each ranking distinct simulation)', () => {
    const series = arSeries(7, bars, 0)
    const spec: SweepSpec = { strategyId: 'test-noise-or-edge', grid: { variant: variants(1, 120) }, exec: frictionless }
    const sweep = runPlannedSweep(series, spec)
    // 8 blocks so the plain reference (pbo-reference.ts) is quick.
    const r = sweepRobustness(series, spec, sweep.rows, { pboBlocks: 8 })
    expect(r.pbo.columns).toBe(120)
    expect(r.pbo.candidates).toBe(120)
    expect(r.pbo.note).toBeUndefined()
    // The same matrix by hand: every ranking distinct simulation's daily returns, in simulation order.
    const runner = createSweepRunner(series, spec)
    const sims = planSims(runner)
    const simRows = new Float64Array(sims.simCount * METRIC_COUNT)
    for (let k = 0; k < sims.simCount; k++)
      simRows.set(sweep.rows.subarray(sims.repOf[k]! * METRIC_COUNT, (sims.repOf[k]! + 1) * METRIC_COUNT), k * METRIC_COUNT)
    const simIds = rankRows(simRows, sims.simCount, { objective: runner.plan.objective }).slice().sort()
    const days = runner.dayCount
    const daily = new Float64Array(simIds.length * days)
    runner.runSimsDaily(
      Int32Array.from(simIds, (k) => sims.repOf[k]!),
      new Float64Array(simIds.length * METRIC_COUNT),
      daily,
    )
    const cols = Array.from(simIds, (_, k) => daily.subarray(k * days, (k + 1) * days))
    const ref = probabilityOfOverfittingReference(cols, 8)
    expect(r.pbo.pbo).toBe(ref.pbo)
    expect(r.pbo.splits).toBe(70)
  })

  it('above maxColumns: a seeded uniform sample, said so in the note', () => {
    const series = arSeries(7, bars, 0.25)
    const spec: SweepSpec = { strategyId: 'test-noise-or-edge', grid: { variant: variants(0, 120) }, exec: frictionless }
    const sweep = runPlannedSweep(series, spec)
    const r = sweepRobustness(series, spec, sweep.rows, { maxColumns: 40 })
    expect(r.pbo.columns).toBe(40)
    expect(r.pbo.candidates).toBe(121)
    expect(r.pbo.note).toMatch(/40 of 121 candidates: a uniform random sample \(seed 1\)/)
    expect(r.pbo.pbo).toBeGreaterThanOrEqual(0)
    expect(r.pbo.pbo).toBeLessThanOrEqual(1)
    expect(sweepRobustness(series, spec, sweep.rows, { maxColumns: 40 })).toEqual(r)
    expect(sweepRobustness(series, spec, sweep.rows, { maxColumns: 40, sampleSeed: 2 }).pbo.note).toMatch(/seed 2/)
    expect(() => sweepRobustness(series, spec, sweep.rows, { pboBlocks: 22 })).toThrow(/pboBlocks/)
  })
})

describe('sampleColumns', () => {
  it('keeps everything up to the cap, else a uniform sample without replacement, ascending', () => {
    expect(Array.from(sampleColumns(5, 10, 1))).toEqual([0, 1, 2, 3, 4])
    expect(Array.from(sampleColumns(5, 5, 1))).toEqual([0, 1, 2, 3, 4])
    const p = sampleColumns(12_584, 512, 1)
    expect(p.length).toBe(512)
    expect(new Set(p).size).toBe(512)
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!)
    expect(p[0]!).toBeGreaterThanOrEqual(0)
    expect(p[511]!).toBeLessThan(12_584)
    expect(Array.from(sampleColumns(12_584, 512, 1))).toEqual(Array.from(p))
    expect(Array.from(sampleColumns(12_584, 512, 2))).not.toEqual(Array.from(p))
    // Every index equally likely: 3 of 10 over 3,000 seeds, 900 picks each expected (sd ≈ 25).
    const hits = new Int32Array(10)
    for (let seed = 0; seed < 3000; seed++) for (const i of sampleColumns(10, 3, seed)) hits[i]!++
    for (const h of hits) expect(Math.abs(h - 900)).toBeLessThan(120)
  })
})

describe('fast CSCV equals the direct definition', () => {
  it('same PBO and logits as recomputing each split from the raw periods', () => {
    const rng = createRng(3)
    const cols = Array.from({ length: 9 }, (_, j) =>
      Float64Array.from({ length: 50 }, () => 0.001 * j * 0 + 0.01 * rng.normal() + (j === 4 ? 0.002 : 0)),
    )
    const blocks = 6
    const blockLen = Math.floor(50 / blocks)
    const perf = (c: Float64Array, bs: number[]): number => {
      const xs = bs.flatMap((b) => Array.from(c.subarray(b * blockLen, (b + 1) * blockLen)))
      const m = xs.reduce((a, b) => a + b, 0) / xs.length
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1))
      return m / sd
    }
    const r = probabilityOfOverfitting(cols, blocks, 'sharpe')
    let k = 0
    let below = 0
    for (let a = 0; a < blocks; a++)
      for (let b = a + 1; b < blocks; b++)
        for (let c = b + 1; c < blocks; c++) {
          const is = [a, b, c]
          const oos = [0, 1, 2, 3, 4, 5].filter((x) => !is.includes(x))
          const isP = cols.map((col) => perf(col, is))
          const best = isP.indexOf(Math.max(...isP))
          const oosP = cols.map((col) => perf(col, oos))
          const worse = oosP.filter((p) => p < oosP[best]!).length
          const w = (worse + 1) / (cols.length + 1)
          const lambda = Math.log(w / (1 - w))
          expect(r.logits[k]).toBeCloseTo(lambda, 12)
          if (lambda <= 0) below++
          k++
        }
    expect(k).toBe(20)
    expect(r.pbo).toBe(below / 20)
  })
})
