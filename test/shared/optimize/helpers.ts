// Test helpers for the optimizer: small synthetic series and an exact row comparison.
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../../shared/synthetic/index.ts'

export function minuteSeries(seed: number, minutes: number, market: keyof typeof SYNTHETIC_MARKETS = 'KRW-BTC'): CandleSeries {
  const spec = { ...SYNTHETIC_MARKETS[market], seed }
  return generateMinuteCandles(spec, DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + minutes * 60_000)
}

/** Within 1e-9 relative, or both NaN, or the same infinity. */
export function sameMetric(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (a === b) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}
