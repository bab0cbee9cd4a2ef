// Where a sweep's candles come from. For now: the seeded synthetic market (same spec, same bars on
// every machine, so a sweep id survives a reload). Stored data from IndexedDB comes later.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { DAY_MS } from '../../shared/candles/types.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { SyntheticMarket } from '../../shared/synthetic/index.ts'

export interface SyntheticSource {
  readonly kind: 'synthetic'
  readonly market: SyntheticMarket
  /** Days of 1m bars from the market's origin. */
  readonly days: number
  /** Keep only the first `bars` bars (e.g. exactly 129,600 for the W1 benchmark). */
  readonly bars?: number
}

export type DataSource = SyntheticSource

export const SYNTHETIC_MARKET_IDS = Object.keys(SYNTHETIC_MARKETS) as SyntheticMarket[]

export type SeriesResult = { readonly ok: true; readonly series: CandleSeries } | { readonly ok: false; readonly error: string }

function slice(s: CandleSeries, n: number): CandleSeries {
  return {
    time: s.time.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  }
}

export function buildSeries(src: DataSource): SeriesResult {
  if (!Object.hasOwn(SYNTHETIC_MARKETS, src.market)) return { ok: false, error: `unknown synthetic market '${src.market}'` }
  if (!(Number.isFinite(src.days) && src.days > 0 && src.days <= 3650))
    return { ok: false, error: `days must be in (0, 3650], got ${src.days}` }
  const series = generateMinuteCandles(SYNTHETIC_MARKETS[src.market], DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + src.days * DAY_MS)
  if (src.bars === undefined) return { ok: true, series }
  if (!(Number.isInteger(src.bars) && src.bars > 0)) return { ok: false, error: `bars must be a positive integer, got ${src.bars}` }
  if (src.bars > series.time.length) return { ok: false, error: `${src.days} days give ${series.time.length} bars, fewer than ${src.bars}` }
  return { ok: true, series: slice(series, src.bars) }
}
