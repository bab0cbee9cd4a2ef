// The sim account's order book and matching. Rules (documented for clients and tests):
// - Orders that can trade on arrival take liquidity from the synthetic book (`Markets.book`: best
//   bid = last trade, best ask one tick above, 30 levels) at each level's price (taker).
// - A resting limit bid fills when a generated trade prints AT OR BELOW its price, a resting ask
//   when one prints AT OR ABOVE; the fill is at the ORDER's limit price (maker), for at most the
//   print's volume, shared among resting orders by price then time priority.
// - price (market buy by total) and market (sell by volume) walk the book; an unspent remainder
//   ends the order in `cancel` (as Upbit's market buys usually do). best = the top level only,
//   with ioc (partial ok) or fok (all or nothing). ioc/fok limits never rest; post_only that would
//   take liquidity is created and cancelled at once (201, then state `cancel`, nothing executed).
// - Fee 0.05% of funds on every fill (maker and taker); bids reserve price×volume×(1+fee).
import { randomUUID } from 'node:crypto'
import { exchangeError } from './errors.ts'
import type { Ledger } from './ledger.ts'
import type { BookLevels, Markets } from './market-data.ts'
import type { Print } from './market-series.ts'
import { checkOrderLimits, FEE_RATE, IDENTIFIER_MAX_CHARS } from './order-params.ts'
import type { OrderRequest } from './order-params.ts'
import type { SimOrder, SimTrade } from './types.ts'

export type OrderEventKind = 'wait' | 'trade' | 'done' | 'cancel'

/** What placing an order would do: the book it meets and the funds it locks. */
export interface Placement {
  readonly book: BookLevels
  readonly lockCurrency: string
  readonly lockAmt: number
  readonly reservedFee: number
}

export interface ExchangeEvents {
  order(o: SimOrder, kind: OrderEventKind, trade: SimTrade | null): void
  assets(currencies: string[]): void
}

const r8 = (x: number): number => Math.round(x * 1e8) / 1e8
const floor8 = (x: number): number => Math.floor(x * 1e8 + 1e-6) / 1e8
const EPS = 1e-9

export const baseOf = (market: string): string => market.slice(market.indexOf('-') + 1)
export const quoteOf = (market: string): string => market.slice(0, market.indexOf('-'))

export function remainingVolume(o: SimOrder): number {
  return o.volume === null ? 0 : r8(o.volume - o.executedVolume)
}

export class Exchange {
  private readonly all: SimOrder[] = []
  private readonly byUuid = new Map<string, SimOrder>()
  private readonly byIdentifier = new Map<string, SimOrder>()
  private readonly usedIdentifiers = new Set<string>()
  private readonly resting = new Map<string, SimOrder[]>()

  constructor(
    private readonly markets: Markets,
    readonly ledger: Ledger,
    private readonly events: ExchangeEvents,
  ) {}

  /** Refuses an identifier that is too long or already used, without claiming it (the test route). */
  checkIdentifier(identifier: string): void {
    if (identifier.length > IDENTIFIER_MAX_CHARS)
      throw exchangeError(400, 'validation_error', `identifier is too long (max ${IDENTIFIER_MAX_CHARS})`)
    if (this.usedIdentifiers.has(identifier)) throw exchangeError(400, 'duplicated_identifier')
  }

  /** Claims an identifier for good, before any other check (Upbit refuses reuse even after a failure). */
  claimIdentifier(identifier: string): void {
    this.checkIdentifier(identifier)
    this.usedIdentifiers.add(identifier)
  }

  list(): readonly SimOrder[] {
    return this.all
  }

  find(uuid: string | null, identifier: string | null): SimOrder | undefined {
    if (uuid !== null) return this.byUuid.get(uuid)
    if (identifier !== null) return this.byIdentifier.get(identifier)
    return undefined
  }

  /**
   * Every check `place` makes (market open, limits, funds), changing nothing. `freed` is what a
   * cancel would release first in the currency this order locks (cancel_and_new checks the new
   * order before it cancels the old one).
   */
  prepare(req: OrderRequest, nowMs: number, freed = 0): Placement {
    const book = this.markets.book(req.market, nowMs, 30)
    if (!book) throw exchangeError(400, 'market_offline', '거래가 없는 마켓입니다.')
    checkOrderLimits(req, req.side === 'ask' ? book.bidPrices[0]! : book.askPrices[0]!)
    const quote = quoteOf(req.market)
    const base = baseOf(req.market)
    if (req.side === 'bid') {
      const total = req.ordType === 'limit' ? req.price! * req.volume! : req.price!
      const reservedFee = r8(total * FEE_RATE)
      const lockAmt = r8(total + reservedFee)
      if (this.ledger.get(quote).free + freed + EPS < lockAmt) throw exchangeError(400, 'insufficient_funds_bid')
      return { book, lockCurrency: quote, lockAmt, reservedFee }
    }
    const reservedFee = req.ordType === 'limit' ? r8(req.price! * req.volume! * FEE_RATE) : 0
    if (this.ledger.get(base).free + freed + EPS < req.volume!)
      throw exchangeError(400, 'insufficient_funds_ask', `주문가능한 금액(${base})이 부족합니다.`)
    return { book, lockCurrency: base, lockAmt: req.volume!, reservedFee }
  }

  place(req: OrderRequest, nowMs: number): SimOrder {
    const { book, lockCurrency, lockAmt, reservedFee } = this.prepare(req, nowMs)
    const quote = quoteOf(req.market)
    const base = baseOf(req.market)
    const o: SimOrder = {
      uuid: randomUUID(),
      identifier: req.identifier,
      market: req.market,
      side: req.side,
      ordType: req.ordType,
      price: req.price,
      volume: req.volume,
      timeInForce: req.timeInForce,
      state: 'wait',
      createdMs: nowMs,
      executedVolume: 0,
      executedFunds: 0,
      paidFee: 0,
      reservedFee,
      locked: lockAmt,
      trades: [],
    }
    this.ledger.lock(lockCurrency, lockAmt)
    this.all.push(o)
    this.byUuid.set(o.uuid, o)
    if (o.identifier !== null) this.byIdentifier.set(o.identifier, o)
    this.events.order(o, 'wait', null)
    this.takeOnArrival(o, book, nowMs)
    this.events.assets([quote, base])
    return o
  }

  private takeOnArrival(o: SimOrder, book: BookLevels, nowMs: number): void {
    const prices = o.side === 'bid' ? book.askPrices : book.bidPrices
    const sizes = o.side === 'bid' ? book.askSizes : book.bidSizes
    const crosses = (p: number): boolean => o.ordType !== 'limit' || (o.side === 'bid' ? p <= o.price! : p >= o.price!)
    const depth = o.ordType === 'best' ? 1 : prices.length
    const byFunds = o.side === 'bid' && o.ordType !== 'limit'
    if (o.timeInForce === 'post_only' && crosses(prices[0]!)) return this.finish(o, nowMs, 'cancel')
    if (o.timeInForce === 'fok') {
      let want = byFunds ? o.price! : o.volume!
      for (let i = 0; i < depth && want > EPS && crosses(prices[i]!); i++) {
        want -= byFunds ? Math.min(sizes[i]!, floor8(want / prices[i]!)) * prices[i]! : Math.min(sizes[i]!, want)
      }
      // For funds-based FOK, leftover below one volume step of the price counts as filled.
      const filled = byFunds ? want < prices[depth - 1]! * 1e-8 + EPS : want <= EPS
      if (!filled) return this.finish(o, nowMs, 'cancel')
    }
    for (let i = 0; i < depth && crosses(prices[i]!); i++) {
      const v = byFunds ? Math.min(sizes[i]!, floor8((o.price! - o.executedFunds) / prices[i]!)) : Math.min(sizes[i]!, remainingVolume(o))
      if (v <= 0) break
      this.fill(o, prices[i]!, v, false, nowMs)
    }
    // Plain limits and post_only limits that did not cross rest on the book; ioc/fok never rest.
    const rests = o.ordType === 'limit' && (o.timeInForce === null || o.timeInForce === 'post_only')
    if (rests && remainingVolume(o) > 0) {
      const list = this.resting.get(o.market) ?? []
      list.push(o)
      this.resting.set(o.market, list)
      return
    }
    const complete = byFunds ? o.price! - o.executedFunds < 1e-8 : remainingVolume(o) <= 0
    this.finish(o, nowMs, complete ? 'done' : 'cancel')
  }

  private fill(o: SimOrder, price: number, v: number, isMaker: boolean, nowMs: number): void {
    const funds = r8(price * v)
    const fee = r8(funds * FEE_RATE)
    const quote = quoteOf(o.market)
    const base = baseOf(o.market)
    if (o.side === 'bid') {
      const release = Math.min(o.locked, r8(o.ordType === 'limit' ? o.price! * v * (1 + FEE_RATE) : funds + fee))
      this.ledger.spendLocked(quote, release)
      this.ledger.credit(quote, r8(release - funds - fee))
      o.locked = r8(o.locked - release)
      this.ledger.addBuy(base, v, price)
    } else {
      this.ledger.spendLocked(base, v)
      o.locked = r8(o.locked - v)
      this.ledger.credit(quote, r8(funds - fee))
    }
    o.executedVolume = r8(o.executedVolume + v)
    o.executedFunds = r8(o.executedFunds + funds)
    o.paidFee = r8(o.paidFee + fee)
    const trade: SimTrade = { uuid: randomUUID(), price, volume: v, funds, fee, isMaker, createdMs: nowMs }
    o.trades.push(trade)
    this.events.order(o, 'trade', trade)
  }

  private finish(o: SimOrder, nowMs: number, state: 'done' | 'cancel'): void {
    void nowMs
    if (o.locked > 0) this.ledger.unlock(o.side === 'bid' ? quoteOf(o.market) : baseOf(o.market), o.locked)
    o.locked = 0
    o.state = state
    const list = this.resting.get(o.market)
    if (list) {
      const i = list.indexOf(o)
      if (i >= 0) list.splice(i, 1)
    }
    this.events.order(o, state, null)
  }

  cancel(o: SimOrder, nowMs: number): void {
    if (o.state !== 'wait' && o.state !== 'watch') throw exchangeError(404, 'order_not_found')
    this.finish(o, nowMs, 'cancel')
    this.events.assets([quoteOf(o.market), baseOf(o.market)])
  }

  /** Matches resting limit orders of `market` against one generated trade. */
  onPrint(market: string, p: Print): void {
    const list = this.resting.get(market)
    if (!list || list.length === 0) return
    const bids = list
      .filter((o) => o.side === 'bid' && p.price <= o.price!)
      .sort((a, b) => b.price! - a.price! || a.createdMs - b.createdMs)
    const asks = list
      .filter((o) => o.side === 'ask' && p.price >= o.price!)
      .sort((a, b) => a.price! - b.price! || a.createdMs - b.createdMs)
    let changed = false
    for (const side of [bids, asks]) {
      let available = p.volume
      for (const o of side) {
        if (available <= EPS) break
        const v = Math.min(remainingVolume(o), r8(available))
        if (v <= 0) continue
        this.fill(o, o.price!, v, true, p.timeMs)
        available -= v
        changed = true
        if (remainingVolume(o) <= 0) this.finish(o, p.timeMs, 'done')
      }
    }
    if (changed) this.events.assets([quoteOf(market), baseOf(market)])
  }
}
