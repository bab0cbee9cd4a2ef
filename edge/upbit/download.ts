// Bulk candle download: an async iterator of validated, ascending, de-duplicated chunks of at most
// 200 bars (Upbit's max count) covering [fromMs, toMs).
//
// Design: FORWARD windows. The range is cut into windows of 200 bar slots; window k is fetched
// with `to = windowEnd` (exclusive) and `count = slots`, so Upbit returns every bar of that window
// (there are at most 200) plus, when the window has no-trade gaps, a few older bars, which are
// dropped. Windows are independent, so up to `concurrency` requests are in flight while chunks are
// still yielded strictly in order: the rate limiter, not the round trip, sets the pace (about 96%
// of the 10 req/s candle limit), memory stays flat (a few windows), and resuming is trivial:
// start after the last stored bar (`resumeAfterMs`). Each chunk reports its gaps (minutes without
// trades) inside its own window. The forming candle is never included: the range is clipped to the
// last closed bar at `nowMs()`.
import {
  allocSeries,
  findGaps,
  validateSeries,
  TIMEFRAME_MS,
  type CandleGap,
  type CandleSeries,
  type Timeframe,
} from '../../shared/candles/index.ts'
import type { UpbitCandle } from '../../shared/upbit/types.ts'
import { MAX_CANDLE_COUNT, type UpbitClient } from './client.ts'
import { fail, ok, type UpbitResult } from './result.ts'

export interface CandleChunk {
  readonly market: string
  readonly timeframe: Timeframe
  /** Ascending, strictly increasing open times, validated with shared/candles validateSeries. */
  readonly series: CandleSeries
  /** The window this chunk covers: [fromMs, toMs). */
  readonly fromMs: number
  readonly toMs: number
  /** Bar slots in the window without a candle (no trades), with their ranges. */
  readonly gaps: readonly CandleGap[]
  readonly missingBars: number
}

export interface DownloadOptions {
  /** Open time of the last bar already stored: the download starts at the next bar. */
  readonly resumeAfterMs?: number
  /** Requests in flight (default 3). */
  readonly concurrency?: number
  /** Current time for clipping off the forming candle (default Date.now; the sim passes its clock). */
  readonly nowMs?: () => number
}

function toSeries(bars: readonly UpbitCandle[]): CandleSeries {
  const n = bars.length
  const s = allocSeries(n)
  for (let i = 0; i < n; i++) {
    const b = bars[i]!
    s.time[i] = b.openTimeMs
    s.open[i] = b.open
    s.high[i] = b.high
    s.low[i] = b.low
    s.close[i] = b.close
    s.volume[i] = b.volumeBase
  }
  return s
}

async function fetchWindow(
  client: UpbitClient,
  market: string,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
): Promise<UpbitResult<CandleChunk>> {
  const tfMs = TIMEFRAME_MS[timeframe]
  const slots = Math.ceil((toMs - fromMs) / tfMs)
  const r = await client.getCandles({ market, unit: timeframe, toMs, count: Math.min(MAX_CANDLE_COUNT, slots) })
  if (!r.ok) return r
  // Keep the window's bars only; if a bar time repeats, the later copy in the answer wins.
  const byTime = new Map<number, UpbitCandle>()
  for (const c of r.value) {
    if (c.market !== market) return fail({ kind: 'malformed', message: `candles for ${c.market} in an answer for ${market}` })
    if (c.openTimeMs >= fromMs && c.openTimeMs < toMs) byTime.set(c.openTimeMs, c)
  }
  const bars = [...byTime.values()].sort((a, b) => a.openTimeMs - b.openTimeMs)
  const series = toSeries(bars)
  const check = validateSeries(series, timeframe, { maxIssues: 3 })
  if (!check.ok) {
    return fail({
      kind: 'malformed',
      message: `${market} ${timeframe} [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()}): ${check.error.issues.map((e) => e.message).join('; ')}`,
    })
  }
  const gaps = findGaps(series, timeframe, { fromMs, toMs })
  let missingBars = 0
  for (const g of gaps) missingBars += g.missingBars
  return ok({ market, timeframe, series, fromMs, toMs, gaps, missingBars })
}

/**
 * Yields `{ ok: true, value: chunk }` per window in ascending time order; on the first error yields
 * `{ ok: false, error }` and stops (resume later with `resumeAfterMs` = last stored bar).
 */
export async function* downloadCandles(
  client: UpbitClient,
  market: string,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
  options: DownloadOptions = {},
): AsyncGenerator<UpbitResult<CandleChunk>, void, undefined> {
  const tfMs = TIMEFRAME_MS[timeframe]
  const alignUp = (t: number) => Math.ceil(t / tfMs) * tfMs
  let start = alignUp(fromMs)
  if (options.resumeAfterMs !== undefined) start = Math.max(start, options.resumeAfterMs + tfMs)
  const lastClosedEnd = Math.floor((options.nowMs ?? Date.now)() / tfMs) * tfMs
  const end = Math.min(alignUp(toMs), lastClosedEnd)
  const windowMs = MAX_CANDLE_COUNT * tfMs
  const concurrency = Math.max(1, options.concurrency ?? 3)

  const pending: Array<Promise<UpbitResult<CandleChunk>>> = []
  let next = start
  const fill = () => {
    while (pending.length < concurrency && next < end) {
      const w0 = next
      const w1 = Math.min(end, next + windowMs)
      next = w1
      pending.push(fetchWindow(client, market, timeframe, w0, w1))
    }
  }
  fill()
  while (pending.length > 0) {
    const result = await pending.shift()!
    if (!result.ok) {
      // Let in-flight requests finish quietly; their windows are re-fetched on resume.
      await Promise.allSettled(pending)
      yield result
      return
    }
    fill()
    yield result
  }
}
