// Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV,
// Bailey, Borwein, López de Prado & Zhu 2015), exact over every column. The T × N performance
// matrix (T periods, e.g. daily returns; N strategies) is cut into S equal contiguous blocks (S even;
// trailing T mod S rows are dropped). For each of the C(S, S/2) ways to pick half the blocks as
// in-sample (the rest out-of-sample): n* = the in-sample best (ties → lowest index), ω = its
// out-of-sample rank / (N + 1) (rank 1 = worst, N = best; rank = 1 + number of strategies strictly
// worse), λ = ln(ω / (1 − ω)). PBO = share of splits with λ ≤ 0 (the IS-best at or below the OOS
// median).
//
// Statistic over a set of rows (the in-sample or out-of-sample blocks of a split):
//   'mean'   the mean;
//   'sharpe' mean / sd (sample sd, n − 1). A set whose values are all EXACTLY equal has sd 0 (found
//            by comparing values, not from a variance that rounding leaves at 1e-20): its Sharpe is
//            +∞ for a positive value, −∞ for a negative one, 0 for zero, and two +∞ (or two −∞)
//            are ordered by their value. A set that is not constant but whose computed variance is
//            ≤ 0 (values equal to the last few bits) gets the same rule, ordered by its mean.
// Every value must be finite (and within ±1e100).
//
// The fast path (cscvPbo; `pbo-reference.ts` is the plain definition, compared by property tests):
// - every column is reduced once to per-block numbers: Σx, Σx², and the block's value when the
//   block is constant (NaN otherwise): 3·S numbers per column, so a caller can stream columns in
//   (CscvMatrix.setColumn) without holding the T × N matrix;
// - a split's in-sample set is a bit mask of S bits; its sums are (sum over its blocks among the
//   low S/2) + (sum over its blocks among the high S/2), read from two tables of the 2^(S/2) subset
//   sums of each half (256 entries for S = 16), built per column. A set is constant when its mask
//   lies within the mask of the blocks constant at one value;
// - a set's statistic depends on the set's values only (no per-column centring), so two columns
//   equal on a set tie exactly there (common in sweeps: neighbouring params that trade alike for
//   weeks); the price is Σx² − (Σx)²/n, which loses precision only when |mean| ≫ sd (not daily
//   returns; an exactly constant set is caught by the rule above);
// - the out-of-sample set of split k is the in-sample set of split C − 1 − k (the complement
//   reverses lexicographic order), so one column's keys over the C subsets serve both halves;
// - pass 1 computes every column's keys and keeps, per split, the in-sample best and its
//   out-of-sample key; pass 2 computes them again and counts, per split, the columns strictly worse
//   out of sample. Time O(N·C) (plus O(T·N) to load), memory O(N·S + C + 2^(S/2)).
// - splits go in pairs (k, C − 1 − k): split k's in-sample set is split C − 1 − k's out-of-sample
//   set, so a pair needs the keys of its two sets only. cscvWorse counts the splits of a range of
//   pairs; each split's count depends on nothing outside it, so ranges counted apart (on several
//   workers) and put together (pboFromWorse) give exactly cscvPbo's result.
// - the per-block numbers of a column come from one function (blockStatsInto), whether the column
//   is set here from its T values or arrives already reduced (setColumnStats: a sweep worker
//   reduces each simulation's daily returns as it runs it), so both give the same bits.
// - Sharpe is compared through sign(mean)·mean² / Σ(x − mean)², a monotone function of mean / sd
//   for a fixed row count (no square root); 'mean' through Σx. Only the order matters (ranks), so
//   the fast path and the reference differ only where two different sets' statistics are equal to
//   the last bits.
export type PboMetric = 'sharpe' | 'mean'

export interface PboResult {
  readonly pbo: number
  /** λ of every split, in lexicographic order of the in-sample block sets. */
  readonly logits: Float64Array
  readonly splits: number
}

/** Most blocks S accepted: C(20, 10) = 184,756 splits. */
export const MAX_PBO_BLOCKS = 20

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

/** Throws unless blocks is an even integer in [2, MAX_PBO_BLOCKS] and T leaves ≥ 2 periods a block. */
export function checkPboShape(periods: number, blocks: number): number {
  if (!Number.isInteger(blocks) || blocks < 2 || blocks % 2 !== 0) throw new RangeError(`blocks must be an even integer ≥ 2, got ${blocks}`)
  if (blocks > MAX_PBO_BLOCKS) throw new RangeError(`blocks must be ≤ ${MAX_PBO_BLOCKS}, got ${blocks}`)
  const blockLen = Math.floor(periods / blocks)
  if (blockLen < 2) throw new RangeError(`${periods} periods are too few for ${blocks} blocks`)
  return blockLen
}

/** Numbers kept per (column, block): Σx, Σx², the block's value if it is constant else NaN. */
export const PBO_STATS = 3
const STATS = PBO_STATS

/** Largest even S ≤ requested with at least 2 periods per block (0 when even S = 2 does not fit). */
export function blocksFor(periods: number, requested: number): number {
  let s = requested
  while (s >= 2 && Math.floor(periods / s) < 2) s -= 2
  return s
}

/**
 * The per-block numbers of one column (blocks × PBO_STATS, at out[off…]) from its first
 * blocks · blockLen values. Returns −1, or the index of the first value that is not a finite
 * number within ±1e100 (the numbers are then unspecified).
 */
export function blockStatsInto(values: ArrayLike<number>, blocks: number, blockLen: number, out: Float64Array, off: number): number {
  for (let b = 0; b < blocks; b++) {
    const first = values[b * blockLen]!
    let bs = 0,
      bq = 0,
      constant = true
    for (let r = b * blockLen; r < (b + 1) * blockLen; r++) {
      const x = values[r]!
      // Finite and far from overflow (the statistic squares sums of these).
      if (!(Math.abs(x) <= 1e100)) return r
      bs += x
      bq += x * x
      if (x !== first) constant = false
    }
    const o = off + b * STATS
    out[o] = bs
    out[o + 1] = bq
    out[o + 2] = constant ? first : NaN
  }
  return -1
}

/**
 * A whole column of T values reduced for CSCV (blockStatsInto), as a sweep worker does for every
 * simulation: false when ANY of the T values (trailing ones beyond the blocks included) is not a
 * finite number within ±1e100; the column is then marked unusable (out[off] = NaN, which a
 * column's Σx never is otherwise).
 */
export function columnStatsInto(values: ArrayLike<number>, blocks: number, blockLen: number, out: Float64Array, off: number): boolean {
  let ok = blockStatsInto(values, blocks, blockLen, out, off) < 0
  for (let r = blocks * blockLen; ok && r < values.length; r++) if (!(Math.abs(values[r]!) <= 1e100)) ok = false
  if (!ok) out[off] = NaN
  return ok
}

/** True when columnStatsInto marked the column at out[off] unusable. */
export function isBadColumn(stats: Float64Array, off: number): boolean {
  return Number.isNaN(stats[off])
}

/**
 * The CSCV input reduced to per-block sums: N columns of T periods, S blocks. Columns are set one
 * at a time (in any order); cscvPbo needs every column set.
 */
export class CscvMatrix {
  readonly blockLen: number
  /** [column · S·3 + block · 3 + stat]. */
  readonly stats: Float64Array
  private readonly filled: Uint8Array
  private unfilled: number

  constructor(
    readonly columns: number,
    readonly periods: number,
    readonly blocks: number,
  ) {
    if (!Number.isInteger(columns) || columns < 2) throw new RangeError('PBO needs at least 2 strategies')
    this.blockLen = checkPboShape(periods, blocks)
    this.stats = new Float64Array(columns * blocks * STATS)
    this.filled = new Uint8Array(columns)
    this.unfilled = columns
  }

  /** A matrix whose every column is set from `stats` (columns × blocks × PBO_STATS, as in `stats`). */
  static fromStats(columns: number, periods: number, blocks: number, stats: Float64Array): CscvMatrix {
    const m = new CscvMatrix(columns, periods, blocks)
    if (stats.length !== m.stats.length) throw new RangeError(`${stats.length} numbers for ${columns} columns of ${blocks} blocks`)
    const n = blocks * STATS
    for (let j = 0; j < columns; j++) m.setColumnStats(j, stats, j * n)
    return m
  }

  /** Column j's T values (finite, |x| ≤ 1e100; only the first S·⌊T/S⌋ are used). */
  setColumn(j: number, values: ArrayLike<number>): void {
    if (!Number.isInteger(j) || j < 0 || j >= this.columns) throw new RangeError(`column ${j} outside [0, ${this.columns})`)
    if (values.length !== this.periods) throw new RangeError('every strategy needs the same number of periods')
    const { blocks, blockLen, stats } = this
    const bad = blockStatsInto(values, blocks, blockLen, stats, j * blocks * STATS)
    if (bad >= 0) throw new RangeError(`strategy ${j}, period ${bad}: ${values[bad]} is not a finite value within ±1e100`)
    this.fill(j)
  }

  /**
   * Column j already reduced: the blocks × PBO_STATS numbers at src[off…] (columnStatsInto of its
   * T values with this matrix's blocks and blockLen), copied as they are.
   */
  setColumnStats(j: number, src: Float64Array, off: number): void {
    if (!Number.isInteger(j) || j < 0 || j >= this.columns) throw new RangeError(`column ${j} outside [0, ${this.columns})`)
    const n = this.blocks * STATS
    if (!(Number.isInteger(off) && off >= 0 && off + n <= src.length)) throw new RangeError(`column ${j}: no ${n} numbers at ${off}`)
    if (isBadColumn(src, off)) throw new RangeError(`strategy ${j}: its values are not all finite within ±1e100`)
    this.stats.set(src.subarray(off, off + n), j * n)
    this.fill(j)
  }

  private fill(j: number): void {
    if (this.filled[j] === 0) {
      this.filled[j] = 1
      this.unfilled--
    }
  }

  /** True when every column has been set. */
  get complete(): boolean {
    return this.unfilled === 0
  }
}

/** In-sample block sets of the C(S, S/2) splits as bit masks, in lexicographic order. */
const maskCache = new Map<number, Int32Array>()

function splitMasks(blocks: number): Int32Array {
  let masks = maskCache.get(blocks)
  if (masks === undefined) {
    masks = Int32Array.from(halfSubsets(blocks), (sub) => sub.reduce((m, b) => m | (1 << b), 0))
    maskCache.set(blocks, masks)
  }
  return masks
}

/** Scratch for one column's keys over every half-subset (allocated once per cscvWorse call). */
interface Scratch {
  /** Subset sums of the low S/2 blocks and of the high S/2 blocks: [mask · 2 + (0: Σx, 1: Σx²)]. */
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** Constant blocks grouped by value: the value and the mask of the blocks with it. */
  readonly groupValue: Float64Array
  readonly groupMask: Int32Array
  /** Per split k (as a block set): the comparison key and the tie-break for two equal infinite keys. */
  readonly key: Float64Array
  readonly tie: Float64Array
}

/**
 * Column j's statistic over the half-subsets of the splits of pairs [from, to): sets k in
 * [from, to) and in [C − to, C − from), into scratch.key / scratch.tie at index k (the other
 * entries are left as they are). A set's sums are (sum over its low blocks) + (sum over its high
 * blocks), each read from a table of the 2^(S/2) subset sums of that half.
 */
function columnKeys(m: CscvMatrix, masks: Int32Array, j: number, sharpe: boolean, sc: Scratch, from: number, to: number): void {
  const st = m.stats
  const blocks = m.blocks
  const h = blocks / 2
  const size = 1 << h
  const lowBits = size - 1
  const base = j * blocks * STATS
  const { lo, hi, groupValue, groupMask, key, tie } = sc
  lo[0] = lo[1] = hi[0] = hi[1] = 0
  for (let mask = 1; mask < size; mask++) {
    const low = mask & -mask
    const b = 31 - Math.clz32(low)
    const prev = mask ^ low
    const oLo = base + b * STATS
    const oHi = base + (b + h) * STATS
    lo[2 * mask] = lo[2 * prev]! + st[oLo]!
    lo[2 * mask + 1] = lo[2 * prev + 1]! + st[oLo + 1]!
    hi[2 * mask] = hi[2 * prev]! + st[oHi]!
    hi[2 * mask + 1] = hi[2 * prev + 1]! + st[oHi + 1]!
  }
  const last = masks.length - 1
  if (!sharpe) {
    for (let r = 0; r < 2; r++) {
      const a = r === 0 ? from : last - to + 1
      const z = r === 0 ? to : last - from + 1
      for (let k = a; k < z; k++) {
        const mk = masks[k]!
        const s = lo[2 * (mk & lowBits)]! + hi[2 * (mk >>> h)]!
        key[k] = s
        tie[k] = s
      }
    }
    return
  }
  let groups = 0
  for (let b = 0; b < blocks; b++) {
    const v = st[base + b * STATS + 2]!
    if (v !== v) continue
    let g = 0
    while (g < groups && groupValue[g] !== v) g++
    if (g === groups) {
      groupValue[g] = v
      groupMask[g] = 0
      groups++
    }
    groupMask[g] = groupMask[g]! | (1 << b)
  }
  const invRows = 1 / (h * m.blockLen)
  const a2 = last - to + 1
  if (a2 === to) sharpeKeys(lo, hi, lowBits, h, invRows, groups, groupValue, groupMask, masks, from, last - from + 1, key, tie)
  else {
    sharpeKeys(lo, hi, lowBits, h, invRows, groups, groupValue, groupMask, masks, from, to, key, tie)
    sharpeKeys(lo, hi, lowBits, h, invRows, groups, groupValue, groupMask, masks, a2, last - from + 1, key, tie)
  }
}

/** Sharpe keys (and tie-breaks) of the sets k in [a, z) into key[k] / tie[k] (see columnKeys). */
function sharpeKeys(
  lo: Float64Array,
  hi: Float64Array,
  lowBits: number,
  h: number,
  invRows: number,
  groups: number,
  groupValue: Float64Array,
  groupMask: Int32Array,
  masks: Int32Array,
  a: number,
  z: number,
  key: Float64Array,
  tie: Float64Array,
): void {
  for (let k = a; k < z; k++) {
    const mk = masks[k]!
    const l = 2 * (mk & lowBits)
    const u = 2 * (mk >>> h)
    const s = lo[l]! + hi[u]!
    let mean = s * invRows
    let ss = lo[l + 1]! + hi[u + 1]! - s * mean
    for (let g = 0; g < groups; g++) {
      if ((mk & ~groupMask[g]!) === 0) {
        // Every value of the set is this group's value: sd is exactly 0.
        mean = groupValue[g]!
        ss = 0
        break
      }
    }
    key[k] = ss > 0 ? (mean * Math.abs(mean)) / ss : mean > 0 ? Infinity : mean < 0 ? -Infinity : 0
    tie[k] = mean
  }
}

/** C(S, S/2) / 2: the split pairs (k, C − 1 − k) of a matrix with S blocks. */
export function splitPairs(blocks: number): number {
  return splitMasks(blocks).length / 2
}

/**
 * Per split of the pairs [from, to) of a filled matrix: how many columns are strictly worse out of
 * sample than the in-sample best. Returns 2·(to − from) counts: splits from … to − 1, then splits
 * C − to … C − 1 − from (in split order). Each split's count is computed from its own sets only.
 */
export function cscvWorse(m: CscvMatrix, metric: PboMetric, from: number, to: number): Int32Array {
  if (!m.complete) throw new RangeError('every column of the CSCV matrix must be set')
  const masks = splitMasks(m.blocks)
  const splits = masks.length
  const pairs = splits / 2
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= pairs))
    throw new RangeError(`split pairs [${from}, ${to}) outside [0, ${pairs})`)
  const n = m.columns
  const sharpe = metric === 'sharpe'
  const size = 1 << (m.blocks / 2)
  const sc: Scratch = {
    lo: new Float64Array(2 * size),
    hi: new Float64Array(2 * size),
    groupValue: new Float64Array(m.blocks),
    groupMask: new Int32Array(m.blocks),
    key: new Float64Array(splits),
    tie: new Float64Array(splits),
  }
  const { key, tie } = sc
  const last = splits - 1
  // Per split: the in-sample best so far (key, tie-break) and its out-of-sample key and tie-break.
  // The sentinel (−∞, −∞) loses to any column (a finite tie-break beats −∞).
  const bestKey = new Float64Array(splits).fill(-Infinity)
  const bestTie = new Float64Array(splits).fill(-Infinity)
  const targetKey = new Float64Array(splits)
  const targetTie = new Float64Array(splits)
  const lowFrom = last - to + 1
  const lowTo = last - from + 1
  // The two ranges of sets as one when they meet (every pair asked).
  const joined = lowFrom === to
  for (let j = 0; j < n; j++) {
    columnKeys(m, masks, j, sharpe, sc, from, to)
    if (joined) chooseBest(key, tie, bestKey, bestTie, targetKey, targetTie, last, from, lowTo)
    else {
      chooseBest(key, tie, bestKey, bestTie, targetKey, targetTie, last, from, to)
      chooseBest(key, tie, bestKey, bestTie, targetKey, targetTie, last, lowFrom, lowTo)
    }
  }
  const worse = new Int32Array(splits)
  for (let j = 0; j < n; j++) {
    columnKeys(m, masks, j, sharpe, sc, from, to)
    if (joined) countWorse(key, tie, targetKey, targetTie, worse, last, from, lowTo)
    else {
      countWorse(key, tie, targetKey, targetTie, worse, last, from, to)
      countWorse(key, tie, targetKey, targetTie, worse, last, lowFrom, lowTo)
    }
  }
  const out = new Int32Array(2 * (to - from))
  out.set(worse.subarray(from, to), 0)
  out.set(worse.subarray(lowFrom, lowTo), to - from)
  return out
}

/** Pass 1 over splits [a, z) for one column's keys: a strictly better in-sample key takes the split. */
function chooseBest(
  key: Float64Array,
  tie: Float64Array,
  bestKey: Float64Array,
  bestTie: Float64Array,
  targetKey: Float64Array,
  targetTie: Float64Array,
  last: number,
  a: number,
  z: number,
): void {
  for (let k = a; k < z; k++) {
    const p = key[k]!
    const b = bestKey[k]!
    // Strictly better only: on a tie the lower index stays.
    if (p > b || (p === b && (p === Infinity || p === -Infinity) && tie[k]! > bestTie[k]!)) {
      bestKey[k] = p
      bestTie[k] = tie[k]!
      // The out-of-sample set of split k is the in-sample set of split C − 1 − k.
      targetKey[k] = key[last - k]!
      targetTie[k] = tie[last - k]!
    }
  }
}

/** Pass 2 over splits [a, z) for one column's keys: counts it where it is strictly worse out of sample. */
function countWorse(
  key: Float64Array,
  tie: Float64Array,
  targetKey: Float64Array,
  targetTie: Float64Array,
  worse: Int32Array,
  last: number,
  a: number,
  z: number,
): void {
  for (let k = a; k < z; k++) {
    const p = key[last - k]!
    const t = targetKey[k]!
    if (p < t || (p === t && (p === Infinity || p === -Infinity) && tie[last - k]! < targetTie[k]!)) worse[k] = worse[k]! + 1
  }
}

/**
 * Puts cscvWorse answers together: `parts` (each for pairs [from, to)) must cover every pair once.
 * The result is cscvPbo's, bit for bit.
 */
export function pboFromWorse(
  blocks: number,
  columns: number,
  parts: readonly { readonly from: number; readonly to: number; readonly worse: Int32Array }[],
): PboResult {
  const splits = splitMasks(blocks).length
  const last = splits - 1
  const worse = new Int32Array(splits)
  const seen = new Uint8Array(splits / 2)
  for (const { from, to, worse: w } of parts) {
    if (w.length !== 2 * (to - from)) throw new RangeError(`split pairs [${from}, ${to}): ${w.length} counts`)
    for (let k = from; k < to; k++) {
      if (seen[k] === 1) throw new RangeError(`split pair ${k} counted twice`)
      seen[k] = 1
      worse[k] = w[k - from]!
      worse[last - k] = w[to - from + (last - k) - (last - to + 1)]!
    }
  }
  const missing = seen.indexOf(0)
  if (missing >= 0) throw new RangeError(`split pair ${missing} not counted`)
  const logits = new Float64Array(splits)
  let below = 0
  for (let k = 0; k < splits; k++) {
    const omega = (worse[k]! + 1) / (columns + 1)
    const lambda = Math.log(omega / (1 - omega))
    logits[k] = lambda
    if (lambda <= 0) below++
  }
  return { pbo: below / splits, logits, splits }
}

/** PBO of a filled CscvMatrix (see the header for the statistic and the rules). */
export function cscvPbo(m: CscvMatrix, metric: PboMetric = 'sharpe'): PboResult {
  const pairs = splitPairs(m.blocks)
  return pboFromWorse(m.blocks, m.columns, [{ from: 0, to: pairs, worse: cscvWorse(m, metric, 0, pairs) }])
}

/** `columns[n]` = strategy n's performance per period (all the same length T, finite). */
export function probabilityOfOverfitting(columns: readonly Float64Array[], blocks: number, metric: PboMetric = 'sharpe'): PboResult {
  if (columns.length < 2) throw new RangeError('PBO needs at least 2 strategies')
  const m = new CscvMatrix(columns.length, columns[0]!.length, blocks)
  columns.forEach((c, j) => m.setColumn(j, c))
  return cscvPbo(m, metric)
}
