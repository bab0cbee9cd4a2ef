// Opens an IndexedDB database for the lab with the failure modes turned into StorageErrors:
// no IndexedDB at all (some private modes), an open blocked by another tab on an older version,
// and this tab's connection closed because another tab upgrades the schema.
import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase, OpenDBCallbacks } from 'idb'
import { blockedError, toStorageError, unavailableError, type StorageError } from './errors.ts'

export interface LabDb<S extends DBSchema> {
  readonly db: IDBPDatabase<S>
  /** Runs a storage operation; every failure comes out as a StorageError in plain words. */
  guard<T>(op: (db: IDBPDatabase<S>) => Promise<T>): Promise<T>
  close(): void
}

export async function openLabDb<S extends DBSchema>(
  name: string,
  version: number,
  upgrade: OpenDBCallbacks<S>['upgrade'],
): Promise<LabDb<S>> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw unavailableError()
  let lost: StorageError | null = null
  let db: IDBPDatabase<S>
  try {
    db = await new Promise<IDBPDatabase<S>>((resolve, reject) => {
      openDB<S>(name, version, {
        upgrade,
        // An older connection elsewhere keeps us waiting: say so instead of hanging silently.
        blocked: () => reject(blockedError()),
        // Another tab wants a newer schema: let it proceed; this tab must reload.
        blocking: () => {
          lost = toStorageError(Object.assign(new Error('versionchange'), { name: 'VersionError' }))
          db.close()
        },
        terminated: () => {
          lost = unavailableError()
        },
      }).then(resolve, reject)
    })
  } catch (e) {
    throw toStorageError(e)
  }
  return {
    db,
    async guard(op) {
      if (lost !== null) throw lost
      try {
        return await op(db)
      } catch (e) {
        throw lost ?? toStorageError(e)
      }
    },
    close: () => db.close(),
  }
}
