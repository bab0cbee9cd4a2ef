// Checks on a signal rule that do not depend on which rule it is: today the look-ahead check.
export {
  checkCut,
  checkLookahead,
  checkStrategyLookahead,
  cutSeries,
  DEFAULT_CUT_COUNT,
  lookaheadCuts,
  lookaheadSteps,
  planCuts,
  type LookaheadFound,
  type LookaheadOptions,
  type LookaheadPass,
  type LookaheadReport,
  type SignalFn,
} from './lookahead.ts'
