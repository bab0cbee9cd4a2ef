// Sweep workers on Node worker_threads, reached through comlink's Node adapter: the WorkerFactory
// the shared worker pool (shared/optimize/coordinator/worker-pool.ts) starts its workers with.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { wrap } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { SweepWorkerApi, WorkerFactory } from '../../shared/optimize/coordinator/index.ts'

/** Node cannot load the .ts worker by itself: the bootstrap registers tsx in the thread first. */
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url)

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism())
}

export const nodeWorkerFactory: WorkerFactory = () => {
  const worker = new Worker(BOOTSTRAP)
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', (e) => reject(new Error(`sweep worker: ${e.message}`)))
    worker.once('exit', (code) => reject(new Error(`sweep worker exited with code ${code}`)))
  })
  failed.catch(() => undefined) // observed through races; no unhandled rejection when idle
  return {
    api: wrap<SweepWorkerApi>(nodeEndpoint(worker)),
    failed,
    terminate: async () => void (await worker.terminate()),
  }
}
