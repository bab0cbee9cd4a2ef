// Robustness tools: holdout / walk-forward, deflated Sharpe, PBO (CSCV), plateau and fragility.
export { normCdf, normInv, moments } from './normal.ts'
export type { Moments } from './normal.ts'
export { deflatedSharpe, expectedMaxSharpe, probabilisticSharpe } from './dsr.ts'
export type { DeflatedSharpe, DeflatedSharpeInput } from './dsr.ts'
export {
  blocksFor,
  blockStatsInto,
  columnStatsInto,
  CscvMatrix,
  cscvPbo,
  cscvWorse,
  halfSubsets,
  isBadColumn,
  MAX_PBO_BLOCKS,
  PBO_STATS,
  pboFromWorse,
  probabilityOfOverfitting,
  splitPairs,
} from './pbo.ts'
export type { PboMetric, PboResult } from './pbo.ts'
export { plateauOf } from './plateau.ts'
export type { Plateau } from './plateau.ts'
export { holdout, holdoutWindow, runWindows, runWindowsWith, trainSpec, walkForward, walkForwardWindows } from './walk-forward.ts'
export type { TrainSweep, WalkForwardOptions, WalkForwardResult, WindowBounds, WindowResult } from './walk-forward.ts'
export {
  blockStatsFit,
  checkBestRerun,
  finishReport,
  planReport,
  reportMatrix,
  robustnessReport,
  sampleColumns,
  summarizeLogits,
  sweepRobustness,
} from './report.ts'
export type { DsrReport, PboLogitSummary, PboReport, ReportPlan, RobustnessOptions, RobustnessReport, SimBlockStats } from './report.ts'
