// REST shapes of orders, trades and accounts (decimal strings, KST timestamps), as Upbit sends them.
import { baseOf, remainingVolume } from './exchange.ts'
import { dec, isoKst, isoKstMicros } from './format.ts'
import type { Ledger } from './ledger.ts'
import { FEE_RATE } from './order-params.ts'
import type { SimOrder } from './types.ts'

export function remainingFee(o: SimOrder): number {
  if (o.state !== 'wait' && o.state !== 'watch') return 0
  if (o.ordType === 'limit') return o.price! * remainingVolume(o) * FEE_RATE
  if (o.side === 'bid') return (o.price! - o.executedFunds) * FEE_RATE
  return 0
}

export function orderJson(o: SimOrder, withTrades: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = {
    uuid: o.uuid,
    side: o.side,
    ord_type: o.ordType,
  }
  if (o.price !== null) row.price = dec(o.price)
  row.state = o.state
  row.market = o.market
  row.created_at = isoKst(o.createdMs)
  if (o.volume !== null) {
    row.volume = dec(o.volume)
    row.remaining_volume = dec(remainingVolume(o))
  }
  row.reserved_fee = dec(o.reservedFee)
  row.remaining_fee = dec(remainingFee(o))
  row.paid_fee = dec(o.paidFee)
  row.locked = dec(o.locked)
  row.executed_volume = dec(o.executedVolume)
  row.executed_funds = dec(o.executedFunds)
  row.prevented_volume = '0'
  row.prevented_locked = '0'
  row.trades_count = o.trades.length
  if (o.timeInForce !== null) row.time_in_force = o.timeInForce
  if (o.identifier !== null) row.identifier = o.identifier
  if (withTrades) {
    row.trades = o.trades.map((t) => ({
      market: o.market,
      uuid: t.uuid,
      price: dec(t.price),
      volume: dec(t.volume),
      funds: dec(t.funds),
      trend: o.side === 'bid' ? (t.isMaker ? 'down' : 'up') : t.isMaker ? 'up' : 'down',
      created_at: isoKstMicros(t.createdMs),
      side: o.side,
    }))
  }
  return row
}

export function accountJson(cur: string, h: { free: number; locked: number; avgBuyPrice: number }): Record<string, unknown> {
  return {
    currency: cur,
    balance: dec(h.free),
    locked: dec(h.locked),
    avg_buy_price: cur === 'KRW' ? '0' : dec(h.avgBuyPrice),
    avg_buy_price_modified: false,
    unit_currency: 'KRW',
  }
}

export function accountsJson(ledger: Ledger): Record<string, unknown>[] {
  return ledger
    .entries()
    .filter(([cur, h]) => cur === 'KRW' || h.free > 0 || h.locked > 0)
    .map(([cur, h]) => accountJson(cur, h))
}

export function chanceJson(market: string, ledger: Ledger): Record<string, unknown> {
  const base = baseOf(market)
  return {
    bid_fee: String(FEE_RATE),
    ask_fee: String(FEE_RATE),
    maker_bid_fee: String(FEE_RATE),
    maker_ask_fee: String(FEE_RATE),
    market: {
      id: market,
      name: `${base}/KRW`,
      order_types: ['limit'],
      order_sides: ['ask', 'bid'],
      bid_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'price'],
      ask_types: ['best_fok', 'best_ioc', 'limit', 'limit_fok', 'limit_ioc', 'market'],
      bid: { currency: 'KRW', min_total: '5000' },
      ask: { currency: base, min_total: '5000' },
      max_total: '1000000000',
      state: 'active',
    },
    bid_account: accountJson('KRW', ledger.get('KRW')),
    ask_account: accountJson(base, ledger.get(base)),
  }
}
