// What cells may use from the outside world, behind one interface so tests can hand in fakes:
// the candle store, edge's candle stream, the venue and market lists, the backtest worker and
// the clock.
import { edgeJson } from '../api/client.ts'
import { CandleStore, edgeCandleStream, type CandleStreamFn } from '../candles/index.ts'
import type { BacktestRunner } from './cells/backtest/runner.svelte.ts'
import { createBacktestRunner } from './cells/backtest/worker-client.ts'

export interface VenueInfo {
  readonly id: string
  readonly keys: boolean
}

export interface MarketInfo {
  readonly market: string
  readonly koreanName: string
  readonly englishName: string
}

export interface LabServices {
  /** The shared candle store, opened on first use; rejects with a StorageError. */
  candleStore(): Promise<CandleStore>
  readonly candleStream: CandleStreamFn
  venues(): Promise<VenueInfo[]>
  markets(venue: string): Promise<MarketInfo[]>
  /** The backtest worker's owner (started on the first run). */
  readonly backtests: BacktestRunner
  now(): number
}

/** Retries after a failure (the user may have closed the blocking tab) but shares one success. */
function once<T>(open: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null
  return () => {
    p ??= open().catch((e: unknown) => {
      p = null
      throw e
    })
    return p
  }
}

export function edgeServices(candleDbName?: string): LabServices {
  const markets = new Map<string, () => Promise<MarketInfo[]>>()
  return {
    candleStore: once(() => CandleStore.open(candleDbName)),
    candleStream: edgeCandleStream,
    venues: once(async () => (await edgeJson<{ venues: VenueInfo[] }>('/api/venues')).venues),
    markets: (venue) => {
      let get = markets.get(venue)
      if (get === undefined) {
        get = once(async () => (await edgeJson<{ markets: MarketInfo[] }>(`/api/markets?venue=${encodeURIComponent(venue)}`)).markets)
        markets.set(venue, get)
      }
      return get()
    },
    backtests: createBacktestRunner(),
    now: () => Date.now(),
  }
}
