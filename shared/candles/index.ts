// Public face of shared/candles: the CandleSeries contract and every candle operation.
export type { CandleSeries, Timeframe } from './types.ts'
export { TIMEFRAMES, MINUTE_MS, DAY_MS, TIMEFRAME_MS, isTimeframe, allocSeries, seriesLength } from './types.ts'
export type { CandleField, CandleIssue, CandleValidation, InvalidSeries, ValidateOptions } from './validate.ts'
export {
  DEFAULT_MAX_ISSUES,
  timeToIso,
  validateSeries,
  CandleValidationError,
  assertValidSeries,
} from './validate.ts'
export type { CandleRow, MergeConflict, MergeResult } from './rows.ts'
export { seriesFromRows, rowsFromSeries, rowAt, concatSeries, mergeSeries, MAX_MERGE_CONFLICTS } from './rows.ts'
export type { CandleGap, GapRange } from './gaps.ts'
export { findGaps, countMissingBars } from './gaps.ts'
export { resample, resampleFrom } from './resample.ts'
export { indexAtOrAfter, sliceByIndex, sliceByTime } from './slice.ts'
