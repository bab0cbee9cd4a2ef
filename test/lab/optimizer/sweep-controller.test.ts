import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { METRIC_INDEX } from '../../../shared/metrics/types.ts'
import { runPlannedSweep, runSweep, sweepRobustness } from '../../../shared/optimize/index.ts'
import { rowsToCsv, rowsToJson } from '../../../lab/optimizer/results.ts'
import { SweepController } from '../../../lab/optimizer/sweep-controller.svelte.ts'
import type { SweepRequest } from '../../../lab/optimizer/workloads.ts'
import { directFactory, newLog, simulatedCombos, smallSeries, smallSpec } from './fixtures.ts'

// 3 days of KRW-BTC: the same bars as smallSeries().
const request: SweepRequest = { source: { kind: 'synthetic', market: 'KRW-BTC', days: 3 }, spec: smallSpec, chunkSize: 4 }

describe('SweepController', () => {
  it('runs a sweep, ranks the top rows by the objective and exports CSV and JSON', async () => {
    const c = new SweepController({ workers: 2, dbName: 'ctl-a', factory: directFactory(newLog()), topN: 5, shareMemory: false })
    const out = await c.start(request)
    expect(out.kind).toBe('completed')
    expect(c.status).toBe('completed')
    expect(c.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    expect(c.top.length).toBeLessThanOrEqual(5)
    expect(c.top.length).toBeGreaterThan(0)
    const sharpes = c.top.map((r) => r.metrics.sharpe)
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes)
    expect(c.top[0]!.rank).toBe(1)
    expect(Object.keys(c.top[0]!.values)).toEqual(['w.trend', 'w.momentum', 'threshold'])

    const csv = rowsToCsv(c.plan!, c.rows!).trim().split('\n')
    expect(csv.length).toBe(19)
    expect(csv[0]).toMatch(/^combo,w\.trend,w\.momentum,threshold,totalReturn,/)
    const json = JSON.parse(rowsToJson(c.plan!, c.rows!, { sweepId: c.sweepId, request }))
    expect(json.results.length).toBe(18)
    expect(json.results[7].metrics.trades).toBe(c.rows![7 * 13 + METRIC_INDEX.trades])
    expect(json.sweepId).toBe(c.sweepId)
  })

  it('computes the robustness report on a worker after a completed sweep, equal to the in-process one', async () => {
    const c = new SweepController({ workers: 2, dbName: 'ctl-r', factory: directFactory(newLog()), shareMemory: false })
    const out = await c.start(request)
    expect(out.kind).toBe('completed')
    expect(['computing', 'done']).toContain(c.robustness.kind)
    await c.robustnessDone
    expect(c.robustness.kind).toBe('done')
    const report = c.robustness.kind === 'done' ? c.robustness.report : undefined
    expect(report).toEqual(sweepRobustness(smallSeries(), smallSpec, c.rows!))
    expect(report!.best!.combo).toBe(c.top[0]!.combo)
    expect(report!.dsr.trials).toBe(runPlannedSweep(smallSeries(), smallSpec).sims.simCount)
    // A new sweep clears the old report.
    const again = c.start({ ...request, spec: { ...smallSpec, strategyId: 'nope' } })
    expect(c.robustness.kind).toBe('idle')
    await again
    expect(c.robustness.kind).toBe('idle')
  })

  it('shows validation errors and data errors instead of running', async () => {
    const c = new SweepController({ workers: 1, dbName: 'ctl-b', factory: directFactory(newLog()), shareMemory: false })
    await c.start({ ...request, spec: { ...smallSpec, strategyId: 'nope' } })
    expect(c.status).toBe('invalid')
    expect(c.errors[0]).toMatch(/unknown strategy 'nope'/)
    await c.start({ ...request, source: { kind: 'synthetic', market: 'KRW-BTC', days: -1 } })
    expect(c.status).toBe('invalid')
    expect(c.errors[0]).toMatch(/days/)
  })

  it('after a cancel, a new controller on the same IndexedDB resumes without recomputing finished chunks', async () => {
    const log1 = newLog()
    const c1 = new SweepController({ workers: 1, dbName: 'ctl-c', factory: directFactory(log1), shareMemory: false, checkpointEveryMs: 0 })
    const first = c1.start(request)
    // Cancel as soon as the first chunk is in.
    while (!(c1.progress && c1.progress.doneChunks >= 1)) await new Promise((r) => setTimeout(r, 1))
    c1.cancel()
    expect((await first).kind).toBe('cancelled')
    expect(c1.resumable.length).toBe(1)
    const resumed = c1.progress!.doneCombos
    const ran1 = simulatedCombos(log1).length

    const log2 = newLog()
    const c2 = new SweepController({ workers: 2, dbName: 'ctl-c', factory: directFactory(log2), shareMemory: false })
    const out = await c2.resumeLatest()
    expect(out?.kind).toBe('completed')
    expect(c2.progress?.resumedCombos).toBe(resumed)
    // Simulations whose rows were stored are not run again.
    expect(simulatedCombos(log2).length).toBeLessThanOrEqual(runPlannedSweep(smallSeries(), smallSpec).sims.simCount - 1)
    expect(ran1).toBeGreaterThan(0)
    expect(c2.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    expect(c2.resumable).toEqual([])
  })

  it('keeps its workers and series between sweeps: the second sweep sends no candles', async () => {
    const log = newLog()
    const c = new SweepController({ workers: 2, dbName: 'ctl-d', factory: directFactory(log), shareMemory: false })
    expect((await c.start(request)).kind).toBe('completed')
    expect((await c.start({ ...request, chunkSize: 6 })).kind).toBe('completed')
    expect(log.loads).toBe(2)
    expect(log.prepares).toBe(4)
    expect(c.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    c.dispose()
    expect(log.terminated).toBe(2)
  })
})
