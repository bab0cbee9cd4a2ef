// Module worker of the backtest cells: the engine (engine.ts) exposed with comlink, the result's
// equity buffer transferred back, and yields between look-ahead cut points through a
// MessageChannel (a timer would be clamped to 4 ms after a few nested calls).
// User strategies run here too: the realm is hardened with SES's lockdown() before anything else
// is evaluated (the first import), and each user source is loaded in its own Compartment with
// only the sandbox's globals (lab/strategies/compartment.ts). The page terminates this worker
// when a user rule overruns its time or its cell's Stop is pressed (runner.svelte.ts).
// expose(api, self): plain expose(api) hangs under @vitest/web-worker (stack.md §6).
import '../../../strategies/lockdown.ts'
import { expose, transfer } from 'comlink'
import type { Endpoint } from 'comlink'
import { sesEvaluate } from '../../../strategies/compartment.ts'
import { userStrategyDef } from '../../../strategies/user-def.ts'
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
expose(
  createBacktestEngine({ transfer, yieldNow, checkDelayMs: 120, loadUser: (source) => userStrategyDef(source, sesEvaluate) }),
  self as unknown as Endpoint,
)
