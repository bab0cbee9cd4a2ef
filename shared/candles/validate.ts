// Candle series validation: every rule a CandleSeries must satisfy before the backtest, the
// optimizer or the live runner trusts it. Bad data is an expected failure at a boundary (download,
// import, exchange), so problems come back as a typed result naming each bar and what is wrong.
import { err, ok, type Result } from '../result.ts'
import type { CandleSeries, Timeframe } from './types.ts'
import { TIMEFRAME_MS } from './types.ts'

export type CandleField = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume'

export interface CandleIssue {
  /** Bar index (for a column-length mismatch: the first index some column lacks). */
  readonly index: number
  /** The bar's open time as ISO 8601, or a note when the time itself is unusable. */
  readonly timeIso: string
  readonly field: CandleField
  /** Full sentence, e.g. "bar 1234 (2025-03-02T10:14:00.000Z): high 101 is below close 102". */
  readonly message: string
}

/** A series that breaks the rules. */
export interface InvalidSeries {
  readonly kind: 'invalid-series'
  /** The first `maxIssues` problems in bar order. */
  readonly issues: readonly CandleIssue[]
  /** Every problem found, including those beyond `maxIssues`. */
  readonly totalErrors: number
}

export type CandleValidation = Result<void, InvalidSeries>

export interface ValidateOptions {
  /** How many issues to keep in `issues` (default 100); `totalErrors` still counts all. */
  readonly maxIssues?: number
}

export const DEFAULT_MAX_ISSUES = 100

export function timeToIso(timeMs: number): string {
  if (!Number.isFinite(timeMs) || Math.abs(timeMs) > 8.64e15) return `invalid time ${timeMs}`
  return new Date(timeMs).toISOString()
}

const COLUMNS: readonly CandleField[] = ['time', 'open', 'high', 'low', 'close', 'volume']
const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const

export function validateSeries(series: CandleSeries, timeframe: Timeframe, options: ValidateOptions = {}): CandleValidation {
  const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES
  const issues: CandleIssue[] = []
  let total = 0
  const report = (index: number, timeMs: number, field: CandleField, what: string): void => {
    total++
    if (issues.length >= maxIssues) return
    const timeIso = timeToIso(timeMs)
    issues.push({ index, timeIso, field, message: `bar ${index} (${timeIso}): ${what}` })
  }

  const { time, open, high, low, close, volume } = series
  const n = time.length
  let common = n
  for (const field of COLUMNS) common = Math.min(common, series[field].length)
  for (const field of COLUMNS) {
    const len = series[field].length
    if (len !== n) {
      report(common, common < n ? time[common]! : Number.NaN, field, `column ${field} has ${len} bars but time has ${n}`)
    }
  }

  const tfMs = TIMEFRAME_MS[timeframe]
  let prev = Number.NEGATIVE_INFINITY
  for (let i = 0; i < common; i++) {
    const t = time[i]!
    const o = open[i]!,
      h = high[i]!,
      l = low[i]!,
      c = close[i]!,
      v = volume[i]!
    // Fast path: one combined test per bar; the detailed checks run only for a bad bar. NaN fails
    // every comparison, so it falls through to the slow path too.
    const good =
      t > prev &&
      t - Math.floor(t / tfMs) * tfMs === 0 &&
      l > 0 &&
      h >= o &&
      h >= c &&
      l <= o &&
      l <= c &&
      h < Number.POSITIVE_INFINITY &&
      v >= 0 &&
      v < Number.POSITIVE_INFINITY
    if (!good) checkBar(i, t, prev)
    prev = t
  }

  /** Detailed checks of bar i, reporting each broken rule. */
  function checkBar(i: number, t: number, prevT: number): void {
    const issue = (field: CandleField, what: string): void => report(i, t, field, what)
    if (!Number.isFinite(t)) {
      issue('time', `time ${t} is not finite`)
    } else {
      if (((t % tfMs) + tfMs) % tfMs !== 0) issue('time', `time is not aligned to ${timeframe} (UTC)`)
      if (i > 0 && Number.isFinite(prevT) && t <= prevT) issue('time', `time is not after the previous bar's ${timeToIso(prevT)}`)
    }
    let pricesFinite = true
    for (const field of PRICE_FIELDS) {
      const p = series[field][i]!
      if (!Number.isFinite(p)) {
        pricesFinite = false
        issue(field, `${field} ${p} is not finite`)
      } else if (p <= 0) {
        issue(field, `${field} ${p} is not positive`)
      }
    }
    const v = volume[i]!
    if (!Number.isFinite(v)) issue('volume', `volume ${v} is not finite`)
    else if (v < 0) issue('volume', `volume ${v} is negative`)
    if (!pricesFinite) return
    const o = open[i]!,
      h = high[i]!,
      l = low[i]!,
      c = close[i]!
    if (h < o) issue('high', `high ${h} is below open ${o}`)
    if (h < c) issue('high', `high ${h} is below close ${c}`)
    if (l > o) issue('low', `low ${l} is above open ${o}`)
    if (l > c) issue('low', `low ${l} is above close ${c}`)
    if (h < l) issue('high', `high ${h} is below low ${l}`)
  }

  return total === 0 ? ok(undefined) : err({ kind: 'invalid-series', issues, totalErrors: total })
}

export class CandleValidationError extends Error {
  readonly issues: readonly CandleIssue[]
  readonly totalErrors: number
  constructor(issues: readonly CandleIssue[], totalErrors: number) {
    const shown = issues
      .slice(0, 5)
      .map((x) => x.message)
      .join('; ')
    const more = totalErrors > 5 ? ` (and ${totalErrors - 5} more)` : ''
    super(`invalid candle series, ${totalErrors} issue(s): ${shown}${more}`)
    this.name = 'CandleValidationError'
    this.issues = issues
    this.totalErrors = totalErrors
  }
}

/** Throws a CandleValidationError carrying the issues when the series breaks any rule. */
export function assertValidSeries(series: CandleSeries, timeframe: Timeframe, options: ValidateOptions = {}): void {
  const result = validateSeries(series, timeframe, options)
  if (!result.ok) throw new CandleValidationError(result.error.issues, result.error.totalErrors)
}
