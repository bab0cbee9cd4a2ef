// Module worker of the backtest cells: the engine (engine.ts) exposed with comlink, the result's
// equity buffer transferred back, and yields between look-ahead cut points through a
// MessageChannel (a timer would be clamped to 4 ms after a few nested calls).
// expose(api, self): plain expose(api) hangs under @vitest/web-worker (stack.md §6).
import { expose, transfer } from 'comlink'
import type { Endpoint } from 'comlink'
import { createBacktestEngine } from './engine.ts'

const channel = new MessageChannel()
const waiting: (() => void)[] = []
channel.port1.onmessage = () => waiting.shift()?.()
const yieldNow = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve)
    channel.port2.postMessage(null)
  })

// tsconfig's lib is DOM (not WebWorker), so `self` is typed as Window here; in a worker it is the
// DedicatedWorkerGlobalScope, which is an Endpoint.
expose(createBacktestEngine({ transfer, yieldNow, checkDelayMs: 120 }), self as unknown as Endpoint)
