// Exact decimal rounding of order volumes (design §7.3). Upbit accepts at most 8 decimals of
// volume; the seed rounded down with Decimal(str(x)).quantize(ROUND_DOWN).
//
// floorTo8(x) is the largest 8-decimal number whose double is ≤ x: a value already on an
// 8-decimal step stays on it (0.29 stays 0.29, where Math.floor(0.29 × 1e8) gives 0.28999999),
// and the result never exceeds x. Above 2^26 units a double's spacing is wider than 1e-8, so
// every double there is the double of some 8-decimal number and x is returned unchanged.
//
// volumeFor(amount, price) sizes an order: the 8-decimal volume whose value at `price` never
// exceeds `amount` in exact arithmetic (the float quotient amount / price may round up by half an
// ulp; it is stepped back when it does, which matters for volumes near the 1e-8 steps and for
// every volume above ~1e7 units).

const SCALE = 1e8
/** 2^26: from here on a double's spacing (≥ 1.49e-8) is wider than an 8-decimal step. */
const ALL_DOUBLES_ON_STEP = 67_108_864

export function floorTo8(x: number): number {
  if (!(x > 0)) return 0
  if (x >= ALL_DOUBLES_ON_STEP) return x === Infinity ? 0 : x
  // n < 2^53 here, so n / 1e8 is the correctly rounded double of the decimal n × 1e-8.
  let n = Math.floor(x * SCALE)
  if ((n + 1) / SCALE <= x) n += 1
  else if (n / SCALE > x) n -= 1
  return n / SCALE
}

/** The next double below a positive finite x (x − one ulp). */
export function nextDown(x: number): number {
  F64[0] = x
  // Little- and big-endian hosts alike: the low word holds the mantissa's low bits.
  if (U32[LO]! === 0) {
    U32[LO] = 0xffffffff
    U32[HI] = U32[HI]! - 1
  } else {
    U32[LO] = U32[LO]! - 1
  }
  return F64[0]!
}

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1
const HI = 1 - LO

/** Veltkamp's splitter for 53-bit doubles: 2^27 + 1. */
const SPLIT = 134_217_729

/**
 * True when a × b ≤ c in exact arithmetic (a, b, c positive and finite, the product far from
 * overflow and underflow): the rounded product and its exact error (Dekker's two-product).
 */
export function productAtMost(a: number, b: number, c: number): boolean {
  const p = a * b
  if (p !== c) return p < c
  const ta = SPLIT * a
  const ah = ta - (ta - a)
  const al = a - ah
  const tb = SPLIT * b
  const bh = tb - (tb - b)
  const bl = b - bh
  const err = al * bl - (((p - ah * bh) - al * bh) - ah * bl)
  return err <= 0
}

/** The 8-decimal volume bought or sold for `amount` quote at `price`: volume × price ≤ amount exactly. */
export function volumeFor(amount: number, price: number): number {
  let x = amount / price
  if (!(x > 0) || x === Infinity) return 0
  if (!productAtMost(x, price, amount)) x = nextDown(x)
  return floorTo8(x)
}

/**
 * One 8-decimal step below a volume: 1e-8 less, or, where a double's spacing is wider than
 * 1e-8 (above ~6.7e7 units, where subtracting 1e-8 may not change the float), the next lower
 * double.
 */
export function stepDown8(q: number): number {
  const d = q - 1e-8
  if (q >= ALL_DOUBLES_ON_STEP) return d < q ? d : nextDown(q)
  return floorTo8(d)
}
