// The lab's sweep checkpoints in IndexedDB (idb), behind the coordinator's CheckpointStore
// interface (the CLI keeps the same records in a file): one record per finished chunk, keyed by
// [sweepId, chunkIndex], rows kept as a Float64Array (rows × METRIC_COUNT), plus one meta record
// per sweep so the page can offer "resume" after a reload or a crash.
import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase } from 'idb'
import type { CheckpointStore, ChunkRecord, SweepMeta } from '../../shared/optimize/coordinator/index.ts'

interface CheckpointSchema extends DBSchema {
  chunks: { key: [string, number]; value: ChunkRecord }
  sweeps: { key: string; value: SweepMeta; indexes: { byUpdated: number } }
}

export const DEFAULT_CHECKPOINT_DB = 'upbit-lab-optimizer'

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
    // One transaction: all or none.
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
