// Public entry of the strategies module (design §7.2): the registry, parameter resolution, the
// strategy contract (a definition may bring its own allocation-free signalsInto and optimizer
// sweep source) and the seed ensemble's building blocks, its runnable reference among them.
export {
  findStrategy,
  getStrategy,
  registerStrategy,
  strategies,
  strategyIds,
  StrategyRegistrationError,
  UnknownStrategyError,
} from './registry.ts'
export { ParamError, paramSpec, resolveParams, tryResolveParams } from './params.ts'
export type { ResolveResult } from './params.ts'
export { defineStrategy } from './define.ts'
export type { KernelSpec, KernelStrategyDef } from './define.ts'
export {
  combineEnsemble,
  combineEnsembleCodes,
  ensembleCodes,
  ensembleReferenceInto,
  ensembleTable,
  ensembleWeights,
  SEED_MEMBER_IDS,
  seedMemberSignals,
} from './ensemble/index.ts'
export type { SeedMemberId } from './ensemble/index.ts'
export { numpyMean, numpyPairwiseSum } from './numpy-sum.ts'
export { SIGNAL_FLAT, SIGNAL_LONG, SIGNAL_NONE } from './types.ts'
export type { ParamSpec, Params, StrategyDef } from './types.ts'
