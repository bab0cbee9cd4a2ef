// The cell's view of a sweep's rows: the top N by the objective and constraints (a bounded
// selection, not a sort of every combo, so it can run on every progress update of a big sweep),
// the number display rules (one for the whole cell: +∞ is "∞", −∞ is "−∞", NaN is "—"), the
// sortable rows of the table and the heatmap's matrix of any two grid dimensions.
import { METRIC_COUNT, METRIC_INDEX, type MetricName } from '../../../../shared/metrics/types.ts'
import { decodeCombo } from '../../../../shared/optimize/grid.ts'
import { passesConstraints } from '../../../../shared/optimize/index.ts'
import type { Constraints, Objective, SweepPlan } from '../../../../shared/optimize/index.ts'

export interface TopCombos {
  /** Combo indices, best first (ties: the lower combo first, as the shared ranking). */
  readonly combos: Int32Array
  /** How many combos rank at all (finished, objective not NaN, constraints met). */
  readonly ranked: number
  /** Finished combos whose objective is a number but that fail a constraint. */
  readonly failedConstraints: number
}

/** a ranks before b. */
const better = (sa: number, a: number, sb: number, b: number): boolean => sa > sb || (sa === sb && a < b)

/** The best `n` combos of `rows` (count × METRIC_COUNT) by `objective` under `constraints`. */
export function topCombos(
  rows: Float64Array,
  count: number,
  n: number,
  objective: Objective,
  constraints: Constraints | undefined,
): TopCombos {
  const col = METRIC_INDEX[objective]
  // A binary min-heap of the best n so far (its root is the worst of them).
  const heap = new Int32Array(Math.max(0, n))
  const hs = new Float64Array(Math.max(0, n))
  let size = 0
  let ranked = 0
  let failed = 0
  const worse = (i: number, j: number): boolean => better(hs[j]!, heap[j]!, hs[i]!, heap[i]!)
  const swap = (i: number, j: number): void => {
    const c = heap[i]!
    heap[i] = heap[j]!
    heap[j] = c
    const s = hs[i]!
    hs[i] = hs[j]!
    hs[j] = s
  }
  for (let c = 0; c < count; c++) {
    const off = c * METRIC_COUNT
    const s = rows[off + col]!
    if (Number.isNaN(s)) continue
    if (!passesConstraints(rows, off, constraints)) {
      failed++
      continue
    }
    ranked++
    if (n === 0) continue
    if (size < n) {
      heap[size] = c
      hs[size] = s
      let i = size++
      while (i > 0) {
        const p = (i - 1) >> 1
        if (!worse(i, p)) break
        swap(i, p)
        i = p
      }
    } else if (better(s, c, hs[0]!, heap[0]!)) {
      heap[0] = c
      hs[0] = s
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < size && worse(l, m)) m = l
        if (r < size && worse(r, m)) m = r
        if (m === i) break
        swap(i, m)
        i = m
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => (better(hs[i]!, heap[i]!, hs[j]!, heap[j]!) ? -1 : 1))
  return { combos: Int32Array.from(order, (i) => heap[i]!), ranked, failedConstraints: failed }
}

// ---- numbers (one rule for the whole cell) ----

const MINUS = '−'
const fixed2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** Non-finite values: "∞" / "−∞" (a ratio with a zero denominator ranks first or last), "—" for NaN. */
function nonFinite(x: number): string {
  return x === Infinity ? '∞' : x === -Infinity ? `${MINUS}∞` : '—'
}

const signed = (x: number, body: string, plus: boolean): string => (x < 0 ? MINUS : plus && x > 0 ? '+' : '') + body

export function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x)
  const a = Math.abs(x)
  return a < 0.005 ? '0.00' : signed(x, fixed2.format(a), false)
}

export function fmtPercent(x: number, plus = false): string {
  if (!Number.isFinite(x)) return nonFinite(x)
  const a = Math.abs(x * 100)
  return a < 0.005 ? '0.00%' : signed(x, `${fixed2.format(a)}%`, plus)
}

export function fmtCount(x: number): string {
  return Number.isFinite(x) ? int.format(x) : nonFinite(x)
}

/** A probability 0..1 with two decimals. */
export const fmtProb = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : nonFinite(x))

/** A grid value as written (numbers without float noise). */
export const fmtValue = (x: number | string): string => (typeof x === 'number' ? String(Number(x.toPrecision(12))) : x)

export type MetricKind = 'pct' | 'ratio' | 'count'

export const METRIC_KIND: Readonly<Record<MetricName, MetricKind>> = {
  totalReturn: 'pct',
  cagr: 'pct',
  sharpe: 'ratio',
  sortino: 'ratio',
  calmar: 'ratio',
  maxDrawdown: 'pct',
  winRate: 'pct',
  profitFactor: 'ratio',
  expectancy: 'pct',
  trades: 'count',
  exposure: 'pct',
  feesPaid: 'count',
  buyHoldReturn: 'pct',
}

export const METRIC_LABEL: Readonly<Record<MetricName, string>> = {
  totalReturn: 'Return',
  cagr: 'CAGR',
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  calmar: 'Calmar',
  maxDrawdown: 'Max DD',
  winRate: 'Win rate',
  profitFactor: 'Profit factor',
  expectancy: 'Expectancy',
  trades: 'Trades',
  exposure: 'Exposure',
  feesPaid: 'Fees KRW',
  buyHoldReturn: 'Buy & hold',
}

export function fmtMetric(m: MetricName, x: number): string {
  const k = METRIC_KIND[m]
  return k === 'pct' ? fmtPercent(x, m === 'totalReturn') : k === 'ratio' ? fmtRatio(x) : fmtCount(x)
}

// ---- the table ----

/** Metrics shown after the objective (the objective itself comes first and is not repeated). */
export const TABLE_METRICS: readonly MetricName[] = [
  'totalReturn',
  'sharpe',
  'maxDrawdown',
  'trades',
  'winRate',
  'profitFactor',
  'exposure',
]

export type SortKey = 'rank' | 'combo' | `dim:${number}` | `m:${MetricName}` | `oos:${'totalReturn' | 'sharpe'}`

export interface TableRow {
  /** 1 = best by the objective. */
  readonly rank: number
  /** The combo's index in the grid's enumeration order (the CSV's `combo`). */
  readonly combo: number
  readonly values: readonly (number | string)[]
  /** The sweep's metrics row (METRIC_COUNT numbers). */
  readonly metrics: Float64Array
  /** Out-of-sample metrics (holdout), when the cell has them. */
  readonly oos: Float64Array | null
}

export function tableRows(plan: SweepPlan, rows: Float64Array, combos: Int32Array, oosRows: Float64Array | null): TableRow[] {
  const digits = new Int32Array(plan.dims.length)
  return Array.from(combos, (c, i) => {
    decodeCombo(plan.sizes, c, digits)
    return {
      rank: i + 1,
      combo: c,
      values: plan.dims.map((d, k) => d.values[digits[k]!]!),
      metrics: rows.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT),
      oos: oosRows === null ? null : oosRows.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT),
    }
  })
}

function sortValue(r: TableRow, key: SortKey): number | string {
  if (key === 'rank') return r.rank
  if (key === 'combo') return r.combo
  if (key.startsWith('dim:')) return r.values[Number(key.slice(4))]!
  if (key.startsWith('oos:')) return r.oos?.[METRIC_INDEX[key.slice(4) as MetricName]] ?? Number.NaN
  return r.metrics[METRIC_INDEX[key.slice(2) as MetricName]]!
}

/** Sorted copy; NaN last whichever way, ties by rank. */
export function sortRows(rows: readonly TableRow[], key: SortKey, dir: 'asc' | 'desc'): TableRow[] {
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key)
    const y = sortValue(b, key)
    if (typeof x === 'number' && typeof y === 'number') {
      const nx = Number.isNaN(x)
      const ny = Number.isNaN(y)
      if (nx || ny) return nx === ny ? a.rank - b.rank : nx ? 1 : -1
      if (x !== y) return x < y ? -sign : sign
      return a.rank - b.rank
    }
    const sx = String(x)
    const sy = String(y)
    return sx === sy ? a.rank - b.rank : sx < sy ? -sign : sign
  })
}

// ---- the heatmap ----

export interface HeatmapData {
  readonly x: readonly (number | string)[]
  readonly y: readonly (number | string)[]
  /** z[j][i]: the best objective among combos with x[i] and y[j] that rank; null when none does. */
  readonly z: (number | null)[][]
  /** The combo behind each cell (−1 when none ranks). */
  readonly combo: number[][]
}

/** The best ranking objective per pair of values of dimensions dx (columns) and dy (rows). */
export function heatmapOf(plan: SweepPlan, rows: Float64Array, dx: number, dy: number): HeatmapData {
  const col = METRIC_INDEX[plan.objective]
  const xs = plan.dims[dx]!.values
  const ys = plan.dims[dy]!.values
  const best = ys.map(() => xs.map(() => Number.NaN))
  const combo = ys.map(() => xs.map(() => -1))
  const digits = new Int32Array(plan.dims.length)
  for (let c = 0; c < plan.comboCount; c++) {
    const off = c * METRIC_COUNT
    const s = rows[off + col]!
    if (Number.isNaN(s) || !passesConstraints(rows, off, plan.constraints)) continue
    decodeCombo(plan.sizes, c, digits)
    const i = digits[dx]!
    const j = digits[dy]!
    const cur = best[j]![i]!
    if (combo[j]![i] === -1 || better(s, c, cur, combo[j]![i]!)) {
      best[j]![i] = s
      combo[j]![i] = c
    }
  }
  return { x: xs, y: ys, z: best.map((r, j) => r.map((s, i) => (combo[j]![i]! === -1 ? null : s))), combo }
}
