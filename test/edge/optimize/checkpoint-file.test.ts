import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createWorkerPool, runCoordinatedSweep } from '../../../shared/optimize/coordinator/index.ts'
import { runSweep } from '../../../shared/optimize/index.ts'
import { openCheckpointFile } from '../../../edge/optimize/checkpoint-file.ts'
import {
  directFactory,
  newLog,
  sameRows,
  simulatedCombos,
  smallSeries,
  smallSpec,
  stallingFactory,
} from '../../shared/optimize/coordinator/fixtures.ts'

const fileIn = (): string => join(mkdtempSync(join(tmpdir(), 'checkpoint-file-')), 'cp.jsonl')
const meta = { request: { x: 1 }, comboCount: 4, chunkCount: 2, createdMs: 1, finished: false }

describe('checkpoint file', () => {
  it('round-trips rows exactly (NaN, ±Infinity, -0), in chunk order, per sweep; the last line of a chunk wins', async () => {
    const path = fileIn()
    const store = openCheckpointFile(path)
    expect(await store.loadChunks('a')).toEqual([]) // no file yet
    await store.putChunks([
      { sweepId: 'a', chunkIndex: 10, startCombo: 20, endCombo: 22, rows: Float64Array.of(3, NaN, -0) },
      { sweepId: 'a', chunkIndex: 2, startCombo: 4, endCombo: 6, rows: Float64Array.of(1, Infinity, -Infinity) },
    ])
    await store.putChunks([{ sweepId: 'b', chunkIndex: 0, startCombo: 0, endCombo: 1, rows: Float64Array.of(9) }])
    await store.putChunks([{ sweepId: 'a', chunkIndex: 2, startCombo: 4, endCombo: 6, rows: Float64Array.of(7, 8, 9) }])
    const a = await openCheckpointFile(path).loadChunks('a')
    expect(a.map((r) => r.chunkIndex)).toEqual([2, 10])
    expect(Array.from(a[0]!.rows)).toEqual([7, 8, 9])
    expect(a[1]!.rows).toBeInstanceOf(Float64Array)
    expect(Object.is(a[1]!.rows[1], NaN)).toBe(true)
    expect(Object.is(a[1]!.rows[2], -0)).toBe(true)
    expect((await store.loadChunks('b')).length).toBe(1)
  })

  it('lists sweeps newest first (last meta line wins), skips a torn last line and deletes one sweep whole', async () => {
    const path = fileIn()
    const s = openCheckpointFile(path)
    await s.putMeta({ sweepId: 'old', ...meta, updatedMs: 100 })
    await s.putMeta({ sweepId: 'new', ...meta, updatedMs: 200 })
    await s.putMeta({ sweepId: 'old', ...meta, updatedMs: 150, finished: true })
    await s.putChunks([{ sweepId: 'old', chunkIndex: 0, startCombo: 0, endCombo: 2, rows: new Float64Array(26) }])
    await s.putChunks([{ sweepId: 'new', chunkIndex: 0, startCombo: 0, endCombo: 2, rows: new Float64Array(26) }])
    appendFileSync(path, '{"chunk":{"sweepId":"new","chunkIndex":1,"startCom') // a crash mid-write
    expect((await s.listSweeps()).map((m) => [m.sweepId, m.updatedMs])).toEqual([
      ['new', 200],
      ['old', 150],
    ])
    expect(await s.getMeta('old')).toMatchObject({ request: { x: 1 }, finished: true })
    expect((await s.loadChunks('new')).map((r) => r.chunkIndex)).toEqual([0])
    await s.deleteSweep('old')
    expect(await s.getMeta('old')).toBeUndefined()
    expect(await s.loadChunks('old')).toEqual([])
    expect((await s.loadChunks('new')).length).toBe(1)
    expect(readFileSync(path, 'utf8')).not.toMatch(/"old"/)
  })

  it('resumes a cancelled sweep through the coordinator without re-running stored simulations', async () => {
    const path = fileIn()
    const ctrl = new AbortController()
    // A worker that stops answering after 2 calls (of the 5 simulations): the cancel lands mid-sweep.
    let t = 0
    const deps = {
      store: openCheckpointFile(path),
      getPool: () => createWorkerPool({ size: 1, factory: stallingFactory(newLog(), 2), shareMemory: false }),
      now: () => (t += 10),
      wallNow: () => 1_700_000_000_000,
    }
    const first = await runCoordinatedSweep(
      {
        series: smallSeries(),
        spec: smallSpec,
        chunkSize: 4,
        workSize: 1,
        checkpointEveryMs: 0,
        signal: ctrl.signal,
        onUpdate: (u) => u.progress.doneChunks >= 1 && ctrl.abort(),
      },
      deps,
    )
    expect(first.kind).toBe('cancelled')
    const log = newLog()
    const second = await runCoordinatedSweep(
      { series: smallSeries(), spec: smallSpec, chunkSize: 4 },
      {
        ...deps,
        store: openCheckpointFile(path),
        getPool: () => createWorkerPool({ size: 2, factory: directFactory(log), shareMemory: false }),
      },
    )
    expect(second.kind).toBe('completed')
    if (second.kind !== 'completed' || first.kind !== 'cancelled') return
    expect(second.update.progress.resumedCombos).toBe(first.update.progress.doneCombos)
    expect(second.update.progress.resumedCombos).toBeGreaterThanOrEqual(4)
    expect(simulatedCombos(log).length).toBeLessThan(second.update.sims!.simCount)
    expect(sameRows(second.update.rows, runSweep(smallSeries(), smallSpec).rows)).toEqual([])
    expect((await openCheckpointFile(path).getMeta(second.update.sweepId))?.finished).toBe(true)
  })
})
