import { describe, it, expect } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'
import { createNodeSweepPool } from '../../../edge/optimize/pool.ts'
import type { SweepProgress } from '../../../edge/optimize/pool.ts'
import { minuteSeries, sameMetric } from '../../shared/optimize/helpers.ts'

describe('node sweep pool', () => {
  it('2 workers, small chunks: same rows as one runner, progress reaches the total', async () => {
    const series = minuteSeries(11, 1500)
    const spec: SweepSpec = {
      strategyId: 'ensemble',
      baseParams: { 'price-action.window': 40 },
      grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5], stopLossRate: [0, 0.005] },
      exec: DEFAULT_EXEC_CONFIG,
    }
    const want = runSweep(series, spec).rows
    const pool = await createNodeSweepPool(2)
    try {
      const progress: SweepProgress[] = []
      const got = await pool.run(series, spec, { chunkSize: 5, onProgress: (p) => progress.push(p) })
      expect(got.rows.length).toBe(want.length)
      for (let i = 0; i < want.length; i++) expect(sameMetric(got.rows[i]!, want[i]!)).toBe(true)
      expect(got.simulated + got.copied).toBe(36)
      expect(progress.at(-1)!.done).toBe(36)
      // A second sweep on the same (warm) pool works too.
      const again = await pool.run(series, { ...spec, grid: { threshold: [0.2] } })
      expect(again.rows.length).toBe(13)
    } finally {
      await pool.close()
    }
  })
})
