// How candles travel to the sweep workers: one buffer of 6 × length float64s, columns in the
// order time, open, high, low, close, volume. When memory can be shared (Node always, the browser
// when cross-origin isolated) the buffer is a SharedArrayBuffer posted to every worker: one copy
// in memory, read by all. Otherwise each worker is sent its own ArrayBuffer, transferred (one copy
// per worker, none back).
import type { CandleSeries } from '../../candles/types.ts'

const COLUMN_ORDER = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

export interface CandlePayload {
  readonly kind: 'shared' | 'copied'
  readonly buffer: SharedArrayBuffer | ArrayBuffer
  readonly length: number
}

export function packCandles(series: CandleSeries, shared: boolean): CandlePayload {
  const length = series.time.length
  const bytes = COLUMN_ORDER.length * length * Float64Array.BYTES_PER_ELEMENT
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  COLUMN_ORDER.forEach((name, i) => new Float64Array(buffer, i * length * 8, length).set(series[name]))
  return { kind: shared ? 'shared' : 'copied', buffer, length }
}

/** Zero-copy views over a payload's buffer. */
export function unpackCandles(p: CandlePayload): CandleSeries {
  const col = (i: number): Float64Array => new Float64Array(p.buffer, i * p.length * 8, p.length)
  return { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) }
}
