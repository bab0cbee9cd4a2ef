// The sim's markets: names, start prices and activity, and the adapter that feeds them minute by
// minute from the shared synthetic generator (volatility clustering, regimes, jumps, no-trade
// minutes, KRW ticks). A minute without trades has volume 0 here; the venue makes no candle for it.
import { DAY_MS, MINUTE_MS } from '../../shared/candles/types.ts'
import { createMinuteBar, createMinuteStream, DEFAULT_ORIGIN_MS, type MarketSpec } from '../../shared/synthetic/index.ts'
import type { SimMarketSpec } from './types.ts'

export const SIM_MARKET_PRESETS: Readonly<Record<string, SimMarketSpec>> = {
  'KRW-BTC': {
    market: 'KRW-BTC',
    koreanName: '비트코인',
    englishName: 'Bitcoin',
    startPrice: 145_000_000,
    volPerMinute: 0.0008,
    meanVolumePerMinute: 2,
    noTradeRate: 0,
  },
  'KRW-ETH': {
    market: 'KRW-ETH',
    koreanName: '이더리움',
    englishName: 'Ethereum',
    startPrice: 5_000_000,
    volPerMinute: 0.001,
    meanVolumePerMinute: 15,
    noTradeRate: 0.01,
  },
  'KRW-XRP': {
    market: 'KRW-XRP',
    koreanName: '리플',
    englishName: 'XRP',
    startPrice: 3_000,
    volPerMinute: 0.0012,
    meanVolumePerMinute: 50_000,
    noTradeRate: 0.02,
  },
  'KRW-SOL': {
    market: 'KRW-SOL',
    koreanName: '솔라나',
    englishName: 'Solana',
    startPrice: 250_000,
    volPerMinute: 0.0012,
    meanVolumePerMinute: 100,
    noTradeRate: 0.03,
  },
  'KRW-DOGE': {
    market: 'KRW-DOGE',
    koreanName: '도지코인',
    englishName: 'Dogecoin',
    startPrice: 300,
    volPerMinute: 0.0015,
    meanVolumePerMinute: 500_000,
    noTradeRate: 0.05,
  },
}

export const DEFAULT_SIM_MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as const

/** One minute bar written into caller-owned storage (no allocation per bar). */
export interface MinuteBarOut {
  open: number
  high: number
  low: number
  close: number
  volume: number
}

export interface MinuteBarSource {
  /** Writes the next minute (volume 0 = no trade; OHLC then repeat the last close). */
  next(out: MinuteBarOut): void
}

function hashString(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0
  return h
}

/**
 * The shared synthetic market behind a sim market. Its path is anchored at DEFAULT_ORIGIN_MS (or
 * at the day the history starts, if earlier), not at the venue's start, so a restarted venue
 * serves the same candles for the same minutes and a lab's stored sim candles stay valid.
 */
export function syntheticSpecFor(spec: SimMarketSpec, seed: number, historyStartMs: number): MarketSpec {
  const originMs = Math.min(DEFAULT_ORIGIN_MS, Math.floor(historyStartMs / DAY_MS) * DAY_MS)
  return {
    seed: (hashString(spec.market) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0,
    startPrice: spec.startPrice,
    originMs,
    annualVolRate: spec.volPerMinute * Math.sqrt(525_600),
    meanNotionalQuotePerMinute: spec.meanVolumePerMinute * spec.startPrice,
    noTradeRate: spec.noTradeRate,
  }
}

/** Minute bars of the shared synthetic generator from `originMs` (the venue's history start). */
export function createMinuteSource(spec: SimMarketSpec, seed: number, originMs: number): MinuteBarSource {
  const stream = createMinuteStream(syntheticSpecFor(spec, seed, originMs), Math.floor(originMs / MINUTE_MS) * MINUTE_MS)
  const bar = createMinuteBar()
  let last = spec.startPrice
  return {
    next(out) {
      if (!stream.next(bar)) {
        out.open = out.high = out.low = out.close = last
        out.volume = 0
        return
      }
      out.open = bar.open
      out.high = bar.high
      out.low = bar.low
      out.close = bar.close
      out.volume = bar.volume
      last = bar.close
    },
  }
}
