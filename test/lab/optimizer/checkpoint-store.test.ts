import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { openCheckpointStore } from '../../../lab/optimizer/checkpoint-store.ts'

let n = 0
const freshDb = (): string => `cp-test-${n++}`

describe('checkpoint store', () => {
  it('round-trips chunk rows as Float64Array, in chunk order, per sweep', async () => {
    const store = await openCheckpointStore(freshDb())
    await store.putChunks([{ sweepId: 'a', chunkIndex: 10, startCombo: 20, endCombo: 22, rows: new Float64Array([3, Number.NaN]) }])
    await store.putChunks([{ sweepId: 'a', chunkIndex: 2, startCombo: 4, endCombo: 6, rows: new Float64Array([1, Infinity]) }])
    await store.putChunks([{ sweepId: 'b', chunkIndex: 0, startCombo: 0, endCombo: 1, rows: new Float64Array([9]) }])
    const a = await store.loadChunks('a')
    expect(a.map((r) => r.chunkIndex)).toEqual([2, 10])
    expect(a[0]!.rows).toBeInstanceOf(Float64Array)
    expect(Array.from(a[0]!.rows)).toEqual([1, Infinity])
    expect(Number.isNaN(a[1]!.rows[1])).toBe(true)
    expect((await store.loadChunks('b')).length).toBe(1)
    store.close()
  })

  it('survives reopening, lists sweeps newest first and deletes one sweep whole', async () => {
    const db = freshDb()
    const s1 = await openCheckpointStore(db)
    const meta = { request: { x: 1 }, comboCount: 4, chunkCount: 2, createdMs: 1, finished: false }
    await s1.putMeta({ sweepId: 'old', ...meta, updatedMs: 100 })
    await s1.putMeta({ sweepId: 'new', ...meta, updatedMs: 200 })
    await s1.putChunks([{ sweepId: 'old', chunkIndex: 0, startCombo: 0, endCombo: 2, rows: new Float64Array(26) }])
    await s1.putChunks([{ sweepId: 'new', chunkIndex: 0, startCombo: 0, endCombo: 2, rows: new Float64Array(26) }])
    s1.close()
    const s2 = await openCheckpointStore(db)
    expect((await s2.listSweeps()).map((m) => m.sweepId)).toEqual(['new', 'old'])
    expect(await s2.getMeta('old')).toMatchObject({ request: { x: 1 }, updatedMs: 100 })
    await s2.deleteSweep('old')
    expect(await s2.getMeta('old')).toBeUndefined()
    expect(await s2.loadChunks('old')).toEqual([])
    expect((await s2.loadChunks('new')).length).toBe(1)
    s2.close()
  })
})
