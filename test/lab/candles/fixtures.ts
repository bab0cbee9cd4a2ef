// Test candles and a fake of edge's candle stream for the candle-store tests.
import { MINUTE_MS, type CandleSeries } from '../../../shared/candles/index.ts'
import type { CandleLine, CandleStreamFn, SeriesKey } from '../../../lab/candles/index.ts'

/** 1m bars at the given minute offsets from `t0`; price = minute index, so values are checkable. */
export function minutes(t0: number, offsets: readonly number[], bump = 0): CandleSeries {
  const t = Float64Array.from(offsets, (m) => t0 + m * MINUTE_MS)
  const px = Float64Array.from(offsets, (m) => 100 + m + bump)
  return {
    time: t,
    open: px,
    high: px.map((p) => p + 1),
    low: px.map((p) => p - 1),
    close: px.slice(),
    volume: Float64Array.from(offsets, () => 1),
  }
}

export interface FakeStream {
  readonly fn: CandleStreamFn
  readonly requests: [number, number][]
}

/**
 * Serves 1m bars from `source` in windows of `window` bars like edge does; `failAfter` chunks it
 * emits an error line (or aborts, when `abort` is given) to simulate a failure mid-download.
 */
export function fakeStream(
  source: (from: number, to: number) => CandleSeries,
  opts: { window?: number; failAfter?: number; abort?: AbortController } = {},
): FakeStream {
  const requests: [number, number][] = []
  const win = (opts.window ?? 200) * MINUTE_MS
  const fn: CandleStreamFn = async function* (_key: SeriesKey, from: number, to: number, signal: AbortSignal): AsyncGenerator<CandleLine> {
    requests.push([from, to])
    let chunks = 0
    for (let a = from; a < to; a += win) {
      signal.throwIfAborted()
      if (opts.failAfter !== undefined && chunks === opts.failAfter) {
        if (opts.abort) {
          opts.abort.abort()
          signal.throwIfAborted()
        }
        yield { kind: 'error', code: 'venue_error', message: 'sim: boom' }
        return
      }
      const b = Math.min(to, a + win)
      const s = source(a, b)
      chunks++
      yield {
        kind: 'chunk',
        fromMs: a,
        toMs: b,
        bars: s.time.length,
        time: Array.from(s.time),
        open: Array.from(s.open),
        high: Array.from(s.high),
        low: Array.from(s.low),
        close: Array.from(s.close),
        volume: Array.from(s.volume),
        progress: (b - from) / (to - from),
      }
    }
    yield { kind: 'done', fromMs: from, toMs: to, chunks, bars: 0, gaps: 0, missingBars: 0 }
  }
  return { fn, requests }
}

/** Every minute of [from, to) except those in `holes` (minute offsets from epoch-aligned t0). */
export function fullMinutes(holes: ReadonlySet<number> = new Set()): (from: number, to: number) => CandleSeries {
  return (from, to) => {
    const offs: number[] = []
    for (let t = from; t < to; t += MINUTE_MS) if (!holes.has(t)) offs.push(t / MINUTE_MS)
    return minutes(0, offs)
  }
}
