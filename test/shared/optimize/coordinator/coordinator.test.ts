// The sweep coordinator with in-process workers (the real sweep worker, called directly) and an
// in-memory checkpoint store: global de-duplication, guided scheduling, progress, cancel, resume,
// and rows identical to a single-thread sweep. The same coordinator runs the lab's sweeps
// (test/lab/optimizer) and the CLI's (test/edge/optimize, on worker threads).
import { describe, expect, it } from 'vitest'
import { METRIC_COUNT } from '../../../../shared/metrics/types.ts'
import { createWorkerPool, runCoordinatedSweep } from '../../../../shared/optimize/coordinator/index.ts'
import type {
  CheckpointStore,
  CoordinatorDeps,
  SweepOutcome,
  SweepUpdate,
  WorkerFactory,
  WorkerPool,
} from '../../../../shared/optimize/coordinator/index.ts'
import { runPlannedSweep, runSweep } from '../../../../shared/optimize/index.ts'
import { directFactory, memoryStore, newLog, sameRows, simulatedCombos, smallSeries, smallSpec } from './fixtures.ts'

const freshStore = async (): Promise<CheckpointStore> => memoryStore()

function deps(
  store: CheckpointStore | undefined,
  factory: WorkerFactory,
  size = 2,
): CoordinatorDeps & { pool: () => WorkerPool | undefined } {
  let t = 0
  let pool: WorkerPool | undefined
  return {
    store,
    getPool: () => {
      if (pool === undefined || !pool.alive) pool = createWorkerPool({ size, factory, shareMemory: false })
      return pool
    },
    pool: () => pool,
    now: () => (t += 10),
    wallNow: () => 1_700_000_000_000,
  }
}

const CHUNK = 4 // 18 combos → 5 chunks
const reference = () => runPlannedSweep(smallSeries(), smallSpec)

/** Runs the small sweep and cancels it once `chunks` chunks are done. */
async function cancelledAfter(d: CoordinatorDeps, chunks: number): Promise<SweepUpdate> {
  const ctrl = new AbortController()
  const out = await run(d, ctrl.signal, (u) => u.progress.doneChunks >= chunks && ctrl.abort())
  if (out.kind !== 'cancelled') throw new Error(`expected a cancel, got ${out.kind}`)
  return out.update
}

function expectRowsEqual(a: Float64Array, b: Float64Array): void {
  expect(sameRows(a, b)).toEqual([])
}

const run = (
  d: CoordinatorDeps,
  signal = new AbortController().signal,
  onUpdate?: (u: SweepUpdate) => void,
  chunkSize = CHUNK,
): Promise<SweepOutcome> =>
  // Every completed chunk written at once, so cancels can land between checkpoints.
  runCoordinatedSweep(
    { series: smallSeries(), spec: smallSpec, chunkSize, request: { note: 'test' }, signal, onUpdate, checkpointEveryMs: 0 },
    d,
  )

describe("runCoordinatedSweep with a checkpoint store (the lab's mode)", () => {
  it('simulates each distinct simulation once across all workers and gives the single-thread rows', async () => {
    const log = newLog()
    const updates: SweepUpdate['progress'][] = []
    const out = await run(deps(await freshStore(), directFactory(log)), undefined, (u) => updates.push(u.progress))
    expect(out.kind).toBe('completed')
    if (out.kind !== 'completed') return
    expectRowsEqual(out.update.rows, runSweep(smallSeries(), smallSpec).rows)
    const ref = reference()
    expect(ref.sims.simCount).toBeLessThan(18)
    // Global de-duplication: exactly the representatives, none twice, whichever worker ran them.
    expect(simulatedCombos(log).sort((a, b) => a - b)).toEqual([...ref.sims.repOf])
    expect(log.loads).toBe(2)
    expect(log.classCalls).toBe(2)
    expect(log.terminated).toBe(0) // the pool stays alive for the next sweep
    expect(out.update.sharing).toBe('copied')
    const p = out.update.progress
    expect(p).toMatchObject({ doneCombos: 18, totalCombos: 18, doneChunks: 5, totalChunks: 5, resumedCombos: 0, etaMs: 0 })
    expect(p.simulated).toBe(ref.sims.simCount)
    expect(p.simulated + p.copied).toBe(18)
    expect(p.combosPerSec).toBeGreaterThan(0)
    const chunkCounts = updates.map((u) => u.doneChunks)
    expect(chunkCounts[0]).toBe(0)
    expect(chunkCounts.at(-1)).toBe(5)
    expect([...chunkCounts].sort((a, b) => a - b)).toEqual(chunkCounts)
    expect(Number.isNaN(updates[0]!.etaMs)).toBe(true)
  })

  it('a second sweep on the same pool and series sends no candles again (warm) and matches', async () => {
    const log = newLog()
    const d = deps(await freshStore(), directFactory(log))
    await run(d)
    const rsiSpec = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 9], oversold: [25, 30], overbought: [70] } }
    const again = await runCoordinatedSweep({ series: smallSeries(), spec: rsiSpec, request: {}, signal: new AbortController().signal }, d)
    expect(again.kind).toBe('completed')
    if (again.kind !== 'completed') return
    expectRowsEqual(again.update.rows, runSweep(smallSeries(), rsiSpec).rows)
    expect(log.loads).toBe(2)
    expect(log.prepares).toBe(4)
    expect(log.classCalls).toBe(2) // rsi has no class keys: each point is its own class
  })

  it('workers keep 2 series; a third evicts the oldest, which is loaded again when needed', async () => {
    const log = newLog()
    const d = deps(await freshStore(), directFactory(log))
    const { minuteSeries } = await import('../helpers.ts')
    const series = [minuteSeries(31, 400), minuteSeries(32, 400), minuteSeries(33, 400)]
    const spec = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 7], oversold: [25, 30] } }
    for (const i of [0, 1, 2, 0]) {
      // A fresh store each time: the repeated sweep must not be served from checkpoints.
      const out = await runCoordinatedSweep(
        { series: series[i]!, spec, request: {}, signal: new AbortController().signal },
        { ...d, store: await freshStore() },
      )
      expect(out.kind).toBe('completed')
      if (out.kind === 'completed') expectRowsEqual(out.update.rows, runSweep(series[i]!, spec).rows)
    }
    expect(log.loads).toBe(2 * 4) // series 0 sent twice to each of the 2 workers
  })

  it('resumes after the caller is dropped: finished chunks come from the store, not the workers', async () => {
    const store2 = memoryStore()
    const first = await cancelledAfter(deps(store2, directFactory(newLog()), 1), 2)
    const resumed = first.progress.doneCombos
    expect(resumed).toBeGreaterThanOrEqual(8)
    expect(resumed).toBeLessThan(18)

    // A new pool: as after a reload.
    const log2 = newLog()
    expect((await store2.listSweeps())[0]).toMatchObject({ finished: false, comboCount: 18, chunkCount: 5 })
    const storedCombos = new Set<number>()
    for (const r of await store2.loadChunks(first.sweepId)) for (let c = r.startCombo; c < r.endCombo; c++) storedCombos.add(c)
    expect(storedCombos.size).toBe(resumed)
    const second = await run(deps(store2, directFactory(log2), 1))
    expect(second.kind).toBe('completed')
    if (second.kind !== 'completed') return
    // No simulation whose row a stored chunk already holds is run again.
    const { sims } = reference()
    expect(simulatedCombos(log2).length).toBeGreaterThan(0)
    for (const c of simulatedCombos(log2)) {
      for (const s of storedCombos) expect(sims.simOf[s]).not.toBe(sims.simOf[c])
    }
    expect(second.update.progress).toMatchObject({ resumedCombos: resumed, doneCombos: 18 })
    expectRowsEqual(second.update.rows, runSweep(smallSeries(), smallSpec).rows)
    expect((await store2.listSweeps())[0]).toMatchObject({ finished: true })

    // A third run finds everything finished and starts no worker at all.
    let pools = 0
    const third = await run({
      ...deps(store2, directFactory(newLog())),
      getPool: () => {
        pools++
        throw new Error('unused')
      },
    })
    expect(third.kind).toBe('completed')
    expect(pools).toBe(0)
  })

  it('a different chunk size or spec is a different sweep (nothing reused)', async () => {
    const store = await freshStore()
    await run(deps(store, directFactory(newLog())))
    const log = newLog()
    const other = await run(deps(store, directFactory(log)), undefined, undefined, 6)
    expect(other.kind).toBe('completed')
    expect(simulatedCombos(log).length).toBe(reference().sims.simCount)
  })

  it('cancel keeps the finished chunks, drops the work in flight and terminates the workers', async () => {
    const store = await freshStore()
    const log = newLog()
    const d = deps(store, directFactory(log), 2)
    const out = { update: await cancelledAfter(d, 1) }
    const sweepId = out.update.sweepId
    const done = out.update.progress.doneChunks
    expect(done).toBeGreaterThanOrEqual(1)
    expect(done).toBeLessThan(5)
    expect(log.terminated).toBe(2)
    expect(d.pool()!.alive).toBe(false)
    const stored = (await store.loadChunks(sweepId)).map((r) => r.chunkIndex)
    expect(stored.length).toBe(done)
    // Rows of chunks not stored stay NaN: they can never rank.
    for (let c = 0; c < 5; c++) {
      if (!stored.includes(c)) expect(Number.isNaN(out.update.rows[c * 4 * 13])).toBe(true)
    }
    // The next sweep gets a new pool and finishes the rest.
    const rest = await run(d)
    expect(rest.kind).toBe('completed')
    if (rest.kind === 'completed') expectRowsEqual(rest.update.rows, runSweep(smallSeries(), smallSpec).rows)
  })

  it('with the default checkpoint interval a short sweep writes its chunks in one batch at the end', async () => {
    const store = await freshStore()
    let batches = 0
    const counting: CheckpointStore = { ...store, putChunks: (recs) => (batches++, store.putChunks(recs)) }
    const out = await runCoordinatedSweep(
      { series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal },
      { ...deps(counting, directFactory(newLog())), now: () => 0 },
    )
    expect(out.kind).toBe('completed')
    expect(batches).toBe(1)
    if (out.kind === 'completed') expect((await store.loadChunks(out.update.sweepId)).length).toBe(5)
  })

  it('a cancel while the workers prepare returns at once (terminated workers never answer)', async () => {
    const log = newLog()
    const stuck: WorkerFactory = () => {
      const inner = directFactory(log)()
      return { ...inner, api: { ...inner.api, prepare: () => new Promise<never>(() => undefined) } }
    }
    const ctrl = new AbortController()
    setTimeout(() => ctrl.abort(), 20)
    const out = await run(deps(await freshStore(), stuck), ctrl.signal)
    expect(out.kind).toBe('cancelled')
    expect(log.terminated).toBe(2)
  })

  it('returns the validation errors of a bad spec without starting workers', async () => {
    const out = await runCoordinatedSweep(
      { series: smallSeries(), spec: { ...smallSpec, grid: { 'w.nope': [1] } }, request: {}, signal: new AbortController().signal },
      {
        ...deps(await freshStore(), directFactory(newLog())),
        getPool: () => {
          throw new Error('must not start')
        },
      },
    )
    expect(out.kind).toBe('invalid')
    if (out.kind === 'invalid') expect(out.errors.join('\n')).toMatch(/w\.nope/)
  })

  it('a failing checkpoint write fails the sweep with its message', async () => {
    const store = await freshStore()
    const broken: CheckpointStore = { ...store, putChunks: () => Promise.reject(new Error('quota exceeded')) }
    const out = await run(deps(broken, directFactory(newLog())))
    expect(out.kind).toBe('failed')
    if (out.kind === 'failed') expect(out.error).toMatch(/checkpoint of chunks .*quota exceeded/)
  })

  it('reports a worker that dies as a failure with a message', async () => {
    const dying: WorkerFactory = () => {
      const inner = directFactory(newLog())()
      return { ...inner, api: { ...inner.api, runSims: () => Promise.reject(new Error('worker crashed')) } }
    }
    const out = await run(deps(await freshStore(), dying))
    expect(out.kind).toBe('failed')
    if (out.kind === 'failed') expect(out.error).toMatch(/worker crashed/)
  })
})

describe("runCoordinatedSweep without a store (the CLI's mode)", () => {
  it('gives the single-thread rows, runs each distinct simulation once and reports the plan', async () => {
    const log = newLog()
    const d = deps(undefined, directFactory(log))
    const out = await runCoordinatedSweep({ series: smallSeries(), spec: smallSpec }, d)
    expect(out.kind).toBe('completed')
    if (out.kind !== 'completed') return
    const ref = reference()
    expectRowsEqual(out.update.rows, ref.rows)
    expectRowsEqual(out.update.rows, runSweep(smallSeries(), smallSpec).rows)
    expect(simulatedCombos(log).sort((a, b) => a - b)).toEqual([...ref.sims.repOf])
    expect(out.update.sweepId).toBe('')
    expect(out.update.sims!.simOf).toEqual(ref.sims.simOf)
    expect(out.update.bars).toBe(smallSeries().close.length)
    const p = out.update.progress
    expect(p).toMatchObject({ doneCombos: 18, simulated: ref.sims.simCount, simCount: ref.sims.simCount, copied: 18 - ref.sims.simCount })
    expect(p.cacheBuilds).toBeGreaterThan(0)
    expect(Number.isFinite(p.planMs)).toBe(true)
    // Warm: the same pool and series build nothing.
    const warm = await runCoordinatedSweep({ series: smallSeries(), spec: smallSpec }, d)
    expect(warm.kind === 'completed' && warm.update.progress.cacheBuilds).toBe(0)
  })

  it('hands out a fixed work size when asked, over every worker', async () => {
    const log = newLog()
    const rsi = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 7, 9], oversold: [25, 30], stopLossRate: [0, 0.01] } }
    const out = await runCoordinatedSweep({ series: smallSeries(), spec: rsi, workSize: 5 }, deps(undefined, directFactory(log), 3))
    expect(out.kind).toBe('completed')
    expect(log.sims.map((s) => s.length)).toEqual([5, 5, 2])
    if (out.kind === 'completed') expectRowsEqual(out.update.rows, runSweep(smallSeries(), rsi).rows)
  })

  it('a cancel keeps the partial rows: finished chunks exact, the rest NaN', async () => {
    const ctrl = new AbortController()
    const rsi = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 7, 9, 11], oversold: [25, 30, 35] } }
    const out = await runCoordinatedSweep(
      {
        series: smallSeries(),
        spec: rsi,
        chunkSize: 2,
        workSize: 2,
        signal: ctrl.signal,
        onUpdate: (u) => u.progress.doneChunks >= 2 && ctrl.abort(),
      },
      deps(undefined, directFactory(newLog()), 1),
    )
    expect(out.kind).toBe('cancelled')
    if (out.kind !== 'cancelled') return
    const want = runSweep(smallSeries(), rsi).rows
    let finished = 0
    for (let c = 0; c < 12; c++) {
      const row = out.update.rows.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT)
      if (Number.isNaN(row[0])) continue
      finished++
      expect(sameRows(row, want.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT))).toEqual([])
    }
    expect(finished).toBe(out.update.progress.doneCombos)
    expect(finished).toBeGreaterThanOrEqual(4)
    expect(finished).toBeLessThan(12)
  })
})
