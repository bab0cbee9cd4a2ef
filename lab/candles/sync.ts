// Brings a range of candles into the store: asks edge only for what the coverage index lacks,
// stores each chunk as it arrives (so a cancel or a failure keeps everything already received
// and the next run resumes from coverage), then loads the range as columns.
import { TIMEFRAME_MS } from '../../shared/candles/index.ts'
import type { TimeRange } from './ranges.ts'
import { subtractRanges, totalLength } from './ranges.ts'
import type { CandleStore, LoadedRange, SeriesKey } from './store.ts'
import type { CandleStreamFn } from './stream.ts'

export interface SyncProgress {
  /** Share of the range covered so far, 0..1. */
  readonly fraction: number
  readonly barsReceived: number
  /** Bars per second since the download started (0 before the first chunk). */
  readonly barsPerSecond: number
  /** Seconds left at the current rate, or null when unknown. */
  readonly etaSeconds: number | null
}

export interface SyncOptions {
  readonly signal: AbortSignal
  readonly onProgress?: (p: SyncProgress) => void
  readonly now?: () => number
}

export class CandleStreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'CandleStreamError'
  }
}

export interface SyncResult extends LoadedRange {
  /** Bars downloaded by this run (0 when everything was already stored). */
  readonly downloadedBars: number
}

export async function syncRange(
  store: CandleStore,
  stream: CandleStreamFn,
  key: SeriesKey,
  range: TimeRange,
  opts: SyncOptions,
): Promise<SyncResult> {
  const now = opts.now ?? (() => performance.now())
  const missing = subtractRanges(range, await store.coverage(key))
  const length = range[1] - range[0]
  let done = length - totalLength(missing)
  let bars = 0
  const started = now()
  const tfMs = TIMEFRAME_MS[key.timeframe]
  const report = (): void => {
    const secs = (now() - started) / 1000
    const rate = secs > 0 ? bars / secs : 0
    const leftBars = (length - done) / tfMs
    opts.onProgress?.({
      fraction: length > 0 ? done / length : 1,
      barsReceived: bars,
      barsPerSecond: rate,
      etaSeconds: rate > 0 ? leftBars / rate : null,
    })
  }
  report()
  for (const [from, to] of missing) {
    opts.signal.throwIfAborted()
    let finished = false
    for await (const line of stream(key, from, to, opts.signal)) {
      if (line.kind === 'error') throw new CandleStreamError(line.code, line.message)
      if (line.kind === 'done') finished = true
      if (line.kind !== 'chunk') continue
      const series = {
        time: Float64Array.from(line.time),
        open: Float64Array.from(line.open),
        high: Float64Array.from(line.high),
        low: Float64Array.from(line.low),
        close: Float64Array.from(line.close),
        volume: Float64Array.from(line.volume),
      }
      await store.putWindow(key, series, line.fromMs, line.toMs)
      bars += line.bars
      done += line.toMs - line.fromMs
      report()
    }
    // A stream cut short (edge restarted, network dropped) ends without its done line.
    if (!finished) throw new CandleStreamError('interrupted', 'the download stopped before it was complete; run the cell again to resume')
  }
  const loaded = await store.load(key, range[0], range[1])
  return { ...loaded, downloadedBars: bars }
}
