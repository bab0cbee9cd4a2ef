// Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV,
// Bailey, Borwein, López de Prado & Zhu 2015). The T × N performance matrix (T periods, e.g. daily
// returns; N strategies) is cut into S equal contiguous blocks (S even; trailing T mod S rows are
// dropped). For each of the C(S, S/2) ways to pick half the blocks as in-sample (the rest
// out-of-sample): n* = the in-sample best (ties → lowest index), ω = its out-of-sample rank / (N + 1)
// (rank 1 = worst, N = best; rank = 1 + number of strategies strictly worse), λ = ln(ω / (1 − ω)).
// PBO = share of splits with λ ≤ 0 (the IS-best at or below the OOS median).
export type PboMetric = 'sharpe' | 'mean'

export interface PboResult {
  readonly pbo: number
  /** λ of every split, in lexicographic order of the in-sample block sets. */
  readonly logits: Float64Array
  readonly splits: number
}

/** Every S/2-subset of 0..S−1 in lexicographic order. */
export function halfSubsets(s: number): number[][] {
  const out: number[][] = []
  const pick: number[] = []
  const rec = (start: number): void => {
    if (pick.length === s / 2) {
      out.push([...pick])
      return
    }
    for (let i = start; i < s; i++) {
      pick.push(i)
      rec(i + 1)
      pick.pop()
    }
  }
  rec(0)
  return out
}

function perf(col: Float64Array, rows: readonly number[], metric: PboMetric): number {
  let sum = 0
  for (const r of rows) sum += col[r]!
  const mean = sum / rows.length
  if (metric === 'mean') return mean
  let ss = 0
  for (const r of rows) ss += (col[r]! - mean) ** 2
  const sd = Math.sqrt(ss / (rows.length - 1))
  return sd === 0 ? (mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity) : mean / sd
}

/** `columns[n]` = strategy n's performance per period (all the same length T). */
export function probabilityOfOverfitting(columns: readonly Float64Array[], blocks: number, metric: PboMetric = 'sharpe'): PboResult {
  const nStrat = columns.length
  if (nStrat < 2) throw new RangeError('PBO needs at least 2 strategies')
  if (!Number.isInteger(blocks) || blocks < 2 || blocks % 2 !== 0) throw new RangeError(`blocks must be an even integer ≥ 2, got ${blocks}`)
  const t = columns[0]!.length
  for (const c of columns) if (c.length !== t) throw new RangeError('every strategy needs the same number of periods')
  const blockLen = Math.floor(t / blocks)
  if (blockLen < 2) throw new RangeError(`${t} periods are too few for ${blocks} blocks`)
  const rowsOf = (bs: readonly number[]): number[] => bs.flatMap((b) => Array.from({ length: blockLen }, (_, i) => b * blockLen + i))
  const subsets = halfSubsets(blocks)
  const logits = new Float64Array(subsets.length)
  let below = 0
  subsets.forEach((is, k) => {
    const oos = Array.from({ length: blocks }, (_, b) => b).filter((b) => !is.includes(b))
    const isRows = rowsOf(is)
    const oosRows = rowsOf(oos)
    let best = 0
    let bestPerf = -Infinity
    for (let n = 0; n < nStrat; n++) {
      const p = perf(columns[n]!, isRows, metric)
      if (p > bestPerf) {
        bestPerf = p
        best = n
      }
    }
    const target = perf(columns[best]!, oosRows, metric)
    let worse = 0
    for (let n = 0; n < nStrat; n++) if (perf(columns[n]!, oosRows, metric) < target) worse++
    const omega = (worse + 1) / (nStrat + 1)
    const lambda = Math.log(omega / (1 - omega))
    logits[k] = lambda
    if (lambda <= 0) below++
  })
  return { pbo: below / subsets.length, logits, splits: subsets.length }
}
