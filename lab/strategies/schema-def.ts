// A user strategy as the page sees it: its identity and parameter schema (what a strategy cell
// found when it loaded the source in its worker), shaped as a StrategyDef so the optimizer can
// validate and plan a sweep of it on the page. The page never runs user code: the rule itself
// runs only in the sandboxed workers, so calling it here is a bug and says so.
import type { StrategyDef } from '../../shared/strategies/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'

const schemaDefs = new WeakMap<UserStrategyMeta, StrategyDef>()

/** The schema-only definition of a user strategy (the same object for the same meta). */
export function schemaDef(meta: UserStrategyMeta): StrategyDef {
  let d = schemaDefs.get(meta)
  if (d === undefined) {
    const refuse = (): never => {
      throw new Error(`${meta.id}: a user strategy runs only in a sandboxed worker, not on the page`)
    }
    d = {
      id: meta.id,
      version: meta.version,
      name: meta.name,
      description: meta.description,
      params: meta.params,
      warmup: refuse,
      signals: refuse,
    }
    schemaDefs.set(meta, d)
  }
  return d
}
