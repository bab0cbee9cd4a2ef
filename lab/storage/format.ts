// Formats of the stored-candles manager: sizes in bytes (1000-based, like the browser's own
// storage settings), UTC days, venue labels (simulated or real).
import type { StoredSeries } from '../candles/index.ts'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** "612 KB", "2.1 MB", "1.25 GB": three significant figures at most, never "0.0". */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B'
  let i = 0
  let v = n
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000
    i++
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2
  return `${String(Number(v.toFixed(digits)))} ${UNITS[i]}`
}

/** "2024-07-01" (UTC). */
export const fmtDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** "2024-07-01 09:30" (UTC, minute precision). */
export const fmtUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

/** Whether a venue's candles are simulated (the edge's sim venue) rather than a real exchange's. */
export const isSimulated = (venue: string): boolean => venue === 'sim'

/** A stable id for a series: venue, market and timeframe. */
export const seriesId = (s: { venue: string; market: string; timeframe: string }): string => `${s.venue}/${s.market}/${s.timeframe}`

/** The stored span of a series: its coverage from the first range's start to the last one's end, else its day records. */
export function spanOf(s: StoredSeries): { from: number; to: number } | null {
  const first = s.ranges[0]
  const last = s.ranges[s.ranges.length - 1]
  if (first !== undefined && last !== undefined) return { from: first[0], to: last[1] }
  if (s.firstDayMs !== null && s.lastDayMs !== null) return { from: s.firstDayMs, to: s.lastDayMs + 86_400_000 }
  return null
}

/**
 * "2024-07-01 → 07-03", or "2024-12-30 → 2025-01-02" across a new year (the end is exclusive, so
 * a span ending at midnight shows the day before).
 */
export function fmtSpan(span: { from: number; to: number }): string {
  const a = fmtDay(span.from)
  const b = fmtDay(Math.max(span.from, span.to - 1))
  if (a === b) return a
  return `${a} → ${a.slice(0, 4) === b.slice(0, 4) ? b.slice(5) : b}`
}

export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`
