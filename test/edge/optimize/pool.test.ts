import { describe, it, expect } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { createSweepRunner, planSims, robustnessReport, runPlannedSweep, runSweep } from '../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'
import type { SweepProgress } from '../../../shared/optimize/coordinator/index.ts'
import { createNodeSweepPool } from '../../../edge/optimize/pool.ts'
import { minuteSeries, sameMetric } from '../../shared/optimize/helpers.ts'

// The shared coordinator on Node worker threads (comlink's Node adapter), candles shared.
describe('node sweep pool', () => {
  it('2 workers: same rows as one runner, each distinct simulation once in total, warm second sweep', async () => {
    const series = minuteSeries(11, 1500)
    const spec: SweepSpec = {
      strategyId: 'ensemble',
      baseParams: { 'price-action.window': 40 },
      grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5], stopLossRate: [0, 0.005] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const want = runSweep(series, spec).rows
    const distinct = runPlannedSweep(series, spec).stats.simulated
    const pool = await createNodeSweepPool(2)
    try {
      const progress: SweepProgress[] = []
      const got = await pool.run(series, spec, { workSize: 2, onProgress: (p) => progress.push(p) })
      expect(got.rows.length).toBe(want.length)
      for (let i = 0; i < want.length; i++) expect(sameMetric(got.rows[i]!, want[i]!)).toBe(true)
      // Global de-duplication: not one simulation per worker, one in total.
      expect(got.simulated).toBe(distinct)
      expect(got.simulated).toBeLessThan(36)
      expect(got.simulated + got.copied).toBe(36)
      expect(got.cacheBuilds).toBeGreaterThan(0)
      expect(progress.at(-1)!.doneCombos).toBe(36)
      expect(progress.map((p) => p.doneCombos)).toEqual([...progress.map((p) => p.doneCombos)].sort((a, b) => a - b))
      // The same series again: the workers' caches are warm, nothing is rebuilt.
      const warm = await pool.run(series, spec)
      expect(warm.cacheBuilds).toBe(0)
      for (let i = 0; i < want.length; i++) expect(sameMetric(warm.rows[i]!, want[i]!)).toBe(true)
      // Another spec on the same pool, and a strategy without class keys.
      const again = await pool.run(series, { ...spec, grid: { threshold: [0.2] } })
      expect(again.rows.length).toBe(13)
      const rsiSpec: SweepSpec = {
        strategyId: 'rsi',
        grid: { period: [5, 9], oversold: [25, 30], stopLossRate: [0, 0.01] },
        exec: DEFAULT_EXEC_CONFIG,
      }
      const rsi = await pool.run(series, rsiSpec, { workSize: 3 })
      const rsiWant = runSweep(series, rsiSpec).rows
      for (let i = 0; i < rsiWant.length; i++) expect(sameMetric(rsi.rows[i]!, rsiWant[i]!)).toBe(true)
    } finally {
      await pool.close()
    }
  })

  it('robustness on worker threads: block sums kept by the sweep, the report equal to the plain re-run path', async () => {
    // 40 days: 16 blocks of 2 days.
    const series = minuteSeries(14, 40 * 1440)
    const spec: SweepSpec = {
      strategyId: 'rsi',
      grid: { period: [5, 9, 14], oversold: [20, 30], overbought: [70, 80], stopLossRate: [0, 0.02] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const pool = await createNodeSweepPool(2)
    try {
      const got = await pool.run(series, spec, { blockSums: {} })
      expect(got.blockSums?.blocks).toBe(16)
      expect(Array.from(got.blockSums!.known).every((k) => k === 1)).toBe(true)
      const report = await pool.robustness(series, spec, got)
      const runner = createSweepRunner(series, spec)
      const plain = robustnessReport(runner, planSims(runner), got.rows)
      expect(report).toStrictEqual(plain)
      expect(report.pbo.splits).toBe(12_870)
      // Without block sums (every column re-run on the workers), and a sweep resumed whole (no plan).
      const bare = await pool.run(series, spec)
      expect(bare.blockSums).toBeUndefined()
      expect(await pool.robustness(series, spec, bare)).toStrictEqual(plain)
      expect(await pool.robustness(series, spec, { rows: got.rows })).toStrictEqual(plain)
    } finally {
      await pool.close()
    }
  })

  it('a worker keeps 2 series: a third evicts the oldest, which is sent again when needed', async () => {
    const series = [minuteSeries(21, 500), minuteSeries(22, 500), minuteSeries(23, 500)]
    // Ensemble: both workers label points, so both build the one member group every sweep needs.
    const spec: SweepSpec = {
      strategyId: 'ensemble',
      baseParams: { 'price-action.window': 30 },
      grid: { 'w.trend': [0, 1], threshold: [0.2, 0.4] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const pool = await createNodeSweepPool(2)
    try {
      for (const i of [0, 1, 2, 0, 2]) {
        const got = await pool.run(series[i]!, spec)
        const want = runSweep(series[i]!, spec).rows
        for (let k = 0; k < want.length; k++) expect(sameMetric(got.rows[k]!, want[k]!)).toBe(true)
      }
      // Series 2 was held (used last but one): warm; series 0 had been evicted, then re-sent.
      expect((await pool.run(series[2]!, spec)).cacheBuilds).toBe(0)
    } finally {
      await pool.close()
    }
  })

  it('refuses a bad spec with the validation message and stays usable', async () => {
    const series = minuteSeries(12, 600)
    const pool = await createNodeSweepPool(1)
    try {
      await expect(pool.run(series, { strategyId: 'nope', grid: {}, exec: DEFAULT_EXEC_CONFIG })).rejects.toThrow(/unknown strategy 'nope'/)
      const ok = await pool.run(series, { strategyId: 'rsi', grid: { period: [5, 6] }, exec: DEFAULT_EXEC_CONFIG })
      expect(ok.rows.length).toBe(26)
    } finally {
      await pool.close()
    }
  })

  it('a worker error fails the sweep with its message; the next sweep starts new workers', async () => {
    const series = minuteSeries(13, 400)
    const pool = await createNodeSweepPool(2)
    try {
      // The workers find the window outside the series (the coordinator cannot know the bars' use).
      await expect(
        pool.run(series, { strategyId: 'rsi', grid: { period: [5, 6] }, exec: DEFAULT_EXEC_CONFIG, fromBar: 10, toBar: 500 }),
      ).rejects.toThrow(/sweep failed: .*outside the series of 400 bars/)
      const ok = await pool.run(series, { strategyId: 'rsi', grid: { period: [5, 6] }, exec: DEFAULT_EXEC_CONFIG })
      const want = runSweep(series, { strategyId: 'rsi', grid: { period: [5, 6] }, exec: DEFAULT_EXEC_CONFIG }).rows
      for (let i = 0; i < want.length; i++) expect(sameMetric(ok.rows[i]!, want[i]!)).toBe(true)
    } finally {
      await pool.close()
    }
  })
})
