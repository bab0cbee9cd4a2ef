// Public entry of the seed 000 ensemble: the strategy, its rule (rule.ts, written once), the
// member-by-member reference that is its runnable specification (reference.ts), and the pieces
// callers build on. The fused pass and the sweep source are reached through the strategy
// (signals(), sweepSource) and are not exported.
export { ensembleStrategy } from './strategy.ts'
export { ensembleTable, ensembleWeights, SEED_MEMBER_IDS } from './rule.ts'
export type { SeedMemberId } from './rule.ts'
export { combineEnsemble, combineEnsembleCodes, ensembleCodes, ensembleReferenceInto, seedMemberSignals } from './reference.ts'
