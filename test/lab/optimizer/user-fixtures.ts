// Fixtures of the user-strategy sweep tests: the sandboxed sweep worker's API in process, async
// like comlink (a plain Function stands in for the SES compartment: lockdown() would freeze the
// test's realm), counting the sources it defines and the terminations; optionally stalling (its
// runSims never answers after `stallAfter` calls, as a rule stuck in an endless loop would not).
import type { Evaluate } from '../../../shared/strategies/user/source.ts'
import type { UserWorkerFactory } from '../../../lab/optimizer/browser-workers.ts'
import { createUserSweepWorker, type RemoteUserSweepWorker } from '../../../lab/optimizer/user-sweep.ts'
import { userStrategyDef } from '../../../lab/strategies/user-def.ts'

export const evaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))

export interface UserWorkerLog {
  defines: number
  terminated: number
}

export function userWorkers(log: UserWorkerLog, stallAfter = Infinity): UserWorkerFactory {
  return () => {
    const api = createUserSweepWorker({ load: (src) => userStrategyDef(src, evaluate) })
    let dead = false
    let sims = 0
    const rt =
      <A extends unknown[], R>(f: (...a: A) => R) =>
      async (...a: A): Promise<R> => {
        await new Promise((r) => setTimeout(r, 0))
        if (dead) return new Promise<never>(() => undefined) // a terminated worker never answers
        return f(...a)
      }
    const remote: RemoteUserSweepWorker = {
      loadSeries: rt(api.loadSeries),
      prepare: rt(api.prepare),
      classKeys: rt(api.classKeys),
      runSims: (combos, blocks) => (++sims > stallAfter ? new Promise<never>(() => undefined) : rt(api.runSims)(combos, blocks)),
      simulate: rt(api.simulate),
      planSims: rt(api.planSims),
      cscvWorse: rt(api.cscvWorse),
      defineUser: rt((h: string, s: string) => (log.defines++, api.defineUser(h, s))),
      signals: rt(api.signals),
    }
    return {
      api: remote,
      failed: new Promise<never>(() => undefined),
      terminate: () => {
        dead = true
        log.terminated++
      },
    }
  }
}
