import { describe, expect, it } from 'vitest'
import { createSweepWorker, createWorkerPool } from '../../../../shared/optimize/coordinator/index.ts'
import type { CandlePayload, WorkerFactory } from '../../../../shared/optimize/coordinator/index.ts'
import { METRIC_COUNT } from '../../../../shared/metrics/types.ts'
import { runPlannedSweep, runSweep } from '../../../../shared/optimize/index.ts'
import { directFactory, newLog, smallSeries, smallSpec } from './fixtures.ts'

/** Workers that record the candle payloads they are sent. */
function recording(payloads: CandlePayload[]): WorkerFactory {
  return () => {
    const inner = directFactory(newLog())()
    return { ...inner, api: { ...inner.api, loadSeries: (id, c) => (payloads.push(c), inner.api.loadSeries(id, c)) } }
  }
}

describe('createWorkerPool', () => {
  it('shares one SharedArrayBuffer with every worker, or transfers one copy to each', async () => {
    const shared: CandlePayload[] = []
    await createWorkerPool({ size: 2, factory: recording(shared), shareMemory: true }).prepare(smallSeries(), smallSpec)
    expect(shared.map((p) => p.kind)).toEqual(['shared', 'shared'])
    expect(shared[0]!.buffer).toBe(shared[1]!.buffer)
    expect(shared[0]!.buffer).toBeInstanceOf(SharedArrayBuffer)

    const copied: CandlePayload[] = []
    const marked: ArrayBuffer[] = []
    const pool = createWorkerPool({
      size: 2,
      factory: recording(copied),
      shareMemory: false,
      transfer: (v, bufs) => (marked.push(...bufs), v),
    })
    const prepared = await pool.prepare(smallSeries(), smallSpec)
    expect(prepared.sharing).toBe('copied')
    expect(copied.map((p) => p.kind)).toEqual(['copied', 'copied'])
    expect(copied[0]!.buffer).not.toBe(copied[1]!.buffer)
    expect(marked).toEqual(copied.map((p) => p.buffer))
  })

  it('a dying worker fails its calls (instead of hanging them) and marks the pool dead', async () => {
    let kill: (e: Error) => void = () => undefined
    const dying: WorkerFactory = () => {
      const api = createSweepWorker()
      const failed = new Promise<never>((_, reject) => (kill = reject))
      failed.catch(() => undefined)
      const never = new Promise<never>(() => undefined)
      return {
        api: {
          loadSeries: async (id, c) => api.loadSeries(id, c),
          prepare: () => never,
          classKeys: () => never,
          runSims: () => never,
          simulate: () => never,
          planSims: () => never,
          cscvWorse: () => never,
        },
        failed,
        terminate: () => undefined,
      }
    }
    const pool = createWorkerPool({ size: 1, factory: dying, shareMemory: false })
    const pending = pool.prepare(smallSeries(), smallSpec)
    await new Promise((r) => setTimeout(r, 1))
    kill(new Error('worker crashed'))
    await expect(pending).rejects.toThrow(/worker crashed/)
    expect(pool.alive).toBe(false)
    await expect(pool.prepare(smallSeries(), smallSpec)).rejects.toThrow(/terminated/)
  })

  it('serves the robustness report: simulate and planSims on any worker, without touching the prepared sweep', async () => {
    const log = newLog()
    const pool = createWorkerPool({ size: 2, factory: directFactory(log), shareMemory: false })
    const prepared = await pool.prepare(smallSeries(), smallSpec)
    const rows = runSweep(smallSeries(), smallSpec).rows
    const sim = await pool.simulate(1, smallSeries(), smallSpec, Int32Array.of(3, 5), { daily: true })
    expect(Array.from(sim.rows)).toEqual(
      Array.from(rows.subarray(3 * METRIC_COUNT, 4 * METRIC_COUNT)).concat(Array.from(rows.subarray(5 * METRIC_COUNT, 6 * METRIC_COUNT))),
    )
    expect(sim.daily!.length).toBe(2 * prepared.dayCount)
    const sims = await pool.planSims(smallSeries(), smallSpec)
    expect(Array.from(sims.simOf)).toEqual(Array.from(runPlannedSweep(smallSeries(), smallSpec).sims.simOf))
    expect(log.planSims).toBe(1)
    // The prepared sweep still answers as before.
    const one = await prepared.runSims(0, Int32Array.of(7))
    expect(Array.from(one.rows)).toEqual(Array.from(rows.subarray(7 * METRIC_COUNT, 8 * METRIC_COUNT)))
    await pool.terminate()
    await expect(pool.simulate(0, smallSeries(), smallSpec, Int32Array.of(0), {})).rejects.toThrow(/terminated/)
  })
})
