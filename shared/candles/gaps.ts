// Gap detection. Upbit makes no candle for a minute without trades, so a missing bar is normal
// data, not an error; callers still need to see where they are (backfill, plots, feed staleness).
// Expects a valid series (validateSeries): aligned, strictly increasing times.
import type { CandleSeries, Timeframe } from './types.ts'
import { TIMEFRAME_MS } from './types.ts'

export interface CandleGap {
  /** Index of the bar before the gap; -1 for a gap before the first bar of a requested range. */
  readonly afterIndex: number
  /** Open time of the first missing bar. */
  readonly fromMs: number
  /** Open time of the next present bar (or the range end): the gap is [fromMs, toMs). */
  readonly toMs: number
  readonly missingBars: number
}

export interface GapRange {
  /** Expected first bar open time (inclusive). */
  readonly fromMs: number
  /** Expected end (exclusive). */
  readonly toMs: number
}

function barsBetween(fromMs: number, toMs: number, tfMs: number): number {
  return toMs > fromMs ? Math.ceil((toMs - fromMs) / tfMs) : 0
}

/**
 * Gaps between consecutive bars; with `range`, also the missing bars before the first and after the
 * last bar inside [range.fromMs, range.toMs) (the whole range when the series is empty).
 */
export function findGaps(series: CandleSeries, timeframe: Timeframe, range?: GapRange): CandleGap[] {
  const tfMs = TIMEFRAME_MS[timeframe]
  const time = series.time
  const n = time.length
  const gaps: CandleGap[] = []
  if (range !== undefined && n === 0) {
    const missing = barsBetween(range.fromMs, range.toMs, tfMs)
    if (missing > 0) gaps.push({ afterIndex: -1, fromMs: range.fromMs, toMs: range.toMs, missingBars: missing })
    return gaps
  }
  if (range !== undefined && n > 0 && time[0]! > range.fromMs) {
    const missing = barsBetween(range.fromMs, time[0]!, tfMs)
    if (missing > 0) gaps.push({ afterIndex: -1, fromMs: range.fromMs, toMs: time[0]!, missingBars: missing })
  }
  for (let i = 0; i + 1 < n; i++) {
    const a = time[i]!
    const b = time[i + 1]!
    if (b - a > tfMs) {
      gaps.push({ afterIndex: i, fromMs: a + tfMs, toMs: b, missingBars: barsBetween(a + tfMs, b, tfMs) })
    }
  }
  if (range !== undefined && n > 0) {
    const next = time[n - 1]! + tfMs
    const missing = barsBetween(next, range.toMs, tfMs)
    if (missing > 0) gaps.push({ afterIndex: n - 1, fromMs: next, toMs: range.toMs, missingBars: missing })
  }
  return gaps
}

/** Total missing bars (same rules as findGaps), without building the gap list. */
export function countMissingBars(series: CandleSeries, timeframe: Timeframe, range?: GapRange): number {
  const tfMs = TIMEFRAME_MS[timeframe]
  const time = series.time
  const n = time.length
  if (n === 0) return range === undefined ? 0 : barsBetween(range.fromMs, range.toMs, tfMs)
  let missing = 0
  if (range !== undefined) {
    missing += barsBetween(range.fromMs, time[0]!, tfMs)
    missing += barsBetween(time[n - 1]! + tfMs, range.toMs, tfMs)
  }
  for (let i = 0; i + 1 < n; i++) {
    const d = time[i + 1]! - time[i]!
    if (d > tfMs) missing += Math.ceil(d / tfMs) - 1
  }
  return missing
}
