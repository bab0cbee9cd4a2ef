// Candle contract shared by every part of the product (design §3, §7).
// Columns are Float64Array so hot loops read contiguous memory and workers can share them.

/** Columnar OHLCV. `time` is each bar's OPEN time in epoch ms UTC, strictly increasing. */
export interface CandleSeries {
  readonly time: Float64Array
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly volume: Float64Array
}

export const TIMEFRAMES = ['1m', '3m', '5m', '10m', '15m', '30m', '60m', '240m', '1d'] as const
export type Timeframe = (typeof TIMEFRAMES)[number]

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

/** Bar length of each timeframe. Upbit aligns every timeframe (1d included) to UTC boundaries. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '10m': 10 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '60m': 60 * MINUTE_MS,
  '240m': 240 * MINUTE_MS,
  '1d': DAY_MS,
}

export function isTimeframe(x: unknown): x is Timeframe {
  return typeof x === 'string' && (TIMEFRAMES as readonly string[]).includes(x)
}

/** Allocates an empty series of `n` bars (all zeros). */
export function allocSeries(n: number): CandleSeries {
  return {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
}

export function seriesLength(s: CandleSeries): number {
  return s.time.length
}
