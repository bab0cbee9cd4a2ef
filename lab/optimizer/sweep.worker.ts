// Module worker of the lab's optimizer pool: the one sweep worker
// (shared/optimize/coordinator/sweep-worker.ts) exposed with comlink, result buffers transferred.
// expose(api, self): plain expose(api) hangs under @vitest/web-worker, whose simulated `self` is
// not globalThis (stack.md §6).
import { expose, transfer } from 'comlink'
import type { Endpoint } from 'comlink'
import { createSweepWorker } from '../../shared/optimize/coordinator/index.ts'

// tsconfig's lib is DOM (not WebWorker), so `self` is typed as Window here; in a worker it is the
// DedicatedWorkerGlobalScope, which is an Endpoint.
expose(createSweepWorker({ transfer }), self as unknown as Endpoint)
