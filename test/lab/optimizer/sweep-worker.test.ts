// The real worker file under @vitest/web-worker (simulated Worker in the node project).
import '@vitest/web-worker'
import { wrap } from 'comlink'
import { describe, expect, it } from 'vitest'
import { packCandles } from '../../../shared/optimize/coordinator/index.ts'
import type { SweepWorkerApi } from '../../../shared/optimize/coordinator/index.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import { smallSeries, smallSpec } from '../../shared/optimize/coordinator/fixtures.ts'

describe('sweep.worker.ts', () => {
  it('answers loadSeries, prepare and runSims through comlink', async () => {
    const worker = new Worker(new URL('../../../lab/optimizer/sweep.worker.ts', import.meta.url), { type: 'module' })
    try {
      const api = wrap<SweepWorkerApi>(worker)
      await api.loadSeries(1, packCandles(smallSeries(), false))
      expect((await api.prepare(1, smallSpec)).comboCount).toBe(18)
      const r = await api.runSims(Int32Array.from({ length: 18 }, (_, i) => i))
      expect(r.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    } finally {
      worker.terminate()
    }
  })
})
