// Notebooks in IndexedDB: one record per notebook (the whole document; notebooks are small), an
// index by last change for the list, and a small meta store (which notebook was open, whether the
// example was already created). A memory twin keeps the lab usable when IndexedDB is not.
import type { DBSchema } from 'idb'
import { openLabDb } from '../candles/index.ts'
import type { NotebookDoc } from './model/types.ts'

export interface NotebookMeta {
  lastOpenedId?: string
  /** The example notebook was created once; deleting it must not bring it back. */
  seeded?: boolean
}

export interface NotebookStore {
  list(): Promise<NotebookDoc[]>
  get(id: string): Promise<NotebookDoc | undefined>
  put(doc: NotebookDoc): Promise<void>
  delete(id: string): Promise<void>
  getMeta(): Promise<NotebookMeta>
  setMeta(meta: NotebookMeta): Promise<void>
}

interface NotebookSchema extends DBSchema {
  notebooks: { key: string; value: NotebookDoc; indexes: { byUpdated: number } }
  meta: { key: string; value: NotebookMeta }
}

export const NOTEBOOK_DB = 'upbit-lab-notebooks'
export const NOTEBOOK_DB_VERSION = 1
const META_KEY = 'lab'

export async function openNotebookStore(name = NOTEBOOK_DB): Promise<NotebookStore> {
  const h = await openLabDb<NotebookSchema>(name, NOTEBOOK_DB_VERSION, (db) => {
    db.createObjectStore('notebooks', { keyPath: 'id' }).createIndex('byUpdated', 'updatedMs')
    db.createObjectStore('meta')
  })
  return {
    list: () => h.guard(async (db) => (await db.getAllFromIndex('notebooks', 'byUpdated')).reverse()),
    get: (id) => h.guard((db) => db.get('notebooks', id)),
    put: (doc) => h.guard(async (db) => void (await db.put('notebooks', doc))),
    delete: (id) => h.guard((db) => db.delete('notebooks', id)),
    getMeta: () => h.guard(async (db) => (await db.get('meta', META_KEY)) ?? {}),
    setMeta: (meta) => h.guard(async (db) => void (await db.put('meta', meta, META_KEY))),
  }
}

/** The same contract in memory: used when IndexedDB cannot be opened (nothing survives a reload). */
export function memoryNotebookStore(): NotebookStore {
  const docs = new Map<string, NotebookDoc>()
  let meta: NotebookMeta = {}
  return {
    list: async () => [...docs.values()].map((d) => structuredClone(d)).sort((a, b) => b.updatedMs - a.updatedMs),
    get: async (id) => (docs.has(id) ? structuredClone(docs.get(id)) : undefined),
    put: async (doc) => void docs.set(doc.id, structuredClone(doc)),
    delete: async (id) => void docs.delete(id),
    getMeta: async () => ({ ...meta }),
    setMeta: async (m) => void (meta = { ...m }),
  }
}
