// Storage failures in plain words. IndexedDB reports them as DOMExceptions with terse names; the
// lab shows what happened and what the user can do about it, never a raw exception.
export type StorageErrorCode = 'quota' | 'blocked' | 'versionchange' | 'unavailable' | 'unknown'

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** What the user can do, one sentence. */
    readonly advice: string,
    readonly cause?: unknown,
  ) {
    super(message)
    this.name = 'StorageError'
  }
}

const nameOf = (e: unknown): string =>
  e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e) ? String((e as { name: unknown }).name) : ''

/** Maps anything thrown by IndexedDB (or its absence) to a StorageError; passes StorageErrors through. */
export function toStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e
  const name = nameOf(e)
  const detail = e instanceof Error ? e.message : String(e)
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return new StorageError(
      'quota',
      'The browser ran out of storage space for this site.',
      'Delete downloaded candles you no longer need (or whole notebooks), free disk space, then run the cell again. What was saved before is kept.',
      e,
    )
  }
  if (name === 'VersionError' || name === 'AbortError' || /versionchange|version change/i.test(detail)) {
    return new StorageError(
      'versionchange',
      'The lab was updated in another tab, so this tab lost its connection to the saved data.',
      'Reload this page.',
      e,
    )
  }
  if (name === 'SecurityError' || name === 'InvalidStateError' || name === 'UnknownError' || /indexeddb/i.test(detail)) {
    return new StorageError(
      'unavailable',
      'This browser does not let the lab save data here (a private window, or site data is blocked).',
      'Open the lab in a normal window, or allow site data for this address. Until then nothing is saved when you close the tab.',
      e,
    )
  }
  return new StorageError(
    'unknown',
    `Saving or reading local data failed: ${detail}`,
    'Reload the page; if it keeps happening, export your notebooks first.',
    e,
  )
}

export const blockedError = (): StorageError =>
  new StorageError(
    'blocked',
    'Another tab of the lab is holding an older version of the saved data open.',
    'Close the other lab tabs (or reload them), then reload this one.',
  )

export const unavailableError = (): StorageError =>
  toStorageError(Object.assign(new Error('IndexedDB is not available'), { name: 'InvalidStateError' }))
