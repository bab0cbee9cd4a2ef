// Validation of POST /v1/orders parameters with Upbit's error names: combinations per ord_type,
// time_in_force rules, KRW tick, minimum/maximum total and available funds.
import { KRW_MAX_TOTAL, KRW_MIN_TOTAL } from '../../shared/upbit/order-rules.ts'
import { isOnKrwTick } from '../../shared/upbit/ticks.ts'
import { exchangeError } from './errors.ts'
import type { OrderSide, OrderType, TimeInForce } from './types.ts'

export const FEE_RATE = 0.0005
export const IDENTIFIER_MAX_CHARS = 64

export interface OrderRequest {
  market: string
  side: OrderSide
  ordType: OrderType
  price: number | null
  volume: number | null
  timeInForce: TimeInForce | null
  identifier: string | null
}

type Params = Readonly<Record<string, unknown>>

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== ''
}

function positiveDecimal(v: unknown, field: string): number {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\d+(\.\d+)?e[+-]?\d+$/i.test(text)) {
    throw exchangeError(400, 'validation_error', `${field} does not have a valid value`)
  }
  const n = Number(text)
  if (!(n > 0) || !Number.isFinite(n)) throw exchangeError(400, 'validation_error', `${field} does not have a valid value`)
  return n
}

/** Structural checks (no market state). The identifier has already been claimed by the caller. */
export function parseOrderRequest(p: Params, knownMarkets: ReadonlySet<string>): OrderRequest {
  const market = typeof p.market === 'string' ? p.market : ''
  if (!market) throw exchangeError(400, 'validation_error', 'market is missing')
  if (!knownMarkets.has(market)) throw exchangeError(400, 'notfoundmarket', `다음 마켓에 없는 종목입니다: ${market}`)
  const side = p.side
  if (side !== 'bid' && side !== 'ask') throw exchangeError(400, 'validation_error', 'side is missing, side does not have a valid value')
  const ordType = p.ord_type
  if (ordType !== 'limit' && ordType !== 'price' && ordType !== 'market' && ordType !== 'best') {
    throw exchangeError(400, 'validation_error', 'ord_type is missing, ord_type does not have a valid value')
  }
  const comboError = side === 'bid' ? 'create_bid_error' : 'create_ask_error'
  const hasPrice = present(p.price)
  const hasVolume = present(p.volume)
  const tifRaw = present(p.time_in_force) ? p.time_in_force : null
  if (tifRaw !== null && tifRaw !== 'ioc' && tifRaw !== 'fok' && tifRaw !== 'post_only') {
    throw exchangeError(400, 'invalid_time_in_force')
  }
  const tif = tifRaw as TimeInForce | null
  let needPrice: boolean
  let needVolume: boolean
  if (ordType === 'limit') {
    needPrice = needVolume = true
  } else if (ordType === 'price') {
    if (side !== 'bid') throw exchangeError(400, comboError, 'price 주문은 매수(bid)에만 사용할 수 있습니다.')
    needPrice = true
    needVolume = false
  } else if (ordType === 'market') {
    if (side !== 'ask') throw exchangeError(400, comboError, 'market 주문은 매도(ask)에만 사용할 수 있습니다.')
    needPrice = false
    needVolume = true
  } else {
    needPrice = side === 'bid'
    needVolume = side === 'ask'
  }
  if (hasPrice !== needPrice || hasVolume !== needVolume) throw exchangeError(400, comboError)
  if (tif !== null) {
    const allowed = ordType === 'limit' || (ordType === 'best' && tif !== 'post_only')
    if (!allowed) throw exchangeError(400, 'invalid_time_in_force')
  } else if (ordType === 'best') {
    throw exchangeError(400, 'invalid_time_in_force', 'best 주문은 time_in_force(ioc, fok)가 필요합니다.')
  }
  if (present(p.smp_type) && tif === 'post_only') throw exchangeError(400, 'invalid_post_only')
  return {
    market,
    side,
    ordType,
    price: needPrice ? positiveDecimal(p.price, 'price') : null,
    volume: needVolume ? positiveDecimal(p.volume, 'volume') : null,
    timeInForce: tif,
    identifier: typeof p.identifier === 'string' && p.identifier !== '' ? p.identifier : null,
  }
}

/** Tick and total checks; `refPrice` values a sell by volume (best bid) when there is no price. */
export function checkOrderLimits(o: OrderRequest, refPrice: number): void {
  const sfx = o.side === 'bid' ? 'bid' : 'ask'
  if (o.ordType === 'limit' && !isOnKrwTick(o.price!)) throw exchangeError(400, `invalid_price_${sfx}`)
  const total = o.ordType === 'limit' ? o.price! * o.volume! : o.price !== null ? o.price : o.volume! * refPrice
  if (total < KRW_MIN_TOTAL) {
    throw exchangeError(400, `under_min_total_${sfx}`, `최소주문금액 이상으로 주문해주세요 (${KRW_MIN_TOTAL} KRW)`)
  }
  if (total > KRW_MAX_TOTAL) {
    throw exchangeError(400, o.side === 'bid' ? 'over_krw_funds_bid' : 'over_krw_funds_ask', `최대 주문 금액은 ${KRW_MAX_TOTAL} KRW입니다.`)
  }
}
