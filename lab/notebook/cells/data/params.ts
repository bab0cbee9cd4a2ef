// A data cell's inputs: which venue's candles, which market and timeframe, and which range:
// either the last N days (moves with the clock, so re-running fetches only the new tail) or a
// fixed span of UTC dates (both ends included).
import * as v from 'valibot'
import { DAY_MS, TIMEFRAMES, TIMEFRAME_MS, type Timeframe } from '../../../../shared/candles/index.ts'
import type { TimeRange } from '../../../candles/index.ts'

const IsoDate = v.pipe(v.string(), v.isoDate('expected a date like 2024-07-01'))

export const DataRange = v.variant('mode', [
  v.strictObject({ mode: v.literal('last'), days: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)) }),
  v.strictObject({ mode: v.literal('between'), from: IsoDate, to: IsoDate }),
])
export type DataRange = v.InferOutput<typeof DataRange>

export const DataParams = v.strictObject({
  venue: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a venue id like sim or upbit')),
  market: v.pipe(v.string(), v.regex(/^[A-Z]{2,10}-[A-Z0-9]{1,20}$/, 'expected a market code like KRW-BTC')),
  timeframe: v.picklist(TIMEFRAMES),
  range: DataRange,
})
export type DataParams = v.InferOutput<typeof DataParams>

export const defaultDataParams = (): DataParams => ({ venue: 'sim', market: 'KRW-BTC', timeframe: '1m', range: { mode: 'last', days: 2 } })

/** The range as [fromMs, toMs) aligned to the timeframe; null when it is empty or backwards. */
export function resolveRange(range: DataRange, timeframe: Timeframe, nowMs: number): TimeRange | null {
  const tf = TIMEFRAME_MS[timeframe]
  let from: number
  let to: number
  if (range.mode === 'last') {
    to = Math.floor(nowMs / tf) * tf
    from = to - range.days * DAY_MS
  } else {
    from = Date.parse(`${range.from}T00:00:00Z`)
    to = Math.min(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS, Math.floor(nowMs / tf) * tf)
  }
  return Number.isFinite(from) && Number.isFinite(to) && to > from ? [from, to] : null
}

// Drafts: what a box holds while it is being typed in. Each returns the value to save, or null
// while the draft is not (yet) one; the cell then keeps the last valid value in its params.

/** A market code as typed ("krw-btc " → "KRW-BTC"), or null while it is not one. */
export function marketOf(draft: string): string | null {
  const m = draft.trim().toUpperCase()
  return v.is(DataParams.entries.market, m) ? m : null
}

/** A whole number of days in 1..3650 exactly as typed ("05", "1.5", "" and "0" are not). */
export function daysOf(draft: string): number | null {
  const t = draft.trim()
  if (!/^[1-9]\d{0,3}$/.test(t)) return null
  const n = Number(t)
  return n <= 3650 ? n : null
}

/**
 * A UTC date "YYYY-MM-DD" that exists, from 1970 on (a date box reports year 0002 while the
 * first digit of 2024 is typed), or null.
 */
export function dateOf(draft: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft)) return null
  const ms = Date.parse(`${draft}T00:00:00Z`)
  return Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString().slice(0, 10) === draft ? draft : null
}
