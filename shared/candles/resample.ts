// Resampling to a higher timeframe. Buckets are UTC multiples of the target timeframe (1d = UTC
// day = Upbit's 09:00 KST day candle); open = first, high = max, low = min, close = last,
// volume = sum. A bucket with no source bars produces no bar: gaps stay gaps, as on Upbit.
// One pass over typed arrays, no per-bar objects.
import type { CandleSeries, Timeframe } from './types.ts'
import { TIMEFRAME_MS, allocSeries } from './types.ts'

/** 1m bars → `timeframe` bars. */
export function resample(series1m: CandleSeries, timeframe: Timeframe): CandleSeries {
  return resampleFrom(series1m, '1m', timeframe)
}

/** `fromTf` bars → `toTf` bars; `toTf` must be a whole multiple of `fromTf` (else RangeError). */
export function resampleFrom(series: CandleSeries, fromTf: Timeframe, toTf: Timeframe): CandleSeries {
  const fromMs = TIMEFRAME_MS[fromTf]
  const toMs = TIMEFRAME_MS[toTf]
  if (toMs < fromMs || toMs % fromMs !== 0) {
    throw new RangeError(`cannot resample ${fromTf} to ${toTf}: ${toTf} is not a multiple of ${fromTf}`)
  }
  const { time, open, high, low, close, volume } = series
  const n = time.length
  if (n === 0) return allocSeries(0)
  if (toMs === fromMs) return copySeries(series)

  // Upper bound on buckets: the span in target bars, never more than the source bars.
  const span = Math.floor(time[n - 1]! / toMs) - Math.floor(time[0]! / toMs) + 1
  const cap = Math.min(n, span)
  const out = allocSeries(cap)
  const oT = out.time,
    oO = out.open,
    oH = out.high,
    oL = out.low,
    oC = out.close,
    oV = out.volume

  let k = -1
  let bucket = Number.NaN
  for (let i = 0; i < n; i++) {
    const b = Math.floor(time[i]! / toMs) * toMs
    if (b !== bucket) {
      k++
      bucket = b
      oT[k] = b
      oO[k] = open[i]!
      oH[k] = high[i]!
      oL[k] = low[i]!
      oC[k] = close[i]!
      oV[k] = volume[i]!
    } else {
      const h = high[i]!
      const l = low[i]!
      if (h > oH[k]!) oH[k] = h
      if (l < oL[k]!) oL[k] = l
      oC[k] = close[i]!
      oV[k] = oV[k]! + volume[i]!
    }
  }
  const count = k + 1
  return count === cap ? out : copySeries(out, count)
}

function copySeries(s: CandleSeries, count: number = s.time.length): CandleSeries {
  return {
    time: s.time.slice(0, count),
    open: s.open.slice(0, count),
    high: s.high.slice(0, count),
    low: s.low.slice(0, count),
    close: s.close.slice(0, count),
    volume: s.volume.slice(0, count),
  }
}
