// Time and index slicing of a CandleSeries. Slices are subarray views over the same buffers (no
// copy), so cutting a window out of years of 1m data is O(log n).
import type { CandleSeries } from './types.ts'

/** First index i with time[i] >= t (time ascending); time.length when every bar is earlier. */
export function indexAtOrAfter(time: Float64Array, t: number): number {
  let lo = 0
  let hi = time.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (time[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Bars [fromIndex, toIndex) as views; indices are clamped to the series. */
export function sliceByIndex(series: CandleSeries, fromIndex: number, toIndex: number): CandleSeries {
  const n = series.time.length
  const a = Math.max(0, Math.min(n, fromIndex))
  const b = Math.max(a, Math.min(n, toIndex))
  return {
    time: series.time.subarray(a, b),
    open: series.open.subarray(a, b),
    high: series.high.subarray(a, b),
    low: series.low.subarray(a, b),
    close: series.close.subarray(a, b),
    volume: series.volume.subarray(a, b),
  }
}

/** Bars whose open time is in the half-open range [fromMs, toMs), as views. */
export function sliceByTime(series: CandleSeries, fromMs: number, toMs: number): CandleSeries {
  const a = indexAtOrAfter(series.time, fromMs)
  const b = indexAtOrAfter(series.time, toMs)
  return sliceByIndex(series, a, b)
}
