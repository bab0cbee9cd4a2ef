// Exact rational arithmetic on doubles with BigInt, for tests that must not check floating-point
// code with the same floating-point code. A finite double is m × 2^e exactly; a fraction here is
// { num, den } with den > 0 (not reduced).

export interface Fraction {
  readonly num: bigint
  readonly den: bigint
}

const F64 = new Float64Array(1)
const U64 = new BigUint64Array(F64.buffer)

/** The exact value of a finite double as a fraction (den a power of two). */
export function exactOf(x: number): Fraction {
  if (!Number.isFinite(x)) throw new RangeError(`not finite: ${x}`)
  F64[0] = x
  const bits = U64[0]!
  const sign = bits >> 63n ? -1n : 1n
  const expBits = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  const mant = expBits === 0 ? frac : frac | (1n << 52n)
  const e = (expBits === 0 ? 1 : expBits) - 1075
  return e >= 0 ? { num: sign * (mant << BigInt(e)), den: 1n } : { num: sign * mant, den: 1n << BigInt(-e) }
}

/** A decimal n × 10^-d as a fraction. */
export function decimal(n: bigint, d: number): Fraction {
  return { num: n, den: 10n ** BigInt(d) }
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return { num: a.num * b.num, den: a.den * b.den }
}

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function cmp(a: Fraction, b: Fraction): number {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}

/** floor(a) for a fraction. */
export function floorOf(a: Fraction): bigint {
  const q = a.num / a.den
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q
}

/** The integer n with x = the double of n × 10^-d, or null when x is not such a double. */
export function scaledDecimal(x: number, d: number): bigint | null {
  const n = BigInt(x.toFixed(d).replace('.', ''))
  return Number(n) / 10 ** d === x ? n : null
}

/** The next double above a positive finite x, from its bits. */
export function nextUp(x: number): number {
  F64[0] = x
  U64[0] = U64[0]! + 1n
  return F64[0]!
}
