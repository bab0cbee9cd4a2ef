// Storage failures come out in plain words with what to do: quota, a blocked open, a schema
// upgrade from another tab, and no IndexedDB at all (private modes).
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { CandleStore, openLabDb, StorageError, toStorageError } from '../../../lab/candles/index.ts'

const openRaw = (name: string, version: number): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })

describe('storage errors', () => {
  it('maps a quota failure to advice about freeing space', () => {
    const e = toStorageError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
    expect(e.code).toBe('quota')
    expect(e.message).toMatch(/out of storage space/)
    expect(e.advice).toMatch(/Delete downloaded candles/)
  })

  it('maps security / invalid-state failures (private mode) to "not available"', () => {
    expect(toStorageError(new DOMException('denied', 'SecurityError')).code).toBe('unavailable')
    expect(toStorageError(new DOMException('closing', 'InvalidStateError')).advice).toMatch(/normal window/)
    expect(toStorageError(new Error('weird')).code).toBe('unknown')
  })

  it('says when IndexedDB does not exist at all', async () => {
    const saved = globalThis.indexedDB
    try {
      Reflect.deleteProperty(globalThis, 'indexedDB')
      const e = await CandleStore.open('candles-none').catch((x: unknown) => x)
      expect(e).toBeInstanceOf(StorageError)
      expect((e as StorageError).code).toBe('unavailable')
    } finally {
      globalThis.indexedDB = saved
    }
  })

  it('reports an open blocked by an older connection in another tab', async () => {
    // An old tab's connection that ignores versionchange (as a tab of an older lab build would).
    const old = await openRaw('candles-blocked', 5)
    const e = await openLabDb('candles-blocked', 6, () => {}).catch((x: unknown) => x)
    expect((e as StorageError).code).toBe('blocked')
    expect((e as StorageError).advice).toMatch(/Close the other lab tabs/)
    old.close()
  })

  it('tells this tab to reload when another tab upgrades the database', async () => {
    const store = await CandleStore.open('candles-upgraded')
    const newer = await openRaw('candles-upgraded', 2) // succeeds because the store closes itself
    const e = await store.coverage({ venue: 'sim', market: 'KRW-BTC', timeframe: '1m' }).catch((x: unknown) => x)
    expect((e as StorageError).code).toBe('versionchange')
    expect((e as StorageError).advice).toBe('Reload this page.')
    newer.close()
  })
})
