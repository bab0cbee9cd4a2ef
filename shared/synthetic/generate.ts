// Batch generation of synthetic candles over a time range. Ranges are cut from the one path
// anchored at originMs, so any sub-range equals the corresponding slice of a longer range.
import type { CandleSeries, Timeframe } from '../candles/types.ts'
import { MINUTE_MS, allocSeries } from '../candles/types.ts'
import { resample } from '../candles/resample.ts'
import { createMinuteBar, createMinuteStream } from './minute-stream.ts'
import { resolveMarketSpec } from './spec.ts'
import type { MarketSpec } from './spec.ts'

/** 1m bars with open time in [fromMs, toMs); minutes before originMs and no-trade minutes have no bar. */
export function generateMinuteCandles(spec: MarketSpec, fromMs: number, toMs: number): CandleSeries {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError(`generateMinuteCandles needs finite bounds, got [${fromMs}, ${toMs})`)
  }
  const origin = resolveMarketSpec(spec).originMs
  const start = Math.max(origin, Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS)
  if (toMs <= start) return allocSeries(0)
  const minutes = Math.ceil((toMs - start) / MINUTE_MS)
  const out = allocSeries(minutes)
  const { time, open, high, low, close, volume } = out
  const stream = createMinuteStream(spec, start)
  const bar = createMinuteBar()
  let k = 0
  for (let i = 0; i < minutes; i++) {
    if (!stream.next(bar)) continue
    time[k] = bar.timeMs
    open[k] = bar.open
    high[k] = bar.high
    low[k] = bar.low
    close[k] = bar.close
    volume[k] = bar.volume
    k++
  }
  if (k === minutes) return out
  return {
    time: time.slice(0, k),
    open: open.slice(0, k),
    high: high.slice(0, k),
    low: low.slice(0, k),
    close: close.slice(0, k),
    volume: volume.slice(0, k),
  }
}

/**
 * `timeframe` bars = resample of the 1m bars in [fromMs, toMs). Pass bounds aligned to the
 * timeframe to get only complete bars (a bound inside a bucket yields a partial first/last bar).
 */
export function generateCandles(spec: MarketSpec, timeframe: Timeframe, fromMs: number, toMs: number): CandleSeries {
  const minutes = generateMinuteCandles(spec, fromMs, toMs)
  return timeframe === '1m' ? minutes : resample(minutes, timeframe)
}
