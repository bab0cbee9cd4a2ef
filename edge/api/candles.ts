// GET /api/candles?venue=&market=&timeframe=&from=&to=: candles of [from, to) streamed as NDJSON
// (shape documented in README "Edge API"). The download is edge/upbit's downloadCandles on the
// venue's one shared client, so every caller shares the venue's rate limiter; the stream is pulled
// by the client and stops the download when the client disconnects (server/ndjson.ts).
import { Hono } from 'hono'
import * as v from 'valibot'
import { TIMEFRAMES, TIMEFRAME_MS, type Timeframe } from '../../shared/candles/index.ts'
import { downloadCandles, type CandleChunk } from '../upbit/index.ts'
import { invalidParameter } from '../server/errors.ts'
import type { Logger } from '../server/logger.ts'
import { NDJSON_TYPE, ndjsonStream } from '../server/ndjson.ts'
import type { Venue, Venues } from '../server/venues.ts'
import { readQuery } from './query.ts'
import { pickVenue, VenueParam } from './venue-param.ts'
import type { CandleLine } from '../../shared/candles/stream-lines.ts'

/** Upper bound of one request, in bars (about 1.9 years of 1m, 5,000 requests at 10/s ≈ 8 min). */
export const MAX_BARS_PER_REQUEST = 1_000_000

// Upbit's codes: quote currency, dash, base currency (KRW-BTC, BTC-ETH, USDT-XRP).
const MARKET_RE = /^[A-Z]{2,10}-[A-Z0-9]{1,20}$/
const EpochMs = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'expected epoch milliseconds (a non-negative integer)'), v.transform(Number))

const CandleQuery = v.strictObject({
  venue: VenueParam,
  market: v.pipe(v.string(), v.regex(MARKET_RE, 'expected a market code like KRW-BTC')),
  timeframe: v.picklist(TIMEFRAMES, `expected one of ${TIMEFRAMES.join(', ')}`),
  from: EpochMs,
  to: EpochMs,
})

/** One NDJSON line of the stream (the contract lives in shared/, the lab reads it too). */
export type CandleEvent = CandleLine

function chunkEvent(ch: CandleChunk, fromMs: number, toMs: number): CandleEvent {
  const s = ch.series
  return {
    kind: 'chunk',
    fromMs: ch.fromMs,
    toMs: ch.toMs,
    bars: s.time.length,
    time: Array.from(s.time),
    open: Array.from(s.open),
    high: Array.from(s.high),
    low: Array.from(s.low),
    close: Array.from(s.close),
    volume: Array.from(s.volume),
    progress: Math.min(1, (ch.toMs - fromMs) / (toMs - fromMs)),
  }
}

async function* candleEvents(
  venue: Venue,
  market: string,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
): AsyncGenerator<CandleEvent, void, undefined> {
  let chunks = 0
  let bars = 0
  let gaps = 0
  let missingBars = 0
  for await (const r of downloadCandles(venue.client, market, timeframe, fromMs, toMs, { nowMs: venue.nowMs })) {
    if (!r.ok) {
      yield { kind: 'error', code: r.error.kind, message: `${venue.id}: ${r.error.message}` }
      return
    }
    const ch = r.value
    chunks++
    bars += ch.series.time.length
    gaps += ch.gaps.length
    missingBars += ch.missingBars
    yield chunkEvent(ch, fromMs, toMs)
    for (const g of ch.gaps) yield { kind: 'gap', fromMs: g.fromMs, toMs: g.toMs, missingBars: g.missingBars }
  }
  yield { kind: 'done', fromMs, toMs, chunks, bars, gaps, missingBars }
}

export function candleRoutes(venues: Venues, logger: Logger): Hono {
  return new Hono().get('/', (c) => {
    const q = readQuery(c, CandleQuery)
    if (q.from >= q.to) throw invalidParameter('to', 'must be after from')
    const slots = Math.ceil((q.to - q.from) / TIMEFRAME_MS[q.timeframe])
    if (slots > MAX_BARS_PER_REQUEST)
      throw invalidParameter('to', `range of ${slots} bars is over the limit of ${MAX_BARS_PER_REQUEST}; split it`)
    const venue = pickVenue(venues, q.venue)
    const body = ndjsonStream(candleEvents(venue, q.market, q.timeframe, q.from, q.to), c.req.raw.signal, logger)
    return c.body(body, 200, { 'Content-Type': NDJSON_TYPE })
  })
}
