// IndexedDB checkpoints of optimizer sweeps (idb): one record per finished chunk, keyed by
// [sweepId, chunkIndex], rows kept as a Float64Array (rows × METRIC_COUNT), plus one meta record
// per sweep so the page can offer "resume" after a reload or a crash.
import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'

export interface ChunkRecord {
  readonly sweepId: string
  readonly chunkIndex: number
  readonly startCombo: number
  readonly endCombo: number
  readonly rows: Float64Array
}

export interface SweepMeta {
  readonly sweepId: string
  /** Whatever the page needs to rebuild the sweep (spec, data source, chunk size): plain JSON. */
  readonly request: unknown
  readonly comboCount: number
  readonly chunkCount: number
  readonly createdMs: number
  readonly updatedMs: number
  readonly finished: boolean
}

interface CheckpointSchema extends DBSchema {
  chunks: { key: [string, number]; value: ChunkRecord }
  sweeps: { key: string; value: SweepMeta; indexes: { byUpdated: number } }
}

export const DEFAULT_CHECKPOINT_DB = 'upbit-lab-optimizer'

export interface CheckpointStore {
  putMeta(meta: SweepMeta): Promise<void>
  getMeta(sweepId: string): Promise<SweepMeta | undefined>
  /** Newest first. */
  listSweeps(): Promise<SweepMeta[]>
  putChunk(rec: ChunkRecord): Promise<void>
  /** Several chunks in one transaction (all or none). */
  putChunks(recs: readonly ChunkRecord[]): Promise<void>
  /** All finished chunks of a sweep, in chunk order. */
  loadChunks(sweepId: string): Promise<ChunkRecord[]>
  deleteSweep(sweepId: string): Promise<void>
  close(): void
}

function chunkRange(sweepId: string): IDBKeyRange {
  return IDBKeyRange.bound([sweepId, -Infinity], [sweepId, Infinity])
}

export async function openCheckpointStore(dbName = DEFAULT_CHECKPOINT_DB): Promise<CheckpointStore> {
  const db: IDBPDatabase<CheckpointSchema> = await openDB<CheckpointSchema>(dbName, 1, {
    upgrade(d) {
      d.createObjectStore('chunks', { keyPath: ['sweepId', 'chunkIndex'] })
      const sweeps = d.createObjectStore('sweeps', { keyPath: 'sweepId' })
      sweeps.createIndex('byUpdated', 'updatedMs')
    },
  })
  return {
    async putMeta(meta) {
      await db.put('sweeps', meta)
    },
    getMeta: (sweepId) => db.get('sweeps', sweepId),
    async listSweeps() {
      return (await db.getAllFromIndex('sweeps', 'byUpdated')).reverse()
    },
    async putChunk(rec) {
      await db.put('chunks', rec)
    },
    async putChunks(recs) {
      if (recs.length === 0) return
      const tx = db.transaction('chunks', 'readwrite')
      await Promise.all([...recs.map((r) => tx.store.put(r)), tx.done])
    },
    loadChunks: (sweepId) => db.getAll('chunks', chunkRange(sweepId)),
    async deleteSweep(sweepId) {
      const tx = db.transaction(['chunks', 'sweeps'], 'readwrite')
      await Promise.all([tx.objectStore('chunks').delete(chunkRange(sweepId)), tx.objectStore('sweeps').delete(sweepId), tx.done])
    },
    close: () => db.close(),
  }
}
