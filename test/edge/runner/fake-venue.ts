// An in-memory venue for LiveRun unit tests: Upbit's order semantics reduced to what a live run
// relies on (identifiers unique forever, market orders fill at once, lookups by uuid or
// identifier list every trade), with scripted outcomes: refusals, ambiguous answers that did or
// did not land, lookups that fail or do not find an order yet, and balances.
import type { LiveVenue } from '../../../edge/runner/live-run.ts'
import type { OrderRef, PlaceOrderInput, PlacedOrder, UpbitError, UpbitResult } from '../../../edge/upbit/index.ts'
import type { UpbitAccount, UpbitOrder, UpbitOrderTrade } from '../../../shared/upbit/types.ts'

export type PlaceOutcome = 'fill' | 'rest' | 'reject' | 'ambiguous-landed' | 'ambiguous-lost'

interface FakeOrder {
  uuid: string
  identifier: string
  input: PlaceOrderInput
  state: 'wait' | 'done' | 'cancel'
  trades: UpbitOrderTrade[]
  createdAtMs: number
}

const fail = (e: UpbitError): { ok: false; error: UpbitError } => ({ ok: false, error: e })

export class FakeVenue implements LiveVenue {
  readonly orders = new Map<string, FakeOrder>()
  readonly used = new Set<string>()
  readonly calls = { place: 0, get: 0, cancel: 0, list: 0, accounts: 0 }
  price = 50_000_000
  feeRate = 0.0005
  nowMs = 1_700_000_000_000
  /** Outcomes of the next placements, in order (default 'fill'). */
  readonly outcomes: PlaceOutcome[] = []
  /** Lookups that answer order_not_found although the order exists (eventual consistency). */
  hideLookups = 0
  /** Lookups that fail with a 500. */
  failLookups = 0
  /** Extra base currency held outside the run. */
  extraBase = 0
  private seq = 0

  private order(o: FakeOrder): UpbitOrder {
    const executedVolume = o.trades.reduce((a, t) => a + t.volume, 0)
    const executedFunds = o.trades.reduce((a, t) => a + t.funds, 0)
    return {
      uuid: o.uuid,
      identifier: o.identifier,
      market: o.input.market,
      side: o.input.side,
      ordType: o.input.ordType,
      ...(o.input.price !== undefined ? { price: o.input.price } : {}),
      state: o.state,
      createdAtMs: o.createdAtMs,
      ...(o.input.volume !== undefined ? { volume: o.input.volume } : {}),
      remainingVolume: o.state === 'wait' && o.input.volume !== undefined ? o.input.volume - executedVolume : 0,
      executedVolume,
      reservedFee: 0,
      remainingFee: 0,
      paidFee: executedFunds * this.feeRate,
      locked: 0,
      tradesCount: o.trades.length,
      executedFunds,
      trades: o.trades.map((t) => ({ ...t })),
    }
  }

  /** Fills an order completely at the current price (a resting limit order trades). */
  fill(identifier: string, volume?: number): UpbitOrderTrade {
    const o = this.orders.get(identifier)!
    const v =
      volume ??
      (o.input.ordType === 'price'
        ? Math.floor((o.input.price! / this.price) * 1e8) / 1e8
        : o.input.volume! - o.trades.reduce((a, t) => a + t.volume, 0))
    const t: UpbitOrderTrade = {
      uuid: `t${++this.seq}`,
      market: o.input.market,
      price: o.input.ordType === 'limit' ? o.input.price! : this.price,
      volume: v,
      funds: v * (o.input.ordType === 'limit' ? o.input.price! : this.price),
      side: o.input.side,
      createdAtMs: this.nowMs,
    }
    o.trades.push(t)
    const filled = o.trades.reduce((a, x) => a + x.volume, 0)
    if (o.input.ordType === 'price' || o.input.ordType === 'market' || filled >= (o.input.volume ?? 0) - 1e-12) o.state = 'done'
    return t
  }

  async placeOrder(input: PlaceOrderInput): Promise<UpbitResult<PlacedOrder>> {
    this.calls.place++
    if (this.used.has(input.identifier)) return fail({ kind: 'upbit', status: 400, name: 'duplicated_identifier', message: 'dup' })
    this.used.add(input.identifier)
    const outcome = this.outcomes.shift() ?? 'fill'
    if (outcome === 'reject') return fail({ kind: 'upbit', status: 400, name: 'insufficient_funds_bid', message: 'no money' })
    if (outcome === 'ambiguous-lost') return fail({ kind: 'ambiguous', message: 'lost' })
    const o: FakeOrder = { uuid: `u${++this.seq}`, identifier: input.identifier, input, state: 'wait', trades: [], createdAtMs: this.nowMs }
    this.orders.set(input.identifier, o)
    if (input.ordType !== 'limit') this.fill(input.identifier)
    if (outcome === 'ambiguous-landed') return fail({ kind: 'ambiguous', message: 'landed, answer lost' })
    return { ok: true, value: { order: this.order({ ...o, trades: [], state: 'wait' }), resolvedBy: 'response' } }
  }

  private find(ref: OrderRef): FakeOrder | undefined {
    return 'uuid' in ref ? [...this.orders.values()].find((o) => o.uuid === ref.uuid) : this.orders.get(ref.identifier)
  }

  async getOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>> {
    this.calls.get++
    if (this.failLookups > 0) {
      this.failLookups--
      return fail({ kind: 'http', status: 500, message: 'server error' })
    }
    const o = this.find(ref)
    if (o === undefined || this.hideLookups > 0) {
      if (this.hideLookups > 0) this.hideLookups--
      return fail({ kind: 'upbit', status: 404, name: 'order_not_found', message: 'not found' })
    }
    return { ok: true, value: this.order(o) }
  }

  async cancelOrder(ref: OrderRef): Promise<UpbitResult<UpbitOrder>> {
    this.calls.cancel++
    const o = this.find(ref)
    if (o === undefined || o.state !== 'wait') return fail({ kind: 'upbit', status: 404, name: 'order_not_found', message: 'not found' })
    o.state = 'cancel'
    return { ok: true, value: this.order(o) }
  }

  async listOpenOrders(): Promise<UpbitResult<UpbitOrder[]>> {
    this.calls.list++
    return { ok: true, value: [...this.orders.values()].filter((o) => o.state === 'wait').map((o) => this.order(o)) }
  }

  async getAccounts(): Promise<UpbitResult<UpbitAccount[]>> {
    this.calls.accounts++
    let base = this.extraBase
    for (const o of this.orders.values()) for (const t of o.trades) base += o.input.side === 'bid' ? t.volume : -t.volume
    return {
      ok: true,
      value: [{ currency: 'BTC', balance: base, locked: 0, avgBuyPrice: 0, avgBuyPriceModified: false, unitCurrency: 'KRW' }],
    }
  }
}
