// The strategy checks in this thread, with an evaluator the caller provides: for tests in
// happy-dom (no module workers). Never for user code on a page: there is no SES lockdown here and
// nothing can stop an endless loop.
import type { Evaluate } from '../../shared/strategies/user/source.ts'
import { createStrategyChecker } from './checker.ts'
import type { StrategyChecks } from './sandbox.ts'

export function inProcessChecks(evaluate: Evaluate, now: () => number = () => performance.now()): StrategyChecks {
  const checkers = new Map<string, ReturnType<typeof createStrategyChecker>>()
  const of = (lane: string): ReturnType<typeof createStrategyChecker> => {
    let c = checkers.get(lane)
    if (c === undefined) checkers.set(lane, (c = createStrategyChecker(evaluate, now)))
    return c
  }
  return {
    compile: async (lane, source, signal) => {
      signal.throwIfAborted()
      return of(lane).compile(source)
    },
    audit: async (lane, source, series, values, signal) => {
      signal.throwIfAborted()
      return of(lane).audit(source, series, values)
    },
    release: (lane) => void checkers.delete(lane),
  }
}
