// The Node sweep worker thread: the one sweep worker (shared/optimize/coordinator/sweep-worker.ts)
// exposed with comlink over worker_threads' parentPort (comlink's Node adapter). Result buffers are
// transferred back; candles arrive in a SharedArrayBuffer.
import { parentPort } from 'node:worker_threads'
import { expose, transfer } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createSweepWorker } from '../../shared/optimize/coordinator/index.ts'

if (parentPort === null) throw new Error('sweep-worker.ts must run in a worker thread')
expose(createSweepWorker({ transfer }), nodeEndpoint(parentPort))
