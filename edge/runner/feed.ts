// The feed of a run: closed candles of one market and timeframe through the venue's REST client
// (edge/upbit downloadCandles: forward windows, validated, ascending, the forming candle clipped
// off at the venue's clock). Asking "every closed bar since the last one held" is also the gap
// backfill: a missed poll or a late candle comes with the next call.
import { concatSeries, TIMEFRAME_MS, type CandleSeries, type Timeframe } from '../../shared/candles/index.ts'
import { downloadCandles, type UpbitClient, type UpbitError } from '../upbit/index.ts'
import { err, ok, type Result } from '../../shared/result.ts'

export interface CandleFeed {
  /** Closed bars with open time in [fromMs, the venue's now), ascending. */
  closedSince(fromMs: number): Promise<Result<CandleSeries, UpbitError>>
}

export function venueFeed(client: UpbitClient, market: string, timeframe: Timeframe, venueNowMs: () => number): CandleFeed {
  return {
    async closedSince(fromMs) {
      const parts: CandleSeries[] = []
      // toMs past now: downloadCandles clips it to the last closed bar at the venue's clock.
      const toMs = venueNowMs() + TIMEFRAME_MS[timeframe]
      for await (const r of downloadCandles(client, market, timeframe, fromMs, toMs, { nowMs: venueNowMs, concurrency: 1 })) {
        if (!r.ok) return err(r.error)
        parts.push(r.value.series)
      }
      return ok(concatSeries(parts))
    },
  }
}
