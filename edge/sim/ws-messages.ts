// WebSocket message bodies (upbit-api.md §7.3): ticker, trade, orderbook, candle, myOrder, myAsset,
// and the SIMPLE format's abbreviated keys. Private messages carry JSON numbers, unlike REST.
import { remainingVolume } from './exchange.ts'
import type { OrderEventKind } from './exchange.ts'
import { dateDashed, isoKstNoZone, isoUtcNoZone, timeColon } from './format.ts'
import type { Markets } from './market-data.ts'
import { bucketStart } from './market-data.ts'
import { newAgg } from './market-series.ts'
import type { Print } from './market-series.ts'
import { remainingFee } from './order-json.ts'
import type { SimOrder, SimTrade } from './types.ts'

export type StreamType = 'SNAPSHOT' | 'REALTIME'

const SIMPLE: Readonly<Record<string, string>> = {
  type: 'ty',
  code: 'cd',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  prev_closing_price: 'pcp',
  change: 'c',
  change_price: 'cp',
  signed_change_price: 'scp',
  change_rate: 'cr',
  signed_change_rate: 'scr',
  trade_volume: 'tv',
  acc_trade_volume: 'atv',
  acc_trade_volume_24h: 'atv24h',
  acc_trade_price: 'atp',
  acc_trade_price_24h: 'atp24h',
  trade_timestamp: 'ttms',
  ask_bid: 'ab',
  acc_ask_volume: 'aav',
  acc_bid_volume: 'abv',
  highest_52_week_price: 'h52wp',
  highest_52_week_date: 'h52wdt',
  lowest_52_week_price: 'l52wp',
  lowest_52_week_date: 'l52wdt',
  market_state: 'ms',
  is_trading_suspended: 'its',
  delisting_date: 'dd',
  market_warning: 'mw',
  timestamp: 'tms',
  stream_type: 'st',
  trade_time: 'ttm',
  sequential_id: 'sid',
  best_ask_price: 'bap',
  best_ask_size: 'bas',
  best_bid_price: 'bbp',
  best_bid_size: 'bbs',
  total_ask_size: 'tas',
  total_bid_size: 'tbs',
  orderbook_units: 'obu',
  ask_price: 'ap',
  bid_price: 'bp',
  ask_size: 'as',
  bid_size: 'bs',
  level: 'lv',
  candle_date_time_utc: 'cdttmu',
  candle_date_time_kst: 'cdttmk',
  candle_acc_trade_volume: 'catv',
  candle_acc_trade_price: 'catp',
  uuid: 'uid',
  order_type: 'ot',
  state: 's',
  trade_uuid: 'tuid',
  price: 'p',
  avg_price: 'ap',
  volume: 'v',
  remaining_volume: 'rv',
  executed_volume: 'ev',
  trades_count: 'tc',
  reserved_fee: 'rsf',
  remaining_fee: 'rmf',
  paid_fee: 'pf',
  locked: 'l',
  executed_funds: 'ef',
  time_in_force: 'tif',
  trade_fee: 'tf',
  is_maker: 'im',
  identifier: 'id',
  smp_type: 'smpt',
  prevented_volume: 'pv',
  prevented_locked: 'pl',
  order_timestamp: 'otms',
}

/** Abbreviates keys for the SIMPLE format (nested orderbook units too). */
export function toSimple(msg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(msg)) {
    const key = k === 'trade_date' ? (msg.type === 'ticker' ? 'tdt' : 'td') : (SIMPLE[k] ?? k)
    out[key] = Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? toSimple(x as Record<string, unknown>) : x)) : v
  }
  return out
}

export function tickerMsg(markets: Markets, code: string, atMs: number, st: StreamType): Record<string, unknown> | null {
  const t = markets.ticker(code, atMs)
  if (!t) return null
  const half = Number(t.acc_trade_volume) / 2
  return {
    type: 'ticker',
    code,
    opening_price: t.opening_price,
    high_price: t.high_price,
    low_price: t.low_price,
    trade_price: t.trade_price,
    prev_closing_price: t.prev_closing_price,
    change: t.change,
    change_price: t.change_price,
    signed_change_price: t.signed_change_price,
    change_rate: t.change_rate,
    signed_change_rate: t.signed_change_rate,
    trade_volume: t.trade_volume,
    acc_trade_volume: t.acc_trade_volume,
    acc_trade_volume_24h: t.acc_trade_volume_24h,
    acc_trade_price: t.acc_trade_price,
    acc_trade_price_24h: t.acc_trade_price_24h,
    trade_date: t.trade_date,
    trade_time: t.trade_time,
    trade_timestamp: t.trade_timestamp,
    ask_bid: t.ask_bid,
    acc_ask_volume: Math.round(half * 1e8) / 1e8,
    acc_bid_volume: Math.round(half * 1e8) / 1e8,
    highest_52_week_price: t.highest_52_week_price,
    highest_52_week_date: t.highest_52_week_date,
    lowest_52_week_price: t.lowest_52_week_price,
    lowest_52_week_date: t.lowest_52_week_date,
    market_state: 'ACTIVE',
    is_trading_suspended: false,
    delisting_date: null,
    market_warning: 'NONE',
    timestamp: atMs,
    stream_type: st,
  }
}

export function tradeMsg(markets: Markets, code: string, p: Print, st: StreamType): Record<string, unknown> {
  const s = markets.get(code)!
  const prev = s.closeBefore(bucketStart(p.timeMs, { kind: 'days' }), { ...p })
  const pcp = Number.isNaN(prev) ? p.price : prev
  const book = markets.book(code, p.timeMs, 1)
  const diff = p.price - pcp
  return {
    type: 'trade',
    code,
    trade_price: p.price,
    trade_volume: p.volume,
    ask_bid: p.askBid,
    prev_closing_price: pcp,
    change: diff > 0 ? 'RISE' : diff < 0 ? 'FALL' : 'EVEN',
    change_price: Math.abs(Math.round(diff * 1e8) / 1e8),
    trade_date: dateDashed(p.timeMs),
    trade_time: timeColon(p.timeMs),
    trade_timestamp: p.timeMs,
    timestamp: p.timeMs,
    sequential_id: p.sequentialId,
    best_ask_price: book?.askPrices[0] ?? p.price,
    best_ask_size: book?.askSizes[0] ?? 0,
    best_bid_price: book?.bidPrices[0] ?? p.price,
    best_bid_size: book?.bidSizes[0] ?? 0,
    stream_type: st,
  }
}

export function orderbookMsg(markets: Markets, code: string, atMs: number, depth: number, st: StreamType): Record<string, unknown> | null {
  const ob = markets.orderbookJson(code, atMs, depth)
  if (!ob) return null
  return {
    type: 'orderbook',
    code,
    timestamp: atMs,
    total_ask_size: ob.total_ask_size,
    total_bid_size: ob.total_bid_size,
    orderbook_units: ob.orderbook_units,
    stream_type: st,
    level: 0,
  }
}

export function candleMsg(markets: Markets, code: string, unit: number, atMs: number, st: StreamType): Record<string, unknown> | null {
  const s = markets.get(code)
  if (!s) return null
  const a = newAgg()
  let start = bucketStart(atMs, { kind: 'minutes', unit })
  // No candle yet in the current interval: the snapshot is the latest existing one.
  for (let tries = 0; tries < 1440 && !s.aggregate(start, start + unit * 60_000, atMs, a); tries++) start -= unit * 60_000
  if (a.count === 0) return null
  return {
    type: `candle.${unit}m`,
    code,
    candle_date_time_utc: isoUtcNoZone(start),
    candle_date_time_kst: isoKstNoZone(start),
    opening_price: a.open,
    high_price: a.high,
    low_price: a.low,
    trade_price: a.close,
    candle_acc_trade_volume: a.volume,
    candle_acc_trade_price: Math.round(a.quote * 1e8) / 1e8,
    timestamp: a.lastTimeMs,
    stream_type: st,
  }
}

export function myOrderMsg(o: SimOrder, kind: OrderEventKind, trade: SimTrade | null, atMs: number): Record<string, unknown> {
  const avg = o.executedVolume > 0 ? o.executedFunds / o.executedVolume : 0
  return {
    type: 'myOrder',
    code: o.market,
    uuid: o.uuid,
    ask_bid: o.side === 'bid' ? 'BID' : 'ASK',
    order_type: o.ordType,
    state: kind,
    trade_uuid: trade?.uuid ?? null,
    price: trade ? trade.price : o.price,
    avg_price: avg,
    volume: trade ? trade.volume : o.volume,
    remaining_volume: remainingVolume(o),
    executed_volume: o.executedVolume,
    trades_count: o.trades.length,
    reserved_fee: o.reservedFee,
    remaining_fee: remainingFee(o),
    paid_fee: o.paidFee,
    locked: o.locked,
    executed_funds: o.executedFunds,
    time_in_force: o.timeInForce,
    trade_fee: trade ? trade.fee : null,
    is_maker: trade ? trade.isMaker : null,
    identifier: o.identifier,
    smp_type: null,
    prevented_volume: 0,
    prevented_locked: 0,
    trade_timestamp: trade ? trade.createdMs : null,
    order_timestamp: o.createdMs,
    timestamp: atMs,
    stream_type: 'REALTIME',
  }
}

export function myAssetMsg(assets: Array<{ currency: string; balance: number; locked: number }>, atMs: number): Record<string, unknown> {
  return { type: 'myAsset', asset_uuid: crypto.randomUUID(), assets, asset_timestamp: atMs, timestamp: atMs, stream_type: 'REALTIME' }
}
