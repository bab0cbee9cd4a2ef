import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { runPlannedSweep, runSweep } from '../../../shared/optimize/index.ts'
import { openCheckpointStore } from '../../../lab/optimizer/checkpoint-store.ts'
import type { CheckpointStore } from '../../../lab/optimizer/checkpoint-store.ts'
import { runSweepSession } from '../../../lab/optimizer/sweep-session.ts'
import type { SweepDeps, SweepOutcome, SweepUpdate } from '../../../lab/optimizer/sweep-session.ts'
import { createSweepPool } from '../../../lab/optimizer/worker-pool.ts'
import type { SweepPool, WorkerFactory } from '../../../lab/optimizer/worker-pool.ts'
import { directFactory, newLog, simulatedCombos, smallSeries, smallSpec } from './fixtures.ts'

let dbCount = 0
const freshStore = (): Promise<CheckpointStore> => openCheckpointStore(`session-test-${dbCount++}`)

function deps(store: CheckpointStore, factory: WorkerFactory, size = 2): SweepDeps & { pool: () => SweepPool | undefined } {
  let t = 0
  let pool: SweepPool | undefined
  return {
    store,
    getPool: () => {
      if (pool === undefined || !pool.alive) pool = createSweepPool({ size, factory, shareMemory: false })
      return pool
    },
    pool: () => pool,
    now: () => (t += 10),
    wallNow: () => 1_700_000_000_000,
  }
}

const CHUNK = 4 // 18 combos → 5 chunks
const reference = () => runPlannedSweep(smallSeries(), smallSpec)

function expectRowsEqual(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length)
  // Object.is: NaN equals NaN, every other value bit-for-bit as numbers.
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`${i}: ${a[i]}`).toBe(`${i}: ${b[i]}`)
}

const run = (d: SweepDeps, signal = new AbortController().signal, onUpdate?: (u: SweepUpdate) => void, chunkSize = CHUNK): Promise<SweepOutcome> =>
  // Every completed chunk written at once, so cancels can land between checkpoints.
  runSweepSession({ series: smallSeries(), spec: smallSpec, chunkSize, request: { note: 'test' }, signal, onUpdate, checkpointEveryMs: 0 }, d)

describe('runSweepSession', () => {
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
    const again = await runSweepSession({ series: smallSeries(), spec: rsiSpec, request: {}, signal: new AbortController().signal }, d)
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
    const { minuteSeries } = await import('../../shared/optimize/helpers.ts')
    const series = [minuteSeries(31, 400), minuteSeries(32, 400), minuteSeries(33, 400)]
    const spec = { ...smallSpec, strategyId: 'rsi', grid: { period: [5, 7], oversold: [25, 30] } }
    for (const i of [0, 1, 2, 0]) {
      // A fresh store each time: the repeated sweep must not be served from checkpoints.
      const out = await runSweepSession({ series: series[i]!, spec, request: {}, signal: new AbortController().signal }, { ...d, store: await freshStore() })
      expect(out.kind).toBe('completed')
      if (out.kind === 'completed') expectRowsEqual(out.update.rows, runSweep(series[i]!, spec).rows)
    }
    expect(log.loads).toBe(2 * 4) // series 0 sent twice to each of the 2 workers
  })

  it('resumes after the controller is dropped: finished chunks come from IndexedDB, not the workers', async () => {
    const db = `session-resume-${dbCount++}`
    const ctrl = new AbortController()
    const first = await run(deps(await openCheckpointStore(db), directFactory(newLog()), 1), ctrl.signal, (u) => {
      if (u.progress.doneChunks >= 2) ctrl.abort()
    })
    expect(first.kind).toBe('cancelled')
    if (first.kind !== 'cancelled') return
    const resumed = first.update.progress.doneCombos
    expect(resumed).toBeGreaterThanOrEqual(8)
    expect(resumed).toBeLessThan(18)

    // A new store connection and a new pool: as after a reload.
    const log2 = newLog()
    const store2 = await openCheckpointStore(db)
    expect((await store2.listSweeps())[0]).toMatchObject({ finished: false, comboCount: 18, chunkCount: 5 })
    const storedCombos = new Set<number>()
    for (const r of await store2.loadChunks(first.update.sweepId)) for (let c = r.startCombo; c < r.endCombo; c++) storedCombos.add(c)
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
    const third = await run({ ...deps(store2, directFactory(newLog())), getPool: () => { pools++; throw new Error('unused') } })
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
    const ctrl = new AbortController()
    const log = newLog()
    let sweepId = ''
    const d = deps(store, directFactory(log), 2)
    const out = await run(d, ctrl.signal, (u) => {
      sweepId = u.sweepId
      if (u.progress.doneChunks >= 1) ctrl.abort()
    })
    expect(out.kind).toBe('cancelled')
    if (out.kind !== 'cancelled') return
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
    const out = await runSweepSession({ series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal }, { ...deps(counting, directFactory(newLog())), now: () => 0 })
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
    const out = await runSweepSession(
      { series: smallSeries(), spec: { ...smallSpec, grid: { 'w.nope': [1] } }, request: {}, signal: new AbortController().signal },
      { ...deps(await freshStore(), directFactory(newLog())), getPool: () => { throw new Error('must not start') } },
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
