// Deterministic exp/log for the synthetic market. ECMAScript leaves Math.exp/log/cos/pow
// "implementation-approximated", so two engines (Node's edge venue, a browser's lab) could
// disagree in the last bit and the generated paths would drift apart. These use only IEEE
// +, −, ×, ÷, sqrt and exact bit manipulation, which every engine computes identically.

const LN2_HI = 6.9314718036912381649e-1 // high bits of ln 2: k·LN2_HI is exact for |k| < 2^11
const LN2_LO = 1.90821492927058770002e-10
const INV_LN2 = 1.442695040888963387
const SQRT2 = 1.4142135623730951

/** 2^k for k in [-1022, 1023], built by exact doubling/halving. */
const POW2 = new Float64Array(2046)
{
  let p = 1
  for (let k = 0; k <= 1023; k++, p *= 2) POW2[k + 1022] = p
  p = 1
  for (let k = 0; k >= -1022; k--, p *= 0.5) POW2[k + 1022] = p
}

/** e^x with a few ulp of error; 0 below −708, Infinity above 709. */
export function detExp(x: number): number {
  if (x !== x) return Number.NaN
  if (x > 709) return Number.POSITIVE_INFINITY
  if (x < -708) return 0
  const k = Math.round(x * INV_LN2)
  const r = x - k * LN2_HI - k * LN2_LO
  // Taylor to r^13 on |r| <= 0.347 (truncation below 1e-17), Horner on 1/k! (each an IEEE division of exact integers, folded identically everywhere).
  let p = 1 / 6227020800
  p = 1 / 479001600 + r * p
  p = 1 / 39916800 + r * p
  p = 1 / 3628800 + r * p
  p = 1 / 362880 + r * p
  p = 1 / 40320 + r * p
  p = 1 / 5040 + r * p
  p = 1 / 720 + r * p
  p = 1 / 120 + r * p
  p = 1 / 24 + r * p
  p = 1 / 6 + r * p
  p = 1 / 2 + r * p
  p = 1 + r * p
  p = 1 + r * p
  return p * POW2[k + 1022]!
}

// Float64/Uint32 views of one 8-byte buffer to read and write a double's bits (far cheaper than a
// DataView). HI is the index of the word holding sign, exponent and top mantissa bits, found once
// from the platform's byte order, so the result is the same on any endianness.
const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
f64[0] = 1
const HI = u32[1] === 0x3ff00000 ? 1 : 0

/** Natural log with a few ulp of error; −Infinity at 0, NaN below 0. */
export function detLog(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN
  if (x === Number.POSITIVE_INFINITY) return x
  let e = 0
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984 // 2^54: lift subnormals into the normal range
    e = -54
  }
  f64[0] = x
  const hi = u32[HI]!
  e += (hi >>> 20) - 1023
  u32[HI] = (hi & 0x000fffff) | 0x3ff00000
  let m = f64[0]! // mantissa in [1, 2)
  if (m > SQRT2) {
    m *= 0.5
    e++
  }
  // ln m = 2 atanh(s), s = (m−1)/(m+1), |s| <= 0.1716: odd series to s^21.
  const s = (m - 1) / (m + 1)
  const s2 = s * s
  let q = 1 / 21
  q = 1 / 19 + s2 * q
  q = 1 / 17 + s2 * q
  q = 1 / 15 + s2 * q
  q = 1 / 13 + s2 * q
  q = 1 / 11 + s2 * q
  q = 1 / 9 + s2 * q
  q = 1 / 7 + s2 * q
  q = 1 / 5 + s2 * q
  q = 1 / 3 + s2 * q
  q = 1 + s2 * q
  const lnM = 2 * s * q
  return e * LN2_HI + (e * LN2_LO + lnM)
}

/**
 * e^x for |x| <= 0.0625 (degree-9 Taylor, relative error below 1e-17); larger |x| goes to detExp.
 * Used for the small intrabar excursions, where a full range reduction is wasted work.
 */
export function detExpSmall(x: number): number {
  if (!(x <= 0.0625 && x >= -0.0625)) return detExp(x)
  let p = 1 / 362880
  p = 1 / 40320 + x * p
  p = 1 / 5040 + x * p
  p = 1 / 720 + x * p
  p = 1 / 120 + x * p
  p = 1 / 24 + x * p
  p = 1 / 6 + x * p
  p = 1 / 2 + x * p
  p = 1 + x * p
  p = 1 + x * p
  return p
}
