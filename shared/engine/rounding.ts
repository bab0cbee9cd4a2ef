// Exact decimal rounding of order volumes (design §7.3). A venue accepts a fixed number of volume
// decimals (Upbit: 8); the seed rounded down with Decimal(str(x)).quantize(ROUND_DOWN).
//
// floorToDecimals(x, d) is the largest d-decimal number whose double is ≤ x: a value already on a
// step stays on it (0.29 stays 0.29, where Math.floor(0.29 × 1e8) / 1e8 gives 0.28999999), and
// the result never exceeds x. Where a double's spacing is wider than a step (above 2^26 units for
// 8 decimals), every double is the double of some d-decimal number and x is returned unchanged.
//
// volumeFor(amount, price, d) sizes an order: the d-decimal volume whose value at `price` never
// exceeds `amount` in exact arithmetic (the float quotient amount / price may round up by half an
// ulp; it is stepped back when it does, which matters for volumes a hair under a step and for
// every volume above ~1e7 units).

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]
/**
 * Per decimals d, the power of two from which doubles are at least 10^-d apart:
 * 2^ceil(52 − d·log2 10). Below it, n = x × 10^d stays under 2^53, so n / 10^d is the correctly
 * rounded double of the decimal n × 10^-d.
 */
const ALL_DOUBLES_ON_STEP = POW10.map((_, d) => 2 ** Math.ceil(52 - d * Math.log2(10)))

export const MAX_VOLUME_DECIMALS = POW10.length - 1

export function floorToDecimals(x: number, decimals: number): number {
  if (!(x > 0)) return 0
  if (x >= ALL_DOUBLES_ON_STEP[decimals]!) return x === Infinity ? 0 : x
  const scale = POW10[decimals]!
  const scaled = x * scale
  let n = Math.floor(scaled)
  // Fast exact case (most volumes): x × 10^d is clearly between two integers, farther from both
  // than its rounding error (≤ scaled × 1.1e-16) plus half an ulp of x carried to that scale, so
  // n is the exact floor and n's double is ≤ x while n + 1's is > x. frac is exact (Sterbenz).
  const frac = scaled - n
  const slack = scaled * 4.5e-16
  if (n >= 1 && frac > slack && frac < 1 - slack) return n / scale
  // Near an integer, decide on the doubles themselves: x × scale may have rounded up onto n + 1
  // (then n's double is > x), or n + 1's double may still be ≤ x (an exact decimal like 0.29
  // whose double is a hair under it).
  if ((n + 1) / scale <= x) n += 1
  else if (n / scale > x) n -= 1
  return n / scale
}

/** Upbit's 8 decimals. */
export function floorTo8(x: number): number {
  return floorToDecimals(x, 8)
}

/** The next double below a positive finite x (x − one ulp). */
export function nextDown(x: number): number {
  F64[0] = x
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
// Little- and big-endian hosts alike: LO indexes the word holding the mantissa's low bits.
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
  const err = al * bl - (p - ah * bh - al * bh - ah * bl)
  return err <= 0
}

/** The d-decimal volume bought or sold for `amount` quote at `price`: volume × price ≤ amount exactly. */
export function volumeFor(amount: number, price: number, decimals: number): number {
  let x = amount / price
  if (!(x > 0) || x === Infinity) return 0
  if (!productAtMost(x, price, amount)) x = nextDown(x)
  return floorToDecimals(x, decimals)
}

/**
 * One step below a volume: 10^-d less, or, where a double's spacing is wider than a step (where
 * subtracting it may not change the float), the next lower double.
 */
export function stepDownVolume(q: number, decimals: number): number {
  if (q >= ALL_DOUBLES_ON_STEP[decimals]!) {
    const d = q - 1 / POW10[decimals]!
    return d < q ? d : nextDown(q)
  }
  return floorToDecimals(q - 1 / POW10[decimals]!, decimals)
}
