// Validation of POST /v1/orders parameters with Upbit's error names: combinations per ord_type,
// time_in_force rules, exact decimals (8-decimal volumes), KRW tick, price ceiling and
// minimum/maximum total. Funds are checked by Exchange.prepare.
import { checkKrwOrder, decimalPlaces, KRW_MAX_TOTAL, KRW_MIN_TOTAL, VOLUME_DECIMALS } from '../../shared/upbit/order-rules.ts'
import type { OrderRuleViolation } from '../../shared/upbit/order-rules.ts'
import { decimalsOfText, exactNumber, normalizeDecimal } from './decimal.ts'
import { exchangeError } from './errors.ts'
import type { UpbitError } from './errors.ts'
import type { OrderSide, OrderType, TimeInForce } from './types.ts'

export const FEE_RATE = 0.0005
export const IDENTIFIER_MAX_CHARS = 64
const SMP_TYPES: readonly string[] = ['cancel_maker', 'cancel_taker', 'reduce']

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

/**
 * A positive decimal price or volume, exactly as written: a volume with more than 8 decimals, or a
 * text a double cannot hold exactly (e.g. "10000000.0000000001"), is refused with the field's
 * precision error instead of being rounded silently (decimal.ts).
 */
function decimalParam(v: unknown, field: 'price' | 'volume', sfx: 'bid' | 'ask'): number {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
  const canonical = normalizeDecimal(text)
  if (canonical === null || !/[1-9]/.test(canonical)) throw exchangeError(400, 'validation_error', `${field} does not have a valid value`)
  const n = exactNumber(canonical)
  const precise = n !== null && (field === 'price' || decimalsOfText(canonical) <= VOLUME_DECIMALS)
  if (!precise) throw exchangeError(400, `invalid_${field}_${sfx}`)
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
  if (present(p.smp_type) && !SMP_TYPES.includes(p.smp_type as string))
    throw exchangeError(400, 'validation_error', 'smp_type does not have a valid value')
  if (present(p.smp_type) && tif === 'post_only') throw exchangeError(400, 'invalid_post_only')
  return {
    market,
    side,
    ordType,
    price: needPrice ? decimalParam(p.price, 'price', side) : null,
    volume: needVolume ? decimalParam(p.volume, 'volume', side) : null,
    timeInForce: tif,
    identifier: typeof p.identifier === 'string' && p.identifier !== '' ? p.identifier : null,
  }
}

/**
 * The highest limit price the sim accepts (KRW per unit). Upbit documents no price ceiling and its
 * top tick band is open-ended; the sim takes the maximum order total as the ceiling, so a price
 * like 1e20 with a 1e-16 volume can never pass as a 10,000 KRW order.
 */
export const MAX_UNIT_PRICE = KRW_MAX_TOTAL

/** The rule of shared/upbit/order-rules.ts that an order breaks first → Upbit's error. */
function ruleError(v: OrderRuleViolation, sfx: 'bid' | 'ask'): UpbitError {
  switch (v.kind) {
    case 'volume-precision':
      return exchangeError(400, `invalid_volume_${sfx}`)
    case 'off-tick':
      return exchangeError(400, `invalid_price_${sfx}`)
    case 'under-min-total':
      return exchangeError(400, `under_min_total_${sfx}`, `최소주문금액 이상으로 주문해주세요 (${KRW_MIN_TOTAL} KRW)`)
    case 'over-max-total':
      return exchangeError(400, `over_krw_funds_${sfx}`, `최대 주문 금액은 ${KRW_MAX_TOTAL} KRW입니다.`)
    default:
      return exchangeError(400, 'validation_error', v.message)
  }
}

/**
 * Precision, tick, price ceiling and min/max total, decided exactly (BigInt products in
 * checkKrwOrder); `refPrice` values a sell by volume (best bid) when there is no price.
 */
export function checkOrderLimits(o: OrderRequest, refPrice: number): void {
  const sfx = o.side === 'bid' ? 'bid' : 'ask'
  if (o.ordType === 'limit' && o.price! > MAX_UNIT_PRICE) {
    throw exchangeError(400, `invalid_price_${sfx}`, `주문가격은 ${MAX_UNIT_PRICE} KRW를 넘을 수 없습니다.`)
  }
  // A total in KRW (price order, best bid) has the same 8 decimals as every amount the venue keeps.
  if (o.ordType !== 'limit' && o.price !== null && decimalPlaces(o.price) > VOLUME_DECIMALS)
    throw exchangeError(400, `invalid_price_${sfx}`)
  const shape = o.ordType === 'limit' ? 'limit' : o.price !== null ? 'price' : 'market'
  const violations = checkKrwOrder({
    ordType: shape,
    ...(o.price !== null ? { price: o.price } : {}),
    ...(o.volume !== null ? { volume: o.volume } : {}),
    ...(shape === 'market' ? { referencePrice: refPrice } : {}),
  })
  if (violations.length > 0) throw ruleError(violations[0]!, sfx)
}
