// Client of edge's candle stream (GET /api/candles, NDJSON, see README "Edge API"): yields the
// parsed lines as they arrive, so the caller can store each chunk before the next one lands.
import { edgeFetch } from '../api/client.ts'
import type { CandleLine } from '../../shared/candles/stream-lines.ts'
import type { SeriesKey } from './store.ts'

export type { ChunkLine, GapLine, DoneLine, ErrorLine, CandleLine } from '../../shared/candles/stream-lines.ts'

/** Opens the stream of [fromMs, toMs); the signal cancels the request (edge stops downloading). */
export type CandleStreamFn = (key: SeriesKey, fromMs: number, toMs: number, signal: AbortSignal) => AsyncIterable<CandleLine>

export const edgeCandleStream: CandleStreamFn = async function* (key, fromMs, toMs, signal) {
  const q = new URLSearchParams({ venue: key.venue, market: key.market, timeframe: key.timeframe, from: String(fromMs), to: String(toMs) })
  const res = await edgeFetch(`/api/candles?${q}`, { signal })
  if (res.body === null) throw new Error('edge sent an empty candle stream')
  yield* parseNdjson(res.body)
}

/** Splits a byte stream into JSON lines. */
export async function* parseNdjson(body: ReadableStream<Uint8Array>): AsyncGenerator<CandleLine> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buf = ''
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      buf += decoder.decode(value, { stream: true })
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (line !== '') yield JSON.parse(line) as CandleLine
      }
    }
    buf += decoder.decode()
    if (buf.trim() !== '') yield JSON.parse(buf) as CandleLine
  } finally {
    reader.releaseLock()
  }
}
