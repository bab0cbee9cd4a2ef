// The runnable definition of PBO by CSCV (see pbo.ts for the rules), written the plain way: for
// every split, every column's statistic is recomputed from its raw periods (two-pass mean and
// sample sd), O(C(S, S/2) · T · N). The fast path (pbo.ts) must give the same PBO and logits; the
// property tests compare them. Not for production use: S = 16 over thousands of columns takes
// minutes.
import { checkPboShape, halfSubsets } from './pbo.ts'
import type { PboMetric, PboResult } from './pbo.ts'

interface Perf {
  /** Mean, or mean / sd (±∞ or 0 when every value of the set is equal). */
  readonly stat: number
  /** The mean: orders two equal infinite stats. */
  readonly mean: number
}

function perfOf(col: Float64Array, blocks: readonly number[], blockLen: number, metric: PboMetric): Perf {
  const xs: number[] = []
  for (const b of blocks) for (let r = b * blockLen; r < (b + 1) * blockLen; r++) xs.push(col[r]!)
  let sum = 0
  for (const x of xs) sum += x
  const mean = sum / xs.length
  if (metric === 'mean') return { stat: mean, mean }
  if (xs.every((x) => x === xs[0])) {
    const v = xs[0]!
    return { stat: v > 0 ? Infinity : v < 0 ? -Infinity : 0, mean: v }
  }
  let ss = 0
  for (const x of xs) ss += (x - mean) ** 2
  const sd = Math.sqrt(ss / (xs.length - 1))
  return { stat: sd > 0 ? mean / sd : mean > 0 ? Infinity : mean < 0 ? -Infinity : 0, mean }
}

/** a strictly better than b: a larger stat, or the same infinite stat and a larger mean. */
function better(a: Perf, b: Perf): boolean {
  if (a.stat !== b.stat) return a.stat > b.stat
  return !Number.isFinite(a.stat) && a.mean > b.mean
}

export function probabilityOfOverfittingReference(
  columns: readonly Float64Array[],
  blocks: number,
  metric: PboMetric = 'sharpe',
): PboResult {
  const n = columns.length
  if (n < 2) throw new RangeError('PBO needs at least 2 strategies')
  const t = columns[0]!.length
  for (const c of columns) {
    if (c.length !== t) throw new RangeError('every strategy needs the same number of periods')
    for (const x of c) if (!Number.isFinite(x)) throw new RangeError(`${x} is not finite`)
  }
  const blockLen = checkPboShape(t, blocks)
  const subsets = halfSubsets(blocks)
  const logits = new Float64Array(subsets.length)
  let below = 0
  subsets.forEach((is, k) => {
    const oos = Array.from({ length: blocks }, (_, b) => b).filter((b) => !is.includes(b))
    const isPerf = columns.map((c) => perfOf(c, is, blockLen, metric))
    let best = 0
    for (let j = 1; j < n; j++) if (better(isPerf[j]!, isPerf[best]!)) best = j
    const oosPerf = columns.map((c) => perfOf(c, oos, blockLen, metric))
    const target = oosPerf[best]!
    const worse = oosPerf.filter((p) => better(target, p)).length
    const omega = (worse + 1) / (n + 1)
    const lambda = Math.log(omega / (1 - omega))
    logits[k] = lambda
    if (lambda <= 0) below++
  })
  return { pbo: below / subsets.length, logits, splits: subsets.length }
}
