// The sim's markets and the quotation views derived from them: candles (seconds/minutes/days/
// weeks/months/years, newest first, `to` exclusive, no candle without trades), ticker, orderbook and recent
// trades. Everything is computed from the generated prints at the clock's "now", so nothing from
// the future leaks and candles equal the aggregation of the trades.
import { krwTickSize, roundKrwPrice } from '../../shared/upbit/ticks.ts'
import { MINUTE_MS, MarketSeries, newAgg, newPrint, scanHighLow } from './market-series.ts'
import type { Agg, Print } from './market-series.ts'
import type { SimMarketSpec } from './types.ts'
import { dateCompact, dateDashed, isoKstNoZone, isoUtcNoZone, KST_MS, timeColon, timeCompact } from './format.ts'

export const DAY_MS = 86_400_000
export type CandleKind =
  { kind: 'seconds' } | { kind: 'minutes'; unit: number } | { kind: 'days' } | { kind: 'weeks' } | { kind: 'months' } | { kind: 'years' }

/** Upbit keeps second candles for about three months; older windows answer []. */
export const SECOND_CANDLE_RETENTION_MS = 90 * 86_400_000

export function bucketStart(tMs: number, k: CandleKind): number {
  if (k.kind === 'seconds') return Math.floor(tMs / 1000) * 1000
  if (k.kind === 'minutes') return Math.floor(tMs / (k.unit * MINUTE_MS)) * k.unit * MINUTE_MS
  const day = Math.floor(tMs / DAY_MS) * DAY_MS
  if (k.kind === 'days') return day
  if (k.kind === 'weeks') return day - ((Math.floor(day / DAY_MS) + 3) % 7) * DAY_MS // Monday 00:00 UTC
  const d = new Date(tMs)
  if (k.kind === 'years') return Date.UTC(d.getUTCFullYear(), 0, 1)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

export function bucketEnd(start: number, k: CandleKind): number {
  if (k.kind === 'seconds') return start + 1000
  if (k.kind === 'minutes') return start + k.unit * MINUTE_MS
  if (k.kind === 'days') return start + DAY_MS
  if (k.kind === 'weeks') return start + 7 * DAY_MS
  const d = new Date(start)
  if (k.kind === 'years') return Date.UTC(d.getUTCFullYear() + 1, 0, 1)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

export interface BookLevels {
  askPrices: number[]
  askSizes: number[]
  bidPrices: number[]
  bidSizes: number[]
}

export function nextTickUp(p: number): number {
  return roundKrwPrice(p + krwTickSize(p), 'nearest')
}

export function nextTickDown(p: number): number {
  return roundKrwPrice(p - krwTickSize(p * (1 - 1e-9)), 'nearest')
}

const r8 = (x: number): number => Math.round(x * 1e8) / 1e8

export class Markets {
  private readonly series = new Map<string, MarketSeries>()
  private readonly agg: Agg = newAgg()
  private readonly agg2: Agg = newAgg()
  private readonly print: Print = newPrint()

  constructor(specs: readonly SimMarketSpec[], seed: number, originMs: number) {
    for (const s of specs) this.series.set(s.market, new MarketSeries(s, seed, originMs))
  }

  codes(): string[] {
    return [...this.series.keys()]
  }

  get(market: string): MarketSeries | undefined {
    return this.series.get(market)
  }

  specs(): SimMarketSpec[] {
    return [...this.series.values()].map((s) => s.spec)
  }

  /** Last traded price at `nowMs` (NaN if the market has never traded). */
  lastPrice(market: string, nowMs: number): number {
    const s = this.series.get(market)
    return s && s.lastPrint(nowMs, this.print) ? this.print.price : Number.NaN
  }

  candles(market: string, k: CandleKind, toMs: number | null, count: number, nowMs: number): Record<string, unknown>[] {
    const s = this.series.get(market)
    if (!s) return []
    const out: Record<string, unknown>[] = []
    const limit = toMs === null ? nowMs : Math.min(toMs - 1, nowMs)
    let start = bucketStart(limit, k)
    const floor =
      k.kind === 'seconds' ? Math.max(bucketStart(s.originMs, k), nowMs - SECOND_CANDLE_RETENTION_MS) : bucketStart(s.originMs, k)
    while (out.length < count && start >= floor) {
      const end = bucketEnd(start, k)
      if (s.aggregate(start, end, nowMs, this.agg)) out.push(this.candleJson(s, k, start, this.agg, nowMs))
      // Jump straight to the bucket of the previous trade: empty buckets make no candle, and
      // walking them one by one would cost millions of steps for second candles.
      if (!s.lastPrint(start - 1, this.print)) break
      start = bucketStart(this.print.timeMs, k)
    }
    return out
  }

  private candleJson(s: MarketSeries, k: CandleKind, start: number, a: Agg, nowMs: number): Record<string, unknown> {
    const row: Record<string, unknown> = {
      market: s.spec.market,
      candle_date_time_utc: isoUtcNoZone(start),
      candle_date_time_kst: isoKstNoZone(start),
      opening_price: a.open,
      high_price: a.high,
      low_price: a.low,
      trade_price: a.close,
      timestamp: a.lastTimeMs,
      candle_acc_trade_price: r8(a.quote),
      candle_acc_trade_volume: a.volume,
    }
    if (k.kind === 'minutes') row.unit = k.unit
    else if (k.kind === 'days') {
      const prev = s.closeBefore(start, this.print)
      const prevClose = Number.isNaN(prev) ? a.open : prev
      row.prev_closing_price = prevClose
      row.change_price = r8(a.close - prevClose)
      row.change_rate = prevClose > 0 ? Math.round(((a.close - prevClose) / prevClose) * 1e10) / 1e10 : 0
    } else if (k.kind !== 'seconds') row.first_day_of_period = dateDashed(start)
    void nowMs
    return row
  }

  ticker(market: string, nowMs: number): Record<string, unknown> | null {
    const s = this.series.get(market)
    if (!s || !s.lastPrint(nowMs, this.print)) return null
    const last = { ...this.print }
    const dayStart = bucketStart(nowMs, { kind: 'days' })
    const day = this.agg
    const hasDay = s.aggregate(dayStart, dayStart + DAY_MS, nowMs, day)
    const prevClose = s.closeBefore(dayStart, this.print)
    const pcp = Number.isNaN(prevClose) ? (hasDay ? day.open : last.price) : prevClose
    const d24 = this.agg2
    s.aggregate(nowMs - DAY_MS + 1, nowMs + 1, nowMs, d24)
    const hl = { high: 0, highIdx: 0, low: 0, lowIdx: 0 }
    scanHighLow(s, s.indexOf(nowMs - 365 * DAY_MS), s.indexOf(nowMs) - 1, hl)
    if (hasDay && day.high >= hl.high) {
      hl.high = day.high
      hl.highIdx = s.indexOf(nowMs)
    }
    if (hasDay && day.low <= hl.low) {
      hl.low = day.low
      hl.lowIdx = s.indexOf(nowMs)
    }
    const change = last.price - pcp
    const rate = pcp > 0 ? Math.round((change / pcp) * 1e10) / 1e10 : 0
    const idxDate = (i: number): string => dateDashed(s.originMs + i * MINUTE_MS)
    return {
      market,
      trade_date: dateCompact(last.timeMs),
      trade_time: timeCompact(last.timeMs),
      trade_date_kst: dateCompact(last.timeMs, KST_MS),
      trade_time_kst: timeCompact(last.timeMs, KST_MS),
      trade_timestamp: last.timeMs,
      opening_price: hasDay ? day.open : pcp,
      high_price: hasDay ? day.high : pcp,
      low_price: hasDay ? day.low : pcp,
      trade_price: last.price,
      prev_closing_price: pcp,
      change: change > 0 ? 'RISE' : change < 0 ? 'FALL' : 'EVEN',
      change_price: Math.abs(r8(change)),
      change_rate: Math.abs(rate),
      signed_change_price: r8(change),
      signed_change_rate: rate,
      trade_volume: last.volume,
      acc_trade_price: hasDay ? r8(day.quote) : 0,
      acc_trade_price_24h: r8(d24.quote),
      acc_trade_volume: hasDay ? day.volume : 0,
      acc_trade_volume_24h: d24.volume,
      highest_52_week_price: hl.high,
      highest_52_week_date: idxDate(hl.highIdx),
      lowest_52_week_price: hl.low,
      lowest_52_week_date: idxDate(hl.lowIdx),
      timestamp: nowMs,
      // Kept for the WebSocket ticker (stripped from REST by the route).
      ask_bid: last.askBid,
    }
  }

  /** Book levels around the last trade: best bid = last price, best ask one tick above. */
  book(market: string, nowMs: number, depth: number): BookLevels | null {
    const s = this.series.get(market)
    if (!s || !s.lastPrint(nowMs, this.print)) return null
    const p = this.print.price
    const minute = s.indexOf(this.print.timeMs)
    const base = s.spec.meanVolumePerMinute / 4
    const out: BookLevels = { askPrices: [], askSizes: [], bidPrices: [], bidSizes: [] }
    let ask = nextTickUp(p)
    let bid = p
    for (let i = 0; i < depth; i++) {
      const h = ((Math.imul(minute + 1, 2654435761) ^ Math.imul(i + 7, 40503)) >>> 0) / 4294967296
      out.askPrices.push(ask)
      out.bidPrices.push(bid)
      out.askSizes.push(r8(base * (1 + 0.5 * i) * (0.5 + h)))
      out.bidSizes.push(r8(base * (1 + 0.5 * i) * (1.5 - h)))
      ask = nextTickUp(ask)
      bid = nextTickDown(bid)
    }
    return out
  }

  orderbookJson(market: string, nowMs: number, depth: number): Record<string, unknown> | null {
    const b = this.book(market, nowMs, depth)
    if (!b) return null
    const units = b.askPrices.map((ap, i) => ({
      ask_price: ap,
      bid_price: b.bidPrices[i]!,
      ask_size: b.askSizes[i]!,
      bid_size: b.bidSizes[i]!,
    }))
    return {
      market,
      timestamp: nowMs,
      total_ask_size: r8(b.askSizes.reduce((x, y) => x + y, 0)),
      total_bid_size: r8(b.bidSizes.reduce((x, y) => x + y, 0)),
      orderbook_units: units,
      level: 0,
    }
  }

  /** Recent trades before `beforeMs` (exclusive) and `cursor` (a sequential_id), newest first. */
  ticks(market: string, nowMs: number, fromMs: number, beforeMs: number, count: number, cursor: number | null): Record<string, unknown>[] {
    const s = this.series.get(market)
    if (!s) return []
    const out: Record<string, unknown>[] = []
    const upper = Math.min(beforeMs - 1, nowMs)
    s.ensureUntil(upper)
    const p = this.print
    for (let i = s.indexOf(upper); i >= Math.max(0, s.indexOf(fromMs)) && out.length < count; i--) {
      for (let k = 3; k >= 0 && out.length < count; k--) {
        if (!s.printAt(i, k, p) || p.timeMs > upper || p.timeMs < fromMs) continue
        if (cursor !== null && p.sequentialId >= cursor) continue
        const prev = s.closeBefore(bucketStart(p.timeMs, { kind: 'days' }), newPrint())
        const pcp = Number.isNaN(prev) ? p.price : prev
        out.push({
          market,
          trade_date_utc: dateDashed(p.timeMs),
          trade_time_utc: timeColon(p.timeMs),
          timestamp: p.timeMs,
          trade_price: p.price,
          trade_volume: p.volume,
          prev_closing_price: pcp,
          change_price: r8(p.price - pcp),
          ask_bid: p.askBid,
          sequential_id: p.sequentialId,
        })
      }
    }
    return out
  }
}
