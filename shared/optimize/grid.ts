// Parameter grids: the JSON-serialisable spec, exact range enumeration, mixed-radix decoding of a
// combo index (no materialised list of combos) and chunking for workers.
//
// Enumeration order (stable, part of the contract): dimensions in the spec's key order, the LAST
// key varies fastest. Combo index i decodes like a mixed-radix number whose last digit belongs to
// the last key. JSON objects keep insertion order except for integer-like keys, so those are
// rejected by validation (see validate.ts).

/**
 * Combos beyond this are refused: a typo in a step should not queue a trillion backtests, and the
 * planner and result rows must fit in memory. A sweep keeps 104 bytes of metrics per combo (plus as
 * much again for the distinct simulations and ~20 bytes of plan), so 10 million combos are ~2.5 GB;
 * the plan's (class, exec) table stays a dense Int32Array below 2^24 slots (sim-plan.ts), which
 * this bound guarantees (slots ≤ combos).
 */
export const MAX_COMBOS = 10_000_000

/** Values of one grid dimension: an explicit list, or a range enumerated with integer step counts. */
export type GridValues = readonly (number | string)[] | GridRange

export interface GridRange {
  readonly min: number
  readonly max: number
  readonly step: number
}

/** Parameter name → values. Names: strategy schema names, exec keys, or `exec.<key>`. */
export type GridSpec = Readonly<Record<string, GridValues>>

export function isGridRange(v: GridValues): v is GridRange {
  return !Array.isArray(v)
}

/** Decimal places in a number's shortest round-trip representation (0.05 → 2, 1e-7 → 7). */
export function decimalsOf(x: number): number {
  const s = String(Math.abs(x))
  const e = s.indexOf('e-')
  if (e >= 0) {
    const mant = s.slice(0, e)
    const dot = mant.indexOf('.')
    return Number(s.slice(e + 2)) + (dot >= 0 ? mant.length - dot - 1 : 0)
  }
  const dot = s.indexOf('.')
  return dot >= 0 ? s.length - dot - 1 : 0
}

/**
 * How many values enumerateRange(r) gives, computed without enumerating, so a range like
 * { min: 1, max: 1e12, step: 1 } (or a 1e-300 step) can be refused before any value is built.
 * Infinity when (max − min) / step overflows. The count tolerates a last step that floats just
 * short of max.
 */
export function rangeCount(r: GridRange): number {
  if (![r.min, r.max, r.step].every(Number.isFinite)) throw new Error('range min/max/step must be finite')
  if (!(r.step > 0)) throw new Error(`range step must be > 0, got ${r.step}`)
  if (r.max < r.min) throw new Error(`range max ${r.max} < min ${r.min}`)
  return Math.floor((r.max - r.min) / r.step + 1e-9) + 1
}

/**
 * value_i = min + i·step rounded to the decimals of min and step, so that 0.05·3 gives 0.15 (not
 * 0.15000000000000002). Callers bound rangeCount(r) first: this builds every value.
 */
export function enumerateRange(r: GridRange): number[] {
  const count = rangeCount(r)
  // No grid may hold more values in one dimension than combos in all.
  if (count > MAX_COMBOS) throw new RangeError(`range has ${formatCount(count)} values (more than ${formatCount(MAX_COMBOS)})`)
  const decimals = Math.min(20, Math.max(decimalsOf(r.min), decimalsOf(r.step)))
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(Number((r.min + i * r.step).toFixed(decimals)))
  return out
}

/** A count for messages: 10,000,000 or 1.00e+300 (a huge count is never printed digit by digit). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'infinitely many'
  return n < 1e15 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2)
}

export function gridValues(v: GridValues): readonly (number | string)[] {
  return isGridRange(v) ? enumerateRange(v) : v
}

/** Radix of each dimension → strides (last dimension stride 1). */
export function stridesOf(sizes: readonly number[]): number[] {
  const strides = new Array<number>(sizes.length)
  let s = 1
  for (let d = sizes.length - 1; d >= 0; d--) {
    strides[d] = s
    s *= sizes[d]!
  }
  return strides
}

export function countOf(sizes: readonly number[]): number {
  let n = 1
  for (const s of sizes) n *= s
  return n
}

/** Decodes combo `index` into per-dimension value indices (written to `out`, no allocation). */
export function decodeCombo(sizes: readonly number[], index: number, out: Int32Array): Int32Array {
  let rest = index
  for (let d = sizes.length - 1; d >= 0; d--) {
    const r = sizes[d]!
    out[d] = rest % r
    rest = Math.floor(rest / r)
  }
  return out
}

/** Inverse of decodeCombo. */
export function encodeCombo(sizes: readonly number[], digits: ArrayLike<number>): number {
  let idx = 0
  for (let d = 0; d < sizes.length; d++) idx = idx * sizes[d]! + digits[d]!
  return idx
}

export interface Chunk {
  readonly start: number
  /** Exclusive. */
  readonly end: number
}

/** Contiguous chunks of at most chunkSize combos covering [0, count). */
export function planChunks(count: number, chunkSize: number): Chunk[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`combo count must be a non-negative integer, got ${count}`)
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunk size must be a positive integer, got ${chunkSize}`)
  const out: Chunk[] = []
  for (let s = 0; s < count; s += chunkSize) out.push({ start: s, end: Math.min(count, s + chunkSize) })
  return out
}
