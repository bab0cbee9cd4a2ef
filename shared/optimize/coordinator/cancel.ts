// Cancellation without platform types: shared/ compiles without DOM or Node, so the coordinator
// takes this structural subset of AbortSignal (a real AbortSignal fits) and makes its own.

export interface CancelSignal {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface Canceller {
  readonly signal: CancelSignal
  cancel(): void
}

export function createCanceller(): Canceller {
  const listeners = new Set<() => void>()
  let aborted = false
  const signal: CancelSignal = {
    get aborted() {
      return aborted
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  }
  return {
    signal,
    cancel() {
      if (aborted) return
      aborted = true
      const pending = [...listeners]
      listeners.clear()
      for (const l of pending) l()
    },
  }
}

/**
 * `p`, or 'aborted' as soon as `signal` is. Not Promise.race(p, aborted): a race leaves a reaction
 * on the long-lived abort promise that keeps every raced result (a chunk's rows) alive until the
 * sweep ends; here the listener goes when `p` settles.
 */
export function unlessAborted<T>(p: Promise<T>, signal: CancelSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted')
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve('aborted')
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/** A signal that is never aborted. */
export const NEVER_CANCELLED: CancelSignal = { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined }
