// Module worker of the optimizer pool when the swept strategy is a user strategy: the sweep
// worker whose strategies are user sources loaded in SES compartments (./user-sweep.ts). The
// realm is hardened with lockdown() before anything else is evaluated (the first import), so no
// user rule can change an intrinsic the sweep code relies on. The plain sweep worker of the
// built-ins (./sweep.worker.ts) stays unhardened: its hot loops are not slowed by frozen
// intrinsics it has no need of. The page terminates these workers on Cancel: an endless loop in
// a rule cannot be interrupted otherwise.
// expose(api, self): plain expose(api) hangs under @vitest/web-worker (stack.md §6).
import '../strategies/lockdown.ts'
import { expose, transfer } from 'comlink'
import type { Endpoint } from 'comlink'
import { sesEvaluate } from '../strategies/compartment.ts'
import { userStrategyDef } from '../strategies/user-def.ts'
import { createUserSweepWorker } from './user-sweep.ts'

// tsconfig's lib is DOM (not WebWorker), so `self` is typed as Window here; in a worker it is the
// DedicatedWorkerGlobalScope, which is an Endpoint.
expose(createUserSweepWorker({ transfer, load: (source) => userStrategyDef(source, sesEvaluate) }), self as unknown as Endpoint)
