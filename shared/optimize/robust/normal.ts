// Standard normal CDF and quantile, and sample moments, for the robustness statistics.
// Φ is Hart's double-precision algorithm 5666 as given by West (2005), ≈1e-14; Φ⁻¹ is Acklam's
// algorithm refined by one Halley step against that Φ.

/** Φ(x) = P(Z ≤ x). */
export function normCdf(x: number): number {
  const ax = Math.abs(x)
  let tail: number
  if (ax > 37) tail = 0
  else {
    const e = Math.exp((-ax * ax) / 2)
    if (ax < 7.07106781186547) {
      let num = 3.52624965998911e-2 * ax + 0.700383064443688
      num = num * ax + 6.37396220353165
      num = num * ax + 33.912866078383
      num = num * ax + 112.079291497871
      num = num * ax + 221.213596169931
      num = num * ax + 220.206867912376
      let den = 8.83883476483184e-2 * ax + 1.75566716318264
      den = den * ax + 16.064177579207
      den = den * ax + 86.7807322029461
      den = den * ax + 296.564248779674
      den = den * ax + 637.333633378831
      den = den * ax + 793.826512519948
      den = den * ax + 440.413735824752
      tail = (e * num) / den
    } else {
      let b = ax + 0.65
      b = ax + 4 / b
      b = ax + 3 / b
      b = ax + 2 / b
      b = ax + 1 / b
      tail = e / b / 2.506628274631
    }
  }
  return x > 0 ? 1 - tail : tail
}

/** Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1, NaN outside. */
export function normInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  let x: number
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  } else if (p <= 1 - lo) {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  const e = normCdf(x) - p
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2)
  return x - u / (1 + (x * u) / 2)
}

export interface Moments {
  readonly n: number
  readonly mean: number
  /** Sample (n − 1) standard deviation. */
  readonly std: number
  /** Skewness (population, as in the DSR paper's γ₃). */
  readonly skew: number
  /** Kurtosis, NOT excess (normal = 3), the paper's γ₄. */
  readonly kurtosis: number
}

export function moments(x: ArrayLike<number>): Moments {
  const n = x.length
  let s = 0
  for (let i = 0; i < n; i++) s += x[i]!
  const mean = s / n
  let m2 = 0,
    m3 = 0,
    m4 = 0
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean
    const d2 = d * d
    m2 += d2
    m3 += d2 * d
    m4 += d2 * d2
  }
  const pop2 = m2 / n
  return {
    n,
    mean,
    std: Math.sqrt(m2 / (n - 1)),
    skew: m3 / n / Math.pow(pop2, 1.5),
    kurtosis: m4 / n / (pop2 * pop2),
  }
}
