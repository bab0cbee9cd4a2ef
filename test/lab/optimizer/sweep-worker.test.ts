// The real worker file under @vitest/web-worker (simulated Worker in the node project).
import '@vitest/web-worker'
import { wrap } from 'comlink'
import { describe, expect, it } from 'vitest'
import { packCandles } from '../../../shared/optimize/coordinator/index.ts'
import type { SweepWorkerApi } from '../../../shared/optimize/coordinator/index.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import { CscvMatrix, cscvPbo, pboFromWorse } from '../../../shared/optimize/robust/pbo.ts'
import { smallSeries, smallSpec } from '../../shared/optimize/coordinator/fixtures.ts'
import { minuteSeries } from '../../shared/optimize/helpers.ts'

describe('sweep.worker.ts', () => {
  it('answers loadSeries, prepare, runSims (with block numbers), simulate and cscvWorse through comlink', async () => {
    const worker = new Worker(new URL('../../../lab/optimizer/sweep.worker.ts', import.meta.url), { type: 'module' })
    try {
      const api = wrap<SweepWorkerApi>(worker)
      await api.loadSeries(1, packCandles(smallSeries(), false))
      expect((await api.prepare(1, smallSpec)).comboCount).toBe(18)
      const r = await api.runSims(Int32Array.from({ length: 18 }, (_, i) => i))
      expect(r.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
      // The robustness report's calls: block numbers with the rows, and a CSCV share.
      const days = (await api.prepare(1, smallSpec)).dayCount
      expect(days).toBe(3)
      const d = await api.simulate(1, smallSpec, Int32Array.of(4, 6), { daily: true })
      expect(d.daily!.length).toBe(6)
      expect(Array.from(d.rows)).toEqual([...r.rows.slice(4 * 13, 5 * 13), ...r.rows.slice(6 * 13, 7 * 13)])
      // 8 days: 4 blocks of 2 days; the block numbers come back with the rows.
      await api.loadSeries(2, packCandles(minuteSeries(8, 8 * 1440), false))
      const rsi = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 9] } }
      expect((await api.prepare(2, rsi)).dayCount).toBe(8)
      const b = await api.runSims(Int32Array.of(0, 1), 4)
      expect(b.blockStats!.length).toBe(2 * 4 * 3)
      expect(Number.isFinite(b.blockStats![0])).toBe(true) // Σx of block 0 (a usable column)
      const s = await api.simulate(2, rsi, Int32Array.of(0, 1), { blocks: 4 })
      expect(Array.from(s.blockStats!)).toEqual(Array.from(b.blockStats!))
      const m = new CscvMatrix(3, 8, 4)
      for (let j = 0; j < 3; j++)
        m.setColumn(
          j,
          Float64Array.from({ length: 8 }, (_, i) => Math.sin(7 * j + i) / 100),
        )
      const worse = await api.cscvWorse({ columns: 3, periods: 8, blocks: 4, stats: m.stats, metric: 'sharpe', from: 0, to: 3 })
      expect(pboFromWorse(4, 3, [{ from: 0, to: 3, worse }])).toStrictEqual(cscvPbo(m))
    } finally {
      worker.terminate()
    }
  })
})
