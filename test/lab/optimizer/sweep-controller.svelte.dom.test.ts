// The lab's sweep state class in the dom project (happy-dom, runes compiled: this file is a
// .svelte. module, so $effect can watch the controller the way the panel does). Workers are
// in-process fakes: the real sweep worker behind a gate the test opens, or failures on demand.
import 'fake-indexeddb/auto'
import { flushSync } from 'svelte'
import { describe, expect, it } from 'vitest'
import { METRIC_INDEX } from '../../../shared/metrics/types.ts'
import type { WorkerFactory } from '../../../shared/optimize/coordinator/index.ts'
import { runPlannedSweep, runSweep, sweepRobustness } from '../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'
import { buildSeries } from '../../../lab/optimizer/data-source.ts'
import { exportParts } from '../../../lab/optimizer/results.ts'
import { SweepController } from '../../../lab/optimizer/sweep-controller.svelte.ts'
import type { ControllerOptions, SweepStatus } from '../../../lab/optimizer/sweep-controller.svelte.ts'
import type { SweepRequest } from '../../../lab/optimizer/workloads.ts'
import {
  directFactory,
  newLog,
  simulatedCombos,
  smallSeries,
  smallSpec,
  stallingFactory,
} from '../../shared/optimize/coordinator/fixtures.ts'

// 3 days of KRW-BTC: the same bars as smallSeries().
const request: SweepRequest = { source: { kind: 'synthetic', market: 'KRW-BTC', days: 3 }, spec: smallSpec, chunkSize: 4 }
const rsiSpec: SweepSpec = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 9, 14], oversold: [25, 30] } }

let dbCount = 0
const controller = (opts: Omit<ControllerOptions, 'dbName' | 'shareMemory'>): SweepController =>
  new SweepController({ dbName: `ctl-dom-${dbCount++}`, shareMemory: false, ...opts })

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await tick()
  if (!cond()) throw new Error('timed out')
}

/** A fake pool's workers: the real in-process worker, but runSims waits until the test opens the gate. */
function gated(): { factory: WorkerFactory; waiting: () => number; open: () => void; terminated: () => number } {
  const log = newLog()
  const inner = directFactory(log)
  let opened = false
  let waiting = 0
  const waiters: (() => void)[] = []
  return {
    factory: () => {
      const w = inner()
      return {
        ...w,
        api: {
          ...w.api,
          runSims: async (combos, blocks) => {
            if (!opened) {
              waiting++
              await new Promise<void>((r) => waiters.push(r))
              waiting--
            }
            return w.api.runSims(combos, blocks)
          },
        },
      }
    },
    waiting: () => waiting,
    open: () => {
      opened = true
      waiters.splice(0).forEach((r) => r())
    },
    terminated: () => log.terminated,
  }
}

/** Statuses seen by an effect, as the panel would render them. */
function watchStatus(c: SweepController): { seen: SweepStatus[]; stop: () => void } {
  const seen: SweepStatus[] = []
  const stop = $effect.root(() => {
    $effect(() => {
      seen.push(c.status)
    })
  })
  flushSync()
  return { seen, stop }
}

describe('SweepController state', () => {
  it('idle → preparing → running → completed, progress and top table following the workers', async () => {
    const fake = gated()
    const c = controller({ workers: 2, factory: fake.factory, topN: 3, checkpointEveryMs: 0 })
    const w = watchStatus(c)
    expect(c.status).toBe('idle')
    expect(c.running).toBe(false)
    const done = c.start({ ...request, spec: rsiSpec, chunkSize: 2 })
    flushSync()
    expect(c.status).toBe('preparing')
    expect(c.running).toBe(true)
    await until(() => fake.waiting() > 0)
    flushSync()
    expect(c.status).toBe('running')
    expect(c.progress).toMatchObject({ doneCombos: 0, totalCombos: 6, totalChunks: 3 })
    expect(Number.isNaN(c.progress!.etaMs)).toBe(true)
    expect(c.top).toEqual([])
    fake.open()
    expect((await done).kind).toBe('completed')
    flushSync()
    expect(w.seen).toEqual(['idle', 'preparing', 'running', 'completed'])
    expect(c.running).toBe(false)
    expect(c.progress).toMatchObject({ doneCombos: 6, doneChunks: 3, etaMs: 0, simulated: 6, copied: 0 })
    expect(c.rows).toEqual(runSweep(smallSeries(), rsiSpec).rows)
    expect(c.top.length).toBeLessThanOrEqual(3)
    const sharpes = c.top.map((r) => r.metrics.sharpe)
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes)
    expect(c.bars).toBe(smallSeries().close.length)
    w.stop()
  })

  it('cancel: running → cancelled, the workers terminated, the sweep listed as resumable', async () => {
    const fake = gated()
    const c = controller({ workers: 2, factory: fake.factory, checkpointEveryMs: 0 })
    const done = c.start(request)
    await until(() => fake.waiting() > 0)
    c.cancel()
    expect((await done).kind).toBe('cancelled')
    expect(c.status).toBe('cancelled')
    expect(c.errors).toEqual([])
    expect(fake.terminated()).toBe(2)
    expect(c.resumable.map((m) => m.sweepId)).toEqual([c.sweepId])
    expect(c.robustness.kind).toBe('idle')
  })

  it('shows a worker failure, a dead worker and an invalid request as errors', async () => {
    const crashing: WorkerFactory = () => {
      const w = directFactory(newLog())()
      return { ...w, api: { ...w.api, runSims: () => Promise.reject(new Error('worker crashed')) } }
    }
    const c = controller({ workers: 1, factory: crashing })
    expect((await c.start(request)).kind).toBe('failed')
    expect(c.status).toBe('failed')
    expect(c.errors).toEqual([expect.stringMatching(/work chunk 0: worker crashed/)])

    // A worker whose script dies: its calls fail instead of hanging.
    const dying: WorkerFactory = () => {
      const w = directFactory(newLog())()
      const failed = Promise.reject(new Error('optimizer worker error: failed to load'))
      failed.catch(() => undefined)
      return { ...w, failed }
    }
    const d = controller({ workers: 1, factory: dying })
    expect((await d.start(request)).kind).toBe('failed')
    expect(d.errors[0]).toMatch(/failed to load/)

    await c.start({ ...request, spec: { ...smallSpec, strategyId: 'nope' } })
    expect(c.status).toBe('invalid')
    expect(c.errors[0]).toMatch(/unknown strategy 'nope'/)
    await c.start({ ...request, source: { kind: 'synthetic', market: 'KRW-BTC', days: -1 } })
    expect(c.status).toBe('invalid')
    expect(c.errors[0]).toMatch(/days/)
  })

  it('robustness: computing → done after a completed sweep (equal to the in-process report), failed on a worker error', async () => {
    const c = controller({ workers: 2, factory: directFactory(newLog()) })
    const rb: string[] = []
    const stop = $effect.root(() => {
      $effect(() => {
        rb.push(c.robustness.kind)
      })
    })
    expect((await c.start(request)).kind).toBe('completed')
    flushSync()
    await c.robustnessDone
    flushSync()
    expect(rb).toEqual(['idle', 'computing', 'done'])
    const report = c.robustness.kind === 'done' ? c.robustness.report : undefined
    expect(report).toEqual(sweepRobustness(smallSeries(), smallSpec, c.rows!))
    expect(report!.best!.combo).toBe(c.top[0]!.combo)
    expect(report!.dsr.trials).toBe(runPlannedSweep(smallSeries(), smallSpec).sims.simCount)
    // A new sweep clears the old report.
    const again = c.start({ ...request, spec: { ...smallSpec, strategyId: 'nope' } })
    expect(c.robustness.kind).toBe('idle')
    await again
    expect(c.robustness.kind).toBe('idle')
    stop()

    const broken: WorkerFactory = () => {
      const w = directFactory(newLog())()
      return { ...w, api: { ...w.api, simulate: () => Promise.reject(new Error('out of memory')) } }
    }
    const b = controller({ workers: 1, factory: broken })
    expect((await b.start(request)).kind).toBe('completed')
    await b.robustnessDone
    expect(b.robustness).toEqual({ kind: 'failed', error: 'out of memory' })
  })

  it('robustness from the block sums the sweep kept: only the best combo re-run, the report equal to the plain path', async () => {
    const log = newLog()
    const c = controller({ workers: 2, factory: directFactory(log) })
    // 10 days: a CSCV of 4 blocks.
    const long: SweepRequest = { source: { kind: 'synthetic', market: 'KRW-BTC', days: 10 }, spec: rsiSpec, chunkSize: 2 }
    expect((await c.start(long)).kind).toBe('completed')
    await c.robustnessDone
    const report = c.robustness.kind === 'done' ? c.robustness.report : undefined
    const built = buildSeries(long.source)
    if (!built.ok) throw new Error(built.error)
    expect(report).toStrictEqual(sweepRobustness(built.series, rsiSpec, c.rows!))
    expect(report!.pbo.blocks).toBe(4)
    expect(log.simulated).toEqual([[report!.best!.combo]])
    expect(log.cscvCalls).toBe(2)
  })

  it("exports the CLI's CSV and JSON, the robustness report included", async () => {
    const c = controller({ workers: 2, factory: directFactory(newLog()), topN: 5 })
    expect((await c.start(request)).kind).toBe('completed')
    const doc = (await c.results())!
    const csv = exportParts('csv', doc).join('').trim().split('\n')
    expect(csv.length).toBe(19)
    expect(csv[0]).toMatch(/^combo,w\.trend,w\.momentum,threshold,totalReturn,.*,status$/)
    const json = JSON.parse(exportParts('json', doc).join(''))
    expect(json.rows.length).toBe(18)
    expect(json.rows[7][4 + METRIC_INDEX.trades]).toBe(c.rows![7 * 13 + METRIC_INDEX.trades])
    expect(json.sweepId).toBe(c.sweepId)
    expect(json.top.length).toBe(5)
    expect(json.robustness.simCount).toBe(runPlannedSweep(smallSeries(), smallSpec).sims.simCount)
    expect(json.simulated).toBe(json.robustness.simCount)
    expect(json.data).toEqual(request.source)
  })

  it('after a cancel, a new controller on the same IndexedDB resumes without recomputing finished chunks', async () => {
    const log1 = newLog()
    const dbName = `ctl-dom-resume-${dbCount++}`
    // The worker stops answering after 2 calls, so the cancel lands mid-sweep.
    const c1 = new SweepController({ workers: 1, dbName, factory: stallingFactory(log1, 2), shareMemory: false, checkpointEveryMs: 0 })
    const first = c1.start(request)
    // Cancel as soon as the first chunk is in.
    await until(() => (c1.progress?.doneChunks ?? 0) >= 1)
    c1.cancel()
    expect((await first).kind).toBe('cancelled')
    expect(c1.resumable.length).toBe(1)
    const resumed = c1.progress!.doneCombos
    const ran1 = simulatedCombos(log1).length

    const log2 = newLog()
    const c2 = new SweepController({ workers: 2, dbName, factory: directFactory(log2), shareMemory: false })
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
    const c = controller({ workers: 2, factory: directFactory(log) })
    expect((await c.start(request)).kind).toBe('completed')
    expect((await c.start({ ...request, chunkSize: 6 })).kind).toBe('completed')
    expect(log.loads).toBe(2)
    expect(log.prepares).toBe(4)
    expect(c.rows).toEqual(runSweep(smallSeries(), smallSpec).rows)
    c.dispose()
    expect(log.terminated).toBe(2)
  })
})
