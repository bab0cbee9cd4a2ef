// Property test: every fast path (shared signals, ensemble decision tables, exact row copies, and
// the pools' globally de-duplicated path: class keys → simulation plan → runSims → row copies)
// gives the same rows as a plain runBacktest per combo.
import { describe, it, expect } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import type { ExecConfig } from '../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { comboAt, createSweepRunner, runPlannedSweep, runSweep, SeriesCache } from '../../../shared/optimize/index.ts'
import type { GridSpec, SweepSpec } from '../../../shared/optimize/index.ts'
import { createRng } from '../../../shared/random.ts'
import type { Rng } from '../../../shared/random.ts'
import type { SignalSource } from '../../../shared/signals/index.ts'
import { defineStrategy, registerStrategy, strategies } from '../../../shared/strategies/index.ts'
import type { Params } from '../../../shared/strategies/index.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { minuteSeries, sameMetric } from './helpers.ts'

function pick<T>(rng: Rng, xs: readonly T[], k: number): T[] {
  const pool = [...xs]
  const out: T[] = []
  while (out.length < k && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0]!)
  return out
}

function checkAgainstPlain(series: CandleSeries, spec: SweepSpec): { simulated: number; copied: number } {
  const res = runSweep(series, spec)
  // The planned path, with a warm series cache on its second run.
  const cache = new SeriesCache(series)
  const planned = [runPlannedSweep(series, spec, { cache }), runPlannedSweep(series, spec, { cache })]
  const def = strategies[spec.strategyId]!
  for (let c = 0; c < res.plan.comboCount; c++) {
    const combo = comboAt(res.plan, c)
    const plain = runBacktest(series, def.signals(series, combo.params), combo.exec, { fromBar: spec.fromBar, toBar: spec.toBar })
    METRIC_NAMES.forEach((name, m) => {
      for (const [label, rows] of [
        ['fast', res.rows],
        ['planned', planned[0]!.rows],
        ['planned warm', planned[1]!.rows],
      ] as const) {
        const got = rows[c * METRIC_COUNT + m]!
        if (!sameMetric(got, plain.metrics[name])) {
          throw new Error(`combo ${c} ${JSON.stringify(combo.values)} ${name}: ${label} ${got} vs plain ${plain.metrics[name]}`)
        }
      }
    })
  }
  expect(planned[0]!.stats.simulated + planned[0]!.stats.copied).toBe(res.plan.comboCount)
  return res.stats
}

function randomExecGrid(rng: Rng): GridSpec {
  const grid: Record<string, (number | string)[]> = {}
  const choices: [string, (number | string)[]][] = [
    ['stopLossRate', [0, 0.002, 0.01]],
    ['takeProfitRate', [0, 0.003]],
    ['feeRate', [0.0005, 0.001]],
    ['orderType', ['market', 'limit']],
    ['trailingStopRate', [0, 0.004]],
  ]
  for (const [k, v] of pick(rng, choices, 1 + rng.int(2))) grid[k] = v
  return grid
}

describe('sweep runner equals runBacktest per combo', () => {
  it('ensemble: weights × threshold × member params × exec, random windows', () => {
    for (let trial = 0; trial < 3; trial++) {
      const rng = createRng(100 + trial)
      const series = minuteSeries(7 + trial, 2000 + rng.int(1500))
      const n = series.close.length
      const grid: Record<string, unknown> = {}
      for (const w of pick(rng, ['w.trend', 'w.momentum', 'w.swing', 'w.scalping', 'w.day', 'w.price-action'], 3)) grid[w] = [0, 0.5, 1]
      grid.threshold = { min: 0.05, max: 0.5, step: 0.15 }
      grid['momentum.period'] = [3, 5]
      Object.assign(grid, randomExecGrid(rng))
      const fromBar = rng.int(300)
      const spec: SweepSpec = {
        strategyId: 'ensemble',
        baseParams: { 'price-action.window': 50 },
        grid: grid as GridSpec,
        exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
        fromBar,
        toBar: n - rng.int(300),
      }
      const stats = checkAgainstPlain(series, spec)
      expect(stats.copied).toBeGreaterThan(0)
    }
  })

  it('single strategies with exec dims (momentum, swing, scalping, price-action)', () => {
    const rng = createRng(7)
    const series = minuteSeries(21, 2500)
    const cases: SweepSpec[] = [
      { strategyId: 'momentum', grid: { period: { min: 2, max: 10, step: 4 }, ...randomExecGrid(rng) }, exec: DEFAULT_EXEC_CONFIG },
      { strategyId: 'swing', grid: { short: [3, 5], long: [10, 20], ...randomExecGrid(rng) }, exec: DEFAULT_EXEC_CONFIG, fromBar: 100 },
      { strategyId: 'scalping', grid: { ...firstParamGrid('scalping'), ...randomExecGrid(rng) }, exec: DEFAULT_EXEC_CONFIG },
      {
        strategyId: 'price-action',
        grid: { ...firstParamGrid('price-action'), ...randomExecGrid(rng) },
        exec: DEFAULT_EXEC_CONFIG,
        toBar: 2000,
      },
    ]
    for (const spec of cases) checkAgainstPlain(series, spec)
  })

  it('rsi: period × oversold × overbought × exec (shared RSI per period)', () => {
    const rng = createRng(31)
    const series = minuteSeries(41, 3000)
    const spec: SweepSpec = {
      strategyId: 'rsi',
      grid: { period: [5, 9, 14], oversold: { min: 20, max: 40, step: 10 }, overbought: [60, 75], ...randomExecGrid(rng) },
      exec: DEFAULT_EXEC_CONFIG,
      fromBar: 50,
    }
    checkAgainstPlain(series, spec)
  })

  it('sizing fields, initial cash and exec-only grids reuse one signal array', () => {
    const series = minuteSeries(5, 1500)
    const exec: ExecConfig = { ...DEFAULT_EXEC_CONFIG, sizing: { kind: 'fraction', fractionRate: 0.5 } }
    const spec: SweepSpec = {
      strategyId: 'trend',
      grid: { 'sizing.fractionRate': [0.25, 1], 'exec.initialCash': [20_000, 1_000_000], slippageRate: [0, 0.001] },
      exec,
    }
    const runner = createSweepRunner(series, spec)
    const rows = new Float64Array(runner.comboCount * METRIC_COUNT)
    runner.runRange(0, runner.comboCount, rows)
    expect(runner.stats().distinctSignals).toBe(1)
    checkAgainstPlain(series, spec)
  })

  it('chunks in any order give the same rows as one pass; a second pass copies everything', () => {
    const series = minuteSeries(9, 2000)
    const spec: SweepSpec = {
      strategyId: 'ensemble',
      baseParams: { 'price-action.window': 30 },
      grid: { 'w.trend': [0, 0.5, 1], 'w.swing': [0, 1], threshold: [0.1, 0.3, 0.5], stopLossRate: [0, 0.01] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const whole = runSweep(series, spec).rows
    const runner = createSweepRunner(series, spec)
    const chunked = new Float64Array(whole.length)
    for (const [s, e] of [
      [20, 36],
      [0, 7],
      [7, 20],
    ] as const) {
      runner.runRange(s, e, chunked.subarray(s * METRIC_COUNT, e * METRIC_COUNT))
    }
    for (let i = 0; i < whole.length; i++) expect(sameMetric(chunked[i]!, whole[i]!)).toBe(true)
    const again = new Float64Array(whole.length)
    const st = runner.runRange(0, 36, again)
    expect(st).toEqual({ simulated: 0, copied: 36 })
  })

  it('a small signal budget (nothing kept) stays exact', () => {
    const series = minuteSeries(3, 1200)
    const spec: SweepSpec = {
      strategyId: 'ensemble',
      grid: { 'w.trend': [0, 1], 'w.day': [0, 1], threshold: [0.25, 0.5] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const a = runSweep(series, spec, { signalBudgetBytes: 0 }).rows
    const b = runSweep(series, spec, { signals: 'plain' }).rows
    for (let i = 0; i < a.length; i++) expect(sameMetric(a[i]!, b[i]!)).toBe(true)
  })
})

describe('strategies bring their own fast paths', () => {
  // A strategy the optimizer knows nothing about: its sweep source is a counting wrapper around
  // its own signals, with a class key that ignores a param the rule does not read.
  let built = 0
  let keyed = 0
  const def = defineStrategy({
    id: 'test-own-sweep-source',
    version: 1,
    name: 'Test: own sweep source',
    description: '+1 when the close rose over `lag` bars, else −1; `unused` changes nothing.',
    params: [
      { name: 'lag', label: 'lag', default: 2, min: 1, max: 50, step: 1, unit: 'bars', integer: true },
      { name: 'unused', label: 'unused', default: 0, min: 0, max: 10, step: 1, unit: '', integer: true },
    ],
    warmup: (p) => p.lag!,
    compute: (series, p, out) => {
      const c = series.close
      const lag = p.lag!
      for (let t = 0; t < out.length; t++) out[t] = t < lag ? 0 : c[t]! > c[t - lag]! ? 1 : -1
    },
    sweepSource: ({ series, store }, self): SignalSource<Params> => {
      built++
      const scratch = new Int8Array(series.close.length)
      const getScratch = new Int8Array(series.close.length)
      return {
        idFor(params) {
          self.signalsInto(series, params, scratch)
          return store.intern(scratch, (out) => self.signalsInto(series, params, out))
        },
        get: (id) => store.get(id, getScratch),
        classKey: (params) => (keyed++, `lag ${params.lag}`),
        signalsInto: (params, out) => self.signalsInto(series, params, out),
      }
    },
  })
  registerStrategy(def)

  it("the runner uses the definition's sweep source, and signals: 'plain' turns it off", () => {
    const series = minuteSeries(33, 1500)
    const spec: SweepSpec = {
      strategyId: def.id,
      grid: { lag: [1, 3, 7], unused: [0, 1, 2], stopLossRate: [0, 0.01] },
      exec: DEFAULT_EXEC_CONFIG,
      fromBar: 20,
    }
    const plain = runSweep(series, spec, { signals: 'plain' })
    expect(built).toBe(0)
    const fast = runSweep(series, spec)
    expect(built).toBe(1)
    const planned = runPlannedSweep(series, spec)
    expect(built).toBe(2)
    // The source's class keys planned 3 classes (one per lag) for the 9 points.
    expect(keyed).toBe(9)
    expect(planned.stats.simulated).toBe(3 * 2)
    for (let i = 0; i < plain.rows.length; i++) {
      expect(Object.is(fast.rows[i], plain.rows[i])).toBe(true)
      expect(Object.is(planned.rows[i], plain.rows[i])).toBe(true)
    }
    checkAgainstPlain(series, spec)
  })
})

describe('class keys are exact', () => {
  it('ensemble: same class ⇔ identical signals over the window (within a member group)', () => {
    for (let trial = 0; trial < 2; trial++) {
      const rng = createRng(500 + trial)
      const series = minuteSeries(60 + trial, 1500 + rng.int(1000))
      const n = series.close.length
      const spec: SweepSpec = {
        strategyId: 'ensemble',
        baseParams: { 'price-action.window': 40 },
        grid: {
          'w.trend': [0, 0.5, 1],
          'w.scalping': [0, 1],
          'w.price-action': [0, 0.5, 1],
          threshold: [0.1, 0.3, 0.5],
          'momentum.period': [3, 6],
        },
        exec: DEFAULT_EXEC_CONFIG,
        fromBar: rng.int(200),
        toBar: n - rng.int(200),
      }
      const runner = createSweepRunner(series, spec)
      const { classOf, keys } = runner.classKeys(0, runner.pointCount)
      expect(keys.length).toBeLessThan(runner.pointCount)
      const def = strategies.ensemble!
      // Points and combos coincide here (no exec dims).
      const sig = Array.from({ length: runner.pointCount }, (_, p) => def.signals(series, comboAt(runner.plan, p).params))
      const same = (a: Int8Array, b: Int8Array): boolean => {
        for (let t = runner.fromBar; t < runner.toBar; t++) if (a[t] !== b[t]) return false
        return true
      }
      const momentumOf = (p: number): number => comboAt(runner.plan, p).params['momentum.period']!
      for (let p = 0; p < runner.pointCount; p++) {
        for (let q = p + 1; q < runner.pointCount; q++) {
          const sameClass = classOf[p] === classOf[q]
          if (sameClass) expect(same(sig[p]!, sig[q]!)).toBe(true)
          else if (momentumOf(p) === momentumOf(q)) expect(same(sig[p]!, sig[q]!)).toBe(false)
        }
      }
    }
  })
})

function firstParamGrid(id: string): GridSpec {
  const p = strategies[id]!.params[0]!
  const mid = p.integer ? Math.round((p.min + p.max) / 2) : Number(((p.min + p.max) / 2).toFixed(6))
  return { [p.name]: [p.default, ...(mid !== p.default ? [mid] : [])] }
}
