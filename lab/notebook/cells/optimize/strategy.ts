// Which strategy an optimize cell sweeps: a built-in by id, or a user strategy (a strategy cell's)
// by id and the content hash of the version the cell names (params.user), whose schema comes
// from the lab's strategy library. The page only plans user sweeps (a schema-only definition,
// lab/strategies/schema-def.ts); their rules run in the sandboxed workers.
import { builtinStrategy, type StrategyResolver } from '../../../../shared/optimize/index.ts'
import type { StrategyDef } from '../../../../shared/strategies/index.ts'
import { shortHash, userStrategyLibrary } from '../../../strategies/index.ts'
import { schemaDef } from '../../../strategies/schema-def.ts'
import { isUserStrategyId } from '../backtest/params.ts'
import type { OptimizeParams } from './params.ts'

export { isUserStrategyId }

/** The page's resolver: built-ins from the registry, user versions from the library (schema only). */
export const labResolver: StrategyResolver = (id, hash) => {
  if (hash === undefined) return builtinStrategy(id, undefined)
  const e = userStrategyLibrary().entry(hash)
  return e === undefined || e.id !== id ? undefined : schemaDef(e.meta)
}

/** The user version the params name (undefined for a built-in). */
export const userHashOf = (p: Pick<OptimizeParams, 'strategy' | 'user'>): string | undefined =>
  isUserStrategyId(p.strategy) ? p.user?.hash : undefined

/** The definition the cell sweeps (reactive through the library); undefined while unknown. */
export function strategyOf(p: Pick<OptimizeParams, 'strategy' | 'user'>): StrategyDef | undefined {
  if (!isUserStrategyId(p.strategy)) return builtinStrategy(p.strategy, undefined)
  const hash = p.user?.hash
  return hash === undefined ? undefined : labResolver(p.strategy, hash)
}

/** Why a user strategy cannot be swept yet (no version named, or its source not in this browser). */
export function missingUserMessage(p: Pick<OptimizeParams, 'strategy' | 'user'>): string | null {
  if (!isUserStrategyId(p.strategy)) return null
  if (p.user === undefined) return `Pick ${p.strategy} again in the strategy list: the cell does not say which version to sweep.`
  if (strategyOf(p) !== undefined) return null
  return `The source of ${p.strategy} #${shortHash(p.user.hash)} is not in this browser's strategy library. Run the strategy cell that defines it, then pick it again here.`
}
