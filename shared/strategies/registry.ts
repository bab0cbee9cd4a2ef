// The strategy registry: every seed strategy registered at load, user strategies added with
// registerStrategy. `strategies` and `strategyIds` are live views (registration updates them),
// so the look-ahead suite and the UI always see every registered strategy.
import { ensembleStrategy } from './ensemble/index.ts'
import { momentumStrategy } from './momentum.ts'
import { checkParamSpecs } from './params.ts'
import { priceActionStrategy } from './price-action.ts'
import { scalpingStrategy } from './scalping.ts'
import { swingStrategy } from './swing.ts'
import { dayStrategy, trendStrategy } from './trend.ts'
import { volatilityBreakoutStrategy } from './volatility-breakout.ts'
import { rsiStrategy } from './rsi/index.ts'
import { dualMomentumStrategy } from './dual-momentum.ts'
import { rsiMacdCciStrategy } from './rsi-macd-cci.ts'
import { engulfingRsiStrategy } from './engulfing-rsi.ts'
import type { StrategyDef } from './types.ts'

/** A strategy definition that cannot be registered (bad id, duplicate id, bad schema). */
export class StrategyRegistrationError extends Error {
  readonly strategyId: string
  constructor(strategyId: string, message: string) {
    super(`strategy '${strategyId}': ${message}`)
    this.name = 'StrategyRegistrationError'
    this.strategyId = strategyId
  }
}

const byId: Record<string, StrategyDef> = {}
const ids: string[] = []

/** Every registered strategy by id (live: includes strategies registered later). */
export const strategies: Readonly<Record<string, StrategyDef>> = byId
/** Registered ids in registration order (live). */
export const strategyIds: readonly string[] = ids

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/** An id that no registered strategy has. */
export class UnknownStrategyError extends Error {
  readonly strategyId: string
  constructor(strategyId: string) {
    super(`unknown strategy '${strategyId}' (registered: ${ids.join(', ')})`)
    this.name = 'UnknownStrategyError'
    this.strategyId = strategyId
  }
}

/** The strategy with this id, or undefined (for ids from users, notebooks, promotions). */
export function findStrategy(id: string): StrategyDef | undefined {
  return Object.hasOwn(byId, id) ? byId[id] : undefined
}

/** The strategy with this id; throws UnknownStrategyError when none is registered. */
export function getStrategy(id: string): StrategyDef {
  const def = findStrategy(id)
  if (def === undefined) throw new UnknownStrategyError(id)
  return def
}

/** Adds a strategy; throws StrategyRegistrationError (or ParamError for a bad schema). */
export function registerStrategy(def: StrategyDef): void {
  if (!KEBAB.test(def.id)) throw new StrategyRegistrationError(def.id, 'id must be kebab-case (a-z, 0-9, -)')
  if (Object.hasOwn(byId, def.id)) throw new StrategyRegistrationError(def.id, 'id already registered')
  if (!Number.isInteger(def.version) || def.version < 1) {
    throw new StrategyRegistrationError(def.id, `version must be a positive integer, got ${def.version}`)
  }
  checkParamSpecs(def.id, def.params)
  byId[def.id] = def
  ids.push(def.id)
}

const SEED_STRATEGIES: readonly StrategyDef[] = [
  trendStrategy,
  momentumStrategy,
  swingStrategy,
  scalpingStrategy,
  dayStrategy,
  priceActionStrategy,
  ensembleStrategy,
  volatilityBreakoutStrategy,
  rsiStrategy,
  dualMomentumStrategy,
  rsiMacdCciStrategy,
  engulfingRsiStrategy,
]
for (const def of SEED_STRATEGIES) registerStrategy(def)
