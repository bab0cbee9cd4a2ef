// Public entry of the optimizer core (design §3 optimize): grids, validation, the per-worker sweep
// runner (chunk API shared by the browser pool and the Node CLI), ranking and robustness tools.
export { decimalsOf, decodeCombo, encodeCombo, enumerateRange, gridValues, isGridRange, planChunks, stridesOf } from './grid.ts'
export type { Chunk, GridRange, GridSpec, GridValues } from './grid.ts'
export { applyExec, EXEC_CHOICE_KEYS, EXEC_NUMBER_KEYS, isExecKey, SIZING_FIELDS } from './exec-params.ts'
export { builtinStrategy, MAX_COMBOS, planSweep, validateSweep } from './validate.ts'
export type { Dimension, StrategyResolver, SweepPlan, SweepSpec, SweepValidation } from './validate.ts'
export { comboAt } from './combo.ts'
export type { Combo } from './combo.ts'
export {
  bestCombos,
  checkConstraints,
  DEFAULT_OBJECTIVE,
  isObjective,
  OBJECTIVES,
  passesConstraints,
  rankRows,
  scoreOf,
} from './objective.ts'
export type { Constraints, Objective, RankedCombo, RankOptions } from './objective.ts'
export { createSweepRunner, dayCountOf } from './runner.ts'
export type { BlockStatsOut, PointClasses, RangeStats, RunnerOptions, RunnerStats, SweepRunner } from './runner.ts'
export { SeriesCache } from '../signals/index.ts'
export { buildSimPlan, expandRows, guidedChunkSize, identityClasses, mergeClasses, splitEven } from './sim-plan.ts'
export type { SimPlan } from './sim-plan.ts'
export { planSims, runPlannedSweep } from './planned-sweep.ts'
export { runSweep } from './sweep.ts'
export type { SweepResult } from './sweep.ts'
export * from './robust/index.ts'
export * from './coordinator/index.ts'
export * from './results/index.ts'
