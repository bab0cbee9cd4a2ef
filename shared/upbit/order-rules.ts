// Upbit KRW-market order rules checked before anything is sent (upbit-api.md §4.3, §6.3):
// 5,000 KRW minimum total, 1,000,000,000 KRW maximum, limit prices on the tick ladder, volumes with
// at most 8 decimals; and the exact decimal strings Upbit expects in a body (no exponent notation).
// Totals are computed exactly on decimal strings (BigInt), so 5,000.0000000001 vs 4,999.99… is
// decided the way the exchange decides it, not by float noise.
import { isOnKrwTick, krwTickSize } from './ticks.ts'

export const KRW_MIN_TOTAL = 5_000
export const KRW_MAX_TOTAL = 1_000_000_000
export const VOLUME_DECIMALS = 8

/** Plain decimal form of a finite number (shortest round-trip digits, never `1e-7`). */
export function toPlainDecimal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`)
  const text = String(x)
  const e = text.indexOf('e')
  if (e < 0) return text
  const negative = text.startsWith('-')
  const mantissa = text.slice(negative ? 1 : 0, e)
  const exponent = Number(text.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const digits = mantissa.replace('.', '')
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent
  let out: string
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length)
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`
  return (negative ? '-' : '') + out
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text
  return text.replace(/0+$/, '').replace(/\.$/, '')
}

/**
 * Volume as Upbit wants it: rounded DOWN to 8 decimals on the decimal digits (0.29 stays "0.29",
 * 1e-9 becomes "0"), trailing zeros removed.
 */
export function formatVolume(volume: number): string {
  if (!(volume >= 0) || !Number.isFinite(volume)) throw new RangeError(`volume must be a finite number ≥ 0, got ${volume}`)
  const plain = toPlainDecimal(volume)
  const dot = plain.indexOf('.')
  if (dot < 0) return plain
  return trimZeros(plain.slice(0, dot + 1 + VOLUME_DECIMALS)) || '0'
}

/** Price (or a total amount) as an exact decimal string with no exponent, e.g. 3.03 → "3.03". */
export function formatPrice(price: number): string {
  if (!(price > 0) || !Number.isFinite(price)) throw new RangeError(`price must be a finite number > 0, got ${price}`)
  return toPlainDecimal(price)
}

/** Number of decimals of a number's shortest decimal form. */
export function decimalPlaces(x: number): number {
  const plain = toPlainDecimal(x)
  const dot = plain.indexOf('.')
  return dot < 0 ? 0 : plain.length - dot - 1
}

interface Scaled {
  readonly units: bigint
  readonly scale: number
}

function scaled(x: number): Scaled {
  const plain = toPlainDecimal(x)
  const dot = plain.indexOf('.')
  if (dot < 0) return { units: BigInt(plain), scale: 0 }
  return { units: BigInt(plain.replace('.', '')), scale: plain.length - dot - 1 }
}

/** Compares price × volume with an integer bound exactly: −1, 0 or 1. */
function compareProduct(price: number, volume: number, bound: number): number {
  const a = scaled(price)
  const b = scaled(volume)
  const lhs = a.units * b.units
  const rhs = BigInt(bound) * 10n ** BigInt(a.scale + b.scale)
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0
}

export type OrderRuleViolation =
  | { readonly kind: 'invalid-number'; readonly field: 'price' | 'volume'; readonly message: string }
  | { readonly kind: 'missing-field'; readonly field: 'price' | 'volume'; readonly message: string }
  | { readonly kind: 'off-tick'; readonly tick: number; readonly message: string }
  | { readonly kind: 'volume-precision'; readonly message: string }
  | { readonly kind: 'under-min-total'; readonly message: string }
  | { readonly kind: 'over-max-total'; readonly message: string }

/** The order shapes of POST /v1/orders: limit (price+volume), price = market buy by total, market = sell by volume. */
export interface KrwOrderCheckInput {
  readonly ordType: 'limit' | 'price' | 'market'
  /** Unit price for limit; total quote amount for `price` orders. */
  readonly price?: number
  readonly volume?: number
  /** For market sells: the price used to estimate the total (e.g. best bid); without it no total check. */
  readonly referencePrice?: number
}

/** Every rule the order breaks (empty = acceptable). */
export function checkKrwOrder(input: KrwOrderCheckInput): OrderRuleViolation[] {
  const out: OrderRuleViolation[] = []
  const needPrice = input.ordType !== 'market'
  const needVolume = input.ordType !== 'price'
  const { price, volume } = input
  if (needPrice) {
    if (price === undefined) out.push({ kind: 'missing-field', field: 'price', message: `${input.ordType} order needs a price` })
    else if (!(price > 0) || !Number.isFinite(price))
      out.push({ kind: 'invalid-number', field: 'price', message: `price must be > 0, got ${price}` })
  }
  if (needVolume) {
    if (volume === undefined) out.push({ kind: 'missing-field', field: 'volume', message: `${input.ordType} order needs a volume` })
    else if (!(volume > 0) || !Number.isFinite(volume))
      out.push({ kind: 'invalid-number', field: 'volume', message: `volume must be > 0, got ${volume}` })
    else if (decimalPlaces(volume) > VOLUME_DECIMALS) {
      out.push({ kind: 'volume-precision', message: `volume ${toPlainDecimal(volume)} has more than ${VOLUME_DECIMALS} decimals` })
    }
  }
  if (out.length > 0) return out
  if (input.ordType === 'limit' && !isOnKrwTick(price!)) {
    const tick = krwTickSize(price!)
    out.push({
      kind: 'off-tick',
      tick,
      message: `price ${toPlainDecimal(price!)} is not a multiple of the KRW tick ${toPlainDecimal(tick)}`,
    })
  }
  const unit = input.ordType === 'price' ? price! : input.ordType === 'limit' ? price! : input.referencePrice
  const qty = input.ordType === 'price' ? 1 : volume!
  if (unit !== undefined && unit > 0 && Number.isFinite(unit)) {
    if (compareProduct(unit, qty, KRW_MIN_TOTAL) < 0) {
      out.push({ kind: 'under-min-total', message: `order total is under the ${KRW_MIN_TOTAL} KRW minimum` })
    }
    if (compareProduct(unit, qty, KRW_MAX_TOTAL) > 0) {
      out.push({ kind: 'over-max-total', message: `order total is over the ${KRW_MAX_TOTAL} KRW maximum` })
    }
  }
  return out
}
