// Splitting a series into UTC-day parts: the candle store keeps one record per
// venue/market/timeframe/day, so a download chunk that straddles midnight lands in two records.
import { DAY_MS, sliceByTime, type CandleSeries } from '../../shared/candles/index.ts'

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS

export interface DayPart {
  readonly dayMs: number
  readonly series: CandleSeries
}

/** The series cut at UTC midnights (views, no copy); days without bars are left out. */
export function splitByDay(series: CandleSeries): DayPart[] {
  const n = series.time.length
  if (n === 0) return []
  const parts: DayPart[] = []
  let day = dayOf(series.time[0]!)
  const last = dayOf(series.time[n - 1]!)
  for (; day <= last; day += DAY_MS) {
    const part = sliceByTime(series, day, day + DAY_MS)
    if (part.time.length > 0) parts.push({ dayMs: day, series: part })
  }
  return parts
}
