// Module worker of the optimizer pool. expose(api, self): plain expose(api) hangs under
// @vitest/web-worker, whose simulated `self` is not globalThis (stack.md §6).
import { expose } from 'comlink'
import type { Endpoint } from 'comlink'
import { createSweepWorkerApi } from './sweep-worker-api.ts'

// tsconfig's lib is DOM (not WebWorker), so `self` is typed as Window here; in a worker it is the
// DedicatedWorkerGlobalScope, which is an Endpoint.
expose(createSweepWorkerApi({ transferResults: true }), self as unknown as Endpoint)
