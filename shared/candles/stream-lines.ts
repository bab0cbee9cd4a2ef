// The candle stream contract between edge and the lab (GET /api/candles, NDJSON, one JSON object
// per line; README "Edge API"): chunks of columnar bars as they are downloaded, the gaps found
// after each chunk, then `done` with totals, or `error` instead of `done`.

/** A window of up to 200 bars; `time` is the bar open time (epoch ms), strictly increasing. */
export interface ChunkLine {
  readonly kind: 'chunk'
  readonly fromMs: number
  readonly toMs: number
  readonly bars: number
  readonly time: number[]
  readonly open: number[]
  readonly high: number[]
  readonly low: number[]
  readonly close: number[]
  readonly volume: number[]
  /** Share of the requested range covered so far, 0…1. */
  readonly progress: number
}

/** Minutes without trades (Upbit makes no candle for them) inside the chunk before it. */
export interface GapLine {
  readonly kind: 'gap'
  readonly fromMs: number
  readonly toMs: number
  readonly missingBars: number
}

export interface DoneLine {
  readonly kind: 'done'
  readonly fromMs: number
  readonly toMs: number
  readonly chunks: number
  readonly bars: number
  readonly gaps: number
  readonly missingBars: number
}

export interface ErrorLine {
  readonly kind: 'error'
  readonly code: string
  readonly message: string
}

export type CandleLine = ChunkLine | GapLine | DoneLine | ErrorLine
