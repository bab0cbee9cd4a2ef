// Seed 000 `swing` (bot/strategies.py _sig_swing, s = 5, l = 20): compares np.mean of the last
// `short` and last `long` closes. Rolling sums decide quickly; when the two means are too close
// for rolling-sum rounding to be trusted, both means are recomputed in numpy's exact summation
// order, so the result is bit-for-bit the seed's. Rolling sums are re-anchored every block to
// keep their drift tiny (and to recover from a NaN/Infinity leaving the window).
import { defineStrategy } from './define.ts'
import { numpyMean } from './numpy-sum.ts'
import { num, paramSpec } from './params.ts'

/** Relative gap under which the exact numpy-order comparison is used (rolling error ≪ this). */
const EXACT_TOLERANCE = 1e-9
const ANCHOR_BLOCK = 1024

function plainSum(x: Float64Array, from: number, to: number): number {
  let s = 0
  for (let i = from; i < to; i++) s += x[i]!
  return s
}

/**
 * out[t] = 0 for t < max(short, long) − 1; else +1 if mean(close[t−short+1..t]) >
 * mean(close[t−long+1..t]) (numpy means) else −1.
 */
export function swingKernel(close: Float64Array, short: number, long: number, out: Int8Array): void {
  if (!(short >= 1 && long >= 1)) throw new RangeError(`swingKernel: windows must be ≥ 1, got ${short}, ${long}`)
  const n = close.length
  const start = Math.max(short, long) - 1
  out.fill(0, 0, Math.min(start, n))
  const invS = 1 / short
  const invL = 1 / long
  for (let blockStart = start; blockStart < n; blockStart += ANCHOR_BLOCK) {
    const blockEnd = Math.min(n, blockStart + ANCHOR_BLOCK)
    let sS = plainSum(close, blockStart - short + 1, blockStart + 1)
    let sL = plainSum(close, blockStart - long + 1, blockStart + 1)
    for (let t = blockStart; t < blockEnd; t++) {
      if (t > blockStart) {
        const c = close[t]!
        sS += c - close[t - short]!
        sL += c - close[t - long]!
      }
      const mS = sS * invS
      const mL = sL * invL
      const diff = mS - mL
      // Written so that NaN (from a NaN/Infinity close) also takes the exact path.
      if (Math.abs(diff) > EXACT_TOLERANCE * (Math.abs(mS) + Math.abs(mL))) {
        out[t] = +(diff > 0) * 2 - 1 // branchless: the sign flips unpredictably
      } else {
        out[t] = numpyMean(close, t - short + 1, short) > numpyMean(close, t - long + 1, long) ? 1 : -1
      }
    }
  }
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
