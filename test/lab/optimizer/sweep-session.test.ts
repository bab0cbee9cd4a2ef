import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { runSweep } from '../../../shared/optimize/index.ts'
import { openCheckpointStore } from '../../../lab/optimizer/checkpoint-store.ts'
import type { CheckpointStore } from '../../../lab/optimizer/checkpoint-store.ts'
import { runSweepSession } from '../../../lab/optimizer/sweep-session.ts'
import type { SweepDeps, SweepOutcome, SweepUpdate } from '../../../lab/optimizer/sweep-session.ts'
import { createSweepPool } from '../../../lab/optimizer/worker-pool.ts'
import type { WorkerFactory } from '../../../lab/optimizer/worker-pool.ts'
import { directFactory, newLog, smallSeries, smallSpec } from './fixtures.ts'
import type { CallLog } from './fixtures.ts'

let dbCount = 0
const freshStore = (): Promise<CheckpointStore> => openCheckpointStore(`session-test-${dbCount++}`)

function deps(store: CheckpointStore, factory: WorkerFactory, size = 2): SweepDeps {
  let t = 0
  return {
    store,
    makePool: (series, spec) => createSweepPool({ size, factory, series, spec, shareMemory: false }),
    now: () => (t += 10),
    wallNow: () => 1_700_000_000_000,
  }
}

const CHUNK = 4 // 18 combos → 5 chunks

function expectRowsEqual(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length)
  // Object.is: NaN equals NaN, every other value bit-for-bit as numbers.
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`${i}: ${a[i]}`).toBe(`${i}: ${b[i]}`)
}

describe('runSweepSession', () => {
  it('runs a sweep over the pool and gives the same rows as a single-thread sweep in node', async () => {
    const log = newLog()
    const updates: SweepUpdate['progress'][] = []
    const out = await runSweepSession(
      { series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: { note: 'test' }, signal: new AbortController().signal, onUpdate: (u) => updates.push(u.progress) },
      deps(await freshStore(), directFactory(log)),
    )
    expect(out.kind).toBe('completed')
    if (out.kind !== 'completed') return
    expectRowsEqual(out.update.rows, runSweep(smallSeries(), smallSpec).rows)
    expect(log.loads).toBe(2)
    expect(log.ranges.length).toBe(5)
    expect(log.terminated).toBe(2)
    expect(out.update.sharing).toBe('copied')
    const p = out.update.progress
    expect(p).toMatchObject({ doneCombos: 18, totalCombos: 18, doneChunks: 5, totalChunks: 5, resumedCombos: 0, etaMs: 0 })
    expect(p.simulated + p.copied).toBe(18)
    expect(p.combosPerSec).toBeGreaterThan(0)
    expect(updates.map((u) => u.doneChunks)).toEqual([0, 1, 2, 3, 4, 5])
    expect(Number.isNaN(updates[0]!.etaMs)).toBe(true)
  })

  it('resumes after the controller is dropped: finished chunks come from IndexedDB, not the workers', async () => {
    const db = `session-resume-${dbCount++}`
    const ctrl = new AbortController()
    const log1 = newLog()
    const first = await runSweepSession(
      {
        series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: ctrl.signal,
        onUpdate: (u) => { if (u.progress.doneChunks === 2) ctrl.abort() },
      },
      deps(await openCheckpointStore(db), directFactory(log1), 1),
    )
    expect(first.kind).toBe('cancelled')
    expect(log1.ranges).toEqual([[0, 4], [4, 8]])

    // A new store connection and a new pool: as after a reload.
    const log2 = newLog()
    const store2 = await openCheckpointStore(db)
    expect((await store2.listSweeps())[0]).toMatchObject({ finished: false, comboCount: 18, chunkCount: 5 })
    const second = await runSweepSession(
      { series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal },
      deps(store2, directFactory(log2), 1),
    )
    expect(second.kind).toBe('completed')
    if (second.kind !== 'completed') return
    expect(log2.ranges).toEqual([[8, 12], [12, 16], [16, 18]])
    expect(second.update.progress).toMatchObject({ resumedCombos: 8, doneCombos: 18 })
    expectRowsEqual(second.update.rows, runSweep(smallSeries(), smallSpec).rows)
    expect((await store2.listSweeps())[0]).toMatchObject({ finished: true })

    // A third run finds everything finished and starts no worker at all.
    let pools = 0
    const third = await runSweepSession(
      { series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal },
      { ...deps(store2, directFactory(newLog())), makePool: () => { pools++; return Promise.reject(new Error('unused')) } },
    )
    expect(third.kind).toBe('completed')
    expect(pools).toBe(0)
  })

  it('a different chunk size or spec is a different sweep (nothing reused)', async () => {
    const store = await freshStore()
    await runSweepSession({ series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal }, deps(store, directFactory(newLog())))
    const log = newLog()
    const other = await runSweepSession({ series: smallSeries(), spec: smallSpec, chunkSize: 6, request: {}, signal: new AbortController().signal }, deps(store, directFactory(log)))
    expect(other.kind).toBe('completed')
    expect(log.ranges.length).toBe(3)
  })

  it('cancel keeps the finished chunks, drops the ones in flight and terminates the workers', async () => {
    const store = await freshStore()
    const ctrl = new AbortController()
    const log = newLog()
    let sweepId = ''
    const out: SweepOutcome = await runSweepSession(
      {
        series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: ctrl.signal,
        onUpdate: (u) => { sweepId = u.sweepId; if (u.progress.doneChunks === 1) ctrl.abort() },
      },
      deps(store, directFactory(log), 2),
    )
    expect(out.kind).toBe('cancelled')
    if (out.kind !== 'cancelled') return
    // Chunks whose results arrived before the abort are kept; the others were never stored.
    const done = out.update.progress.doneChunks
    expect(done).toBeGreaterThanOrEqual(1)
    expect(done).toBeLessThan(5)
    expect(log.terminated).toBeGreaterThanOrEqual(2)
    const stored = (await store.loadChunks(sweepId)).map((r) => r.chunkIndex)
    expect(stored.length).toBe(done)
    expect(log.ranges.length).toBeLessThan(5)
    // Rows of chunks not stored stay NaN: they can never rank.
    for (let c = 0; c < 5; c++) {
      if (!stored.includes(c)) expect(Number.isNaN(out.update.rows[c * 4 * 13])).toBe(true)
    }
  })

  it('returns the validation errors of a bad spec without starting workers', async () => {
    const out = await runSweepSession(
      { series: smallSeries(), spec: { ...smallSpec, grid: { 'w.nope': [1] } }, request: {}, signal: new AbortController().signal },
      { ...deps(await freshStore(), directFactory(newLog())), makePool: () => Promise.reject(new Error('must not start')) },
    )
    expect(out.kind).toBe('invalid')
    if (out.kind === 'invalid') expect(out.errors.join('\n')).toMatch(/w\.nope/)
  })

  it('reports a worker that dies as a failure with a message', async () => {
    const dying: WorkerFactory = () => {
      const inner = directFactory(newLog())()
      return { ...inner, api: { ...inner.api, runRange: () => Promise.reject(new Error('worker crashed')) } }
    }
    const out = await runSweepSession(
      { series: smallSeries(), spec: smallSpec, chunkSize: CHUNK, request: {}, signal: new AbortController().signal },
      deps(await freshStore(), dying),
    )
    expect(out.kind).toBe('failed')
    if (out.kind === 'failed') expect(out.error).toMatch(/worker crashed/)
  })
})

export type { CallLog }
