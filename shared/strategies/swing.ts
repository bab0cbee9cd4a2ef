// Seed 000 `swing` (bot/strategies.py _sig_swing, s = 5, l = 20): compares np.mean of the last
// `short` and last `long` closes, bit for bit. Rolling sums decide: diff = r·sumShort − sumLong
// (r = long/short) has the sign of mean(short) − mean(long) unless |diff| ≤ tol, a proven bound on
// the rolling-sum rounding plus numpy's own (swingTolerance); only those near-ties are recomputed
// in numpy's exact summation order. The sums are re-anchored every ANCHOR bars. The bound needs
// X ≥ every |close| the block's sums touch: the loop assumes 8× the look-back's max and checks it
// per bar (also catching NaN, ±Infinity, ≤ 0); a block that breaks it is redone with its exact
// max, or, when not tame (NaN, ±Infinity, ≤ 0, huge/tiny), with numpy means on every bar.
import { defineStrategy } from './define.ts'
import { numpyMean } from './numpy-sum.ts'
import { num, paramSpec } from './params.ts'

/** Rolling sums are re-anchored (recomputed) at the start of every block of this many bars. */
export const SWING_ANCHOR = 1024
/** Closes in [TAME_MIN, TAME_MAX] (every real price) keep all the bound's steps normal and finite. */
export const TAME_MIN = 2 ** -400
export const TAME_MAX = 2 ** 400
const UNIT_ROUNDOFF = 2 ** -53

/**
 * Bound on |computed diff − exact diff| + long·|numpy mean error| for one anchor block, where
 * diff = fl(fl(r·sS) − sL), r = fl(long/short), closes in (0, xMax], sums anchored once and
 * updated ≤ SWING_ANCHOR + 1 times by s += (c − old):
 * - anchor sums (any order): ≤ (k−1)·u·k·X; each update: ≤ u·X (c − old) + u·(k·X + err) (the add);
 * - r·sS: relative 2u on ≤ long·X; the final subtraction: ≤ 2u·long·X;
 * - numpy: |np.mean − exact mean| ≤ u·X·(k + 1) per window (any summation order + the division),
 *   times long in the diff's units.
 * So if |diff| > tol, the exact long·(mean_s − mean_l) has diff's sign and exceeds long·(numpy
 * errors): numpy's comparison has that strict sign too. The factor 4 covers second-order terms.
 */
export function swingTolerance(short: number, long: number, xMax: number): number {
  const r = long / short
  const errShort = short * short + (SWING_ANCHOR + 1) * (short + 2)
  const errLong = long * long + (SWING_ANCHOR + 1) * (long + 2)
  const numpyErr = long * (short + long + 2)
  return 4 * UNIT_ROUNDOFF * xMax * (r * errShort + errLong + 4 * long + numpyErr)
}

/**
 * out[t] = 0 for t < max(short, long) − 1; else +1 if mean(close[t−short+1..t]) >
 * mean(close[t−long+1..t]) (numpy means) else −1.
 */
export function swingKernel(close: Float64Array, shortParam: number, longParam: number, out: Int8Array): void {
  if (!(Number.isInteger(shortParam) && shortParam >= 1 && Number.isInteger(longParam) && longParam >= 1)) {
    throw new RangeError(`swingKernel: windows must be integers ≥ 1, got ${shortParam}, ${longParam}`)
  }
  // `| 0`: resolved params may arrive as heap numbers; int32 windows keep the indexing integral.
  const short = shortParam | 0
  const long = longParam | 0
  const n = close.length
  const maxSL = short > long ? short : long
  const start = maxSL - 1
  out.fill(0, 0, Math.min(start, n))
  const pending = new Int32Array(SWING_ANCHOR)
  const lim = new Float64Array(2)
  for (let b0 = start; b0 < n; b0 += SWING_ANCHOR) {
    const b1 = Math.min(n, b0 + SWING_ANCHOR)
    // The look-back closes are not checked by the block loop: check them here.
    let lookMax = 0
    let lookTame = true
    for (let i = b0 - maxSL + 1; i <= b0; i++) {
      const v = close[i]!
      if (!(v >= TAME_MIN && v <= TAME_MAX)) lookTame = false
      else if (v > lookMax) lookMax = v
    }
    // Passed through a typed array so V8 keeps them raw float64 in the loop.
    lim[0] = 8 * lookMax
    lim[1] = swingTolerance(short, long, lim[0]!)
    if (lookTame && swingBlock(close, short, long, b0, b1, lim, pending, out)) continue
    let xMax = 0
    let tame = true
    for (let i = b0 - maxSL + 1; i < b1; i++) {
      const v = close[i]!
      if (!(v >= TAME_MIN && v <= TAME_MAX)) tame = false
      else if (v > xMax) xMax = v
    }
    lim[0] = xMax
    lim[1] = swingTolerance(short, long, xMax)
    if (!tame || !swingBlock(close, short, long, b0, b1, lim, pending, out)) {
      for (let t = b0; t < b1; t++) out[t] = numpyMean(close, t - short + 1, short) > numpyMean(close, t - long + 1, long) ? 1 : -1
    }
  }
}

/** Bars [b0, b1) from rolling sums; false (out partly written) when a close breaks lim[0] or is not tame. */
function swingBlock(
  close: Float64Array,
  short: number,
  long: number,
  b0: number,
  b1: number,
  lim: Float64Array,
  pending: Int32Array,
  out: Int8Array,
): boolean {
  const xHi = lim[0]!
  const tol = lim[1]!
  const r = long / short
  const tameMin = 2 ** -400 // TAME_MIN as a local: a module const is a context load per bar
  let sS = 0
  for (let i = b0 - short + 1; i <= b0; i++) sS += close[i]!
  let sL = 0
  for (let i = b0 - long + 1; i <= b0; i++) sL += close[i]!
  let np = 0
  for (let t = b0; t < b1; t++) {
    const c = close[t]!
    if (!(c <= xHi && c >= tameMin)) return false
    if (t > b0) {
      sS += c - close[t - short]!
      sL += c - close[t - long]!
    }
    const diff = sS * r - sL
    // Branchless: the sign flips unpredictably.
    out[t] = +(diff > 0) * 2 - 1
    // Near-ties are redone after the loop (the numpy code inlined here slowed every bar).
    if (!(Math.abs(diff) > tol)) pending[np++] = t
  }
  for (let k = 0; k < np; k++) {
    const t = pending[k]!
    out[t] = numpyMean(close, t - short + 1, short) > numpyMean(close, t - long + 1, long) ? 1 : -1
  }
  return true
}

export const swingStrategy = defineStrategy({
  id: 'swing',
  version: 1,
  name: 'Swing (seed 000)',
  description:
    'Seed 000 swing: +1 if mean of the last `short` closes > mean of the last `long` closes (numpy ' +
    'np.mean, bit-exact), else −1 (also −1 when equal); 0 while fewer than max(short, long) bars exist.',
  params: [
    paramSpec('short', { label: 'Short window', default: 5, min: 2, max: 200, step: 1, unit: 'bars', integer: true }),
    paramSpec('long', { label: 'Long window', default: 20, min: 3, max: 200, step: 1, unit: 'bars', integer: true }),
  ],
  warmup: (p) => Math.max(num(p, 'short'), num(p, 'long')) - 1,
  compute: (series, p, out) => swingKernel(series.close, num(p, 'short'), num(p, 'long'), out),
})
