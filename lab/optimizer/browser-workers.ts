// Sweep workers in the browser: module Web Workers reached through comlink, the WorkerFactory the
// shared worker pool (shared/optimize/coordinator/worker-pool.ts) starts its workers with, and
// the lab's pool: candles in a SharedArrayBuffer when the page is cross-origin isolated, else one
// transferred copy per worker.
// User strategies get their own worker entry (user-sweep.worker.ts, hardened with SES's
// lockdown()); the pool is the same, its factory is chosen by the strategy swept.
import { transfer, wrap } from 'comlink'
import { createWorkerPool } from '../../shared/optimize/coordinator/index.ts'
import type { RemoteSweepWorker, SweepWorkerApi, WorkerFactory, WorkerPool } from '../../shared/optimize/coordinator/index.ts'
import { userSourcesApi, type RemoteUserSweepWorker, type UserSweepWorkerApi } from './user-sweep.ts'

/** The real thing: one module Web Worker per call. */
export const browserWorkerFactory: WorkerFactory = () => {
  const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' })
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) => reject(new Error(`optimizer worker error: ${ev.message || 'failed to load'}`)))
    worker.addEventListener('messageerror', () => reject(new Error('optimizer worker: message could not be decoded')))
  })
  failed.catch(() => undefined) // observed through races; avoid an unhandled rejection when idle
  return { api: wrap<SweepWorkerApi>(worker), failed, terminate: () => worker.terminate() }
}

/** A user-strategy sweep worker with its whole API (the out-of-sample check asks it for signals). */
export interface UserWorkerHandle {
  readonly api: RemoteUserSweepWorker
  readonly failed: Promise<never>
  terminate(): void
}

export type UserWorkerFactory = () => UserWorkerHandle

/** One sandboxed module Web Worker (lockdown first) per call. */
export const browserUserWorkerFactory: UserWorkerFactory = () => {
  const worker = new Worker(new URL('./user-sweep.worker.ts', import.meta.url), { type: 'module' })
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) => reject(new Error(`optimizer worker error: ${ev.message || 'failed to load'}`)))
    worker.addEventListener('messageerror', () => reject(new Error('optimizer worker: message could not be decoded')))
  })
  failed.catch(() => undefined)
  return { api: wrap<UserSweepWorkerApi>(worker) as unknown as RemoteUserSweepWorker, failed, terminate: () => worker.terminate() }
}

/**
 * Longest one call of a user sweep worker may take. The coordinator's chunks take well under a
 * second to a few seconds, so a call this long is a rule that does not return (an endless loop
 * SES cannot interrupt): its worker is terminated and the sweep fails saying so. Cancel stops it
 * sooner.
 */
export const USER_SWEEP_CALL_LIMIT_MS = 60_000

/**
 * The pool's factory of user sweeps: each worker defines the sources its specs name, from
 * `sourceOf`; a call over `limitMs` ends the worker (the pool then fails the sweep with why).
 */
export function userSweepFactory(
  user: UserWorkerFactory,
  sourceOf: (hash: string) => string | undefined,
  limitMs = USER_SWEEP_CALL_LIMIT_MS,
): WorkerFactory {
  return () => {
    const h = user()
    let fail: (e: Error) => void = () => {}
    const overrun = new Promise<never>((_, reject) => (fail = reject))
    overrun.catch(() => undefined)
    const api = withCallLimit(userSourcesApi(h.api, sourceOf), limitMs, () => {
      h.terminate()
      fail(
        new Error(
          `The user strategy ran for over ${limitMs / 1000} s in one call of the sweep and was stopped (a loop that never ends?). ` +
            'Fix the rule in its strategy cell and run the sweep again.',
        ),
      )
    })
    const failed = Promise.race([h.failed, overrun])
    failed.catch(() => undefined)
    return { api, failed, terminate: () => h.terminate() }
  }
}

/** `api` with a watchdog on every call: `onOverrun` once when a call has not settled after `limitMs`. */
function withCallLimit(api: RemoteSweepWorker, limitMs: number, onOverrun: () => void): RemoteSweepWorker {
  let fired = false
  const guard =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const timer = setTimeout(() => {
        if (fired) return
        fired = true
        onOverrun()
      }, limitMs)
      return f(...args).finally(() => clearTimeout(timer))
    }
  return {
    loadSeries: guard(api.loadSeries),
    prepare: guard(api.prepare),
    classKeys: guard(api.classKeys),
    runSims: guard(api.runSims),
    simulate: guard(api.simulate),
    planSims: guard(api.planSims),
    cscvWorse: guard(api.cscvWorse),
  }
}

/** SharedArrayBuffer is only usable (and postable) in a cross-origin isolated context. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
}

export interface LabPoolOptions {
  readonly size: number
  /** Default: module Web Workers. */
  readonly factory?: WorkerFactory
  /** Default: canShareMemory(). */
  readonly shareMemory?: boolean
}

export function createLabPool(opts: LabPoolOptions): WorkerPool {
  return createWorkerPool({
    size: opts.size,
    factory: opts.factory ?? browserWorkerFactory,
    shareMemory: opts.shareMemory ?? canShareMemory(),
    transfer,
  })
}
