// User strategy sources in IndexedDB, content-addressed: `sources` holds every source that ever
// loaded, under the SHA-256 of its text (a record is written once and never changed, except for
// its latest audit summary), and `heads` holds, per strategy id, the hash of its newest source.
// A notebook's backtest cell names the hash it ran, so an old result reopens with the code that
// made it, whatever the strategy cell holds today. A memory twin keeps the lab working without
// IndexedDB (nothing then survives a reload).
import type { DBSchema } from 'idb'
import { openLabDb } from '../candles/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'

/** What the audits said about a source, kept for the promote checklist. */
export interface AuditSummary {
  readonly ok: boolean
  readonly results: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail: string }>
  readonly bars: number
  readonly synthetic: boolean
  readonly atMs: number
}

export interface SourceRecord {
  readonly hash: string
  readonly id: string
  readonly version: number
  readonly source: string
  readonly meta: UserStrategyMeta
  readonly savedMs: number
  readonly audit?: AuditSummary
}

export interface HeadRecord {
  readonly id: string
  readonly hash: string
  readonly savedMs: number
}

export interface SourceStore {
  get(hash: string): Promise<SourceRecord | undefined>
  /** Writes a source (a known hash keeps its record) and makes it the head of its id. */
  save(rec: SourceRecord): Promise<void>
  setAudit(hash: string, audit: AuditSummary): Promise<void>
  heads(): Promise<HeadRecord[]>
  /** Every stored version of an id, newest first. */
  history(id: string): Promise<SourceRecord[]>
}

interface Schema extends DBSchema {
  sources: { key: string; value: SourceRecord; indexes: { byId: string } }
  heads: { key: string; value: HeadRecord }
}

export const STRATEGY_DB = 'upbit-lab-strategies'
export const STRATEGY_DB_VERSION = 1

export async function openSourceStore(name = STRATEGY_DB): Promise<SourceStore> {
  const h = await openLabDb<Schema>(name, STRATEGY_DB_VERSION, (db) => {
    db.createObjectStore('sources', { keyPath: 'hash' }).createIndex('byId', 'id')
    db.createObjectStore('heads', { keyPath: 'id' })
  })
  return {
    get: (hash) => h.guard((db) => db.get('sources', hash)),
    save: (rec) =>
      h.guard(async (db) => {
        const tx = db.transaction(['sources', 'heads'], 'readwrite')
        const old = await tx.objectStore('sources').get(rec.hash)
        if (old === undefined) await tx.objectStore('sources').put(rec)
        await tx.objectStore('heads').put({ id: rec.id, hash: rec.hash, savedMs: rec.savedMs })
        await tx.done
      }),
    setAudit: (hash, audit) =>
      h.guard(async (db) => {
        const tx = db.transaction('sources', 'readwrite')
        const old = await tx.store.get(hash)
        if (old !== undefined) await tx.store.put({ ...old, audit })
        await tx.done
      }),
    heads: () => h.guard((db) => db.getAll('heads')),
    history: (id) => h.guard(async (db) => (await db.getAllFromIndex('sources', 'byId', id)).sort((a, b) => b.savedMs - a.savedMs)),
  }
}

export function memorySourceStore(): SourceStore {
  const sources = new Map<string, SourceRecord>()
  const heads = new Map<string, HeadRecord>()
  return {
    get: async (hash) => sources.get(hash),
    save: async (rec) => {
      if (!sources.has(rec.hash)) sources.set(rec.hash, rec)
      heads.set(rec.id, { id: rec.id, hash: rec.hash, savedMs: rec.savedMs })
    },
    setAudit: async (hash, audit) => {
      const old = sources.get(hash)
      if (old !== undefined) sources.set(hash, { ...old, audit })
    },
    heads: async () => [...heads.values()],
    history: async (id) => [...sources.values()].filter((r) => r.id === id).sort((a, b) => b.savedMs - a.savedMs),
  }
}
