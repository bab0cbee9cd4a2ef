// Objectives and constraints: turning metric rows into a ranking.
//
// Score = the objective's metric, higher is better. Non-finite values, by rule:
// - NaN (e.g. Sharpe of a flat equity curve: 0/0; profit factor with no closed trade) never ranks:
//   such rows are left out of the ranking, like rows that fail a constraint.
// - +Infinity (profit factor with no losing trade, Sortino with no down day, Calmar with no
//   drawdown) ranks above every finite score; -Infinity ranks below every finite score. Use
//   `minTrades` to keep one lucky trade from winning on an infinite ratio.
// Ties keep the lower combo index first (stable, same result on every machine).
import { METRIC_COUNT, METRIC_INDEX, METRIC_NAMES } from '../metrics/types.ts'
import type { MetricName } from '../metrics/types.ts'

export const OBJECTIVES = ['sharpe', 'sortino', 'calmar', 'totalReturn', 'profitFactor'] as const
export type Objective = (typeof OBJECTIVES)[number]
export const DEFAULT_OBJECTIVE: Objective = 'sharpe'

export interface Constraints {
  /** Rows with fewer trades are rejected. */
  readonly minTrades?: number
  /** Floor on max drawdown (a negative fraction): e.g. -0.3 rejects rows that fell more than 30%. */
  readonly maxDrawdown?: number
  /** Generic lower bounds by metric name (a NaN metric fails its bound). */
  readonly min?: Partial<Record<MetricName, number>>
  /** Generic upper bounds by metric name. */
  readonly max?: Partial<Record<MetricName, number>>
}

export function isObjective(x: unknown): x is Objective {
  return typeof x === 'string' && (OBJECTIVES as readonly string[]).includes(x)
}

/** Errors in a constraints object (empty when valid). */
export function checkConstraints(c: unknown): string[] {
  if (c === undefined) return []
  if (typeof c !== 'object' || c === null) return ['constraints must be an object']
  const errors: string[] = []
  const o = c as Record<string, unknown>
  for (const k of Object.keys(o)) {
    if (!['minTrades', 'maxDrawdown', 'min', 'max'].includes(k)) errors.push(`constraints: unknown key '${k}'`)
  }
  if (o.minTrades !== undefined && !(typeof o.minTrades === 'number' && o.minTrades >= 0)) {
    errors.push('constraints.minTrades must be a number ≥ 0')
  }
  if (o.maxDrawdown !== undefined && !(typeof o.maxDrawdown === 'number' && o.maxDrawdown <= 0 && o.maxDrawdown >= -1)) {
    errors.push('constraints.maxDrawdown must be a negative fraction in [-1, 0] (e.g. -0.3)')
  }
  for (const side of ['min', 'max'] as const) {
    const b = o[side]
    if (b === undefined) continue
    if (typeof b !== 'object' || b === null) {
      errors.push(`constraints.${side} must be an object of metric → number`)
      continue
    }
    for (const [m, v] of Object.entries(b)) {
      if (!(METRIC_NAMES as readonly string[]).includes(m)) errors.push(`constraints.${side}: unknown metric '${m}'`)
      else if (typeof v !== 'number' || Number.isNaN(v)) errors.push(`constraints.${side}.${m} must be a number`)
    }
  }
  return errors
}

/** True when the row at `offset` satisfies every constraint. */
export function passesConstraints(rows: ArrayLike<number>, offset: number, c: Constraints | undefined): boolean {
  if (c === undefined) return true
  if (c.minTrades !== undefined && !(rows[offset + METRIC_INDEX.trades]! >= c.minTrades)) return false
  if (c.maxDrawdown !== undefined && !(rows[offset + METRIC_INDEX.maxDrawdown]! >= c.maxDrawdown)) return false
  if (c.min !== undefined) {
    for (const [m, v] of Object.entries(c.min)) {
      if (!(rows[offset + METRIC_INDEX[m as MetricName]]! >= (v as number))) return false
    }
  }
  if (c.max !== undefined) {
    for (const [m, v] of Object.entries(c.max)) {
      if (!(rows[offset + METRIC_INDEX[m as MetricName]]! <= (v as number))) return false
    }
  }
  return true
}

/** The objective's score of a row; NaN means "does not rank". */
export function scoreOf(rows: ArrayLike<number>, offset: number, objective: Objective = DEFAULT_OBJECTIVE): number {
  return rows[offset + METRIC_INDEX[objective]]!
}

export interface RankOptions {
  readonly objective?: Objective
  readonly constraints?: Constraints
}

/**
 * Row positions (0-based within `rows`) that rank, best first. `rows` holds `count` rows of
 * METRIC_COUNT metrics.
 */
export function rankRows(rows: Float64Array, count: number, opts: RankOptions = {}): Int32Array {
  const objective = opts.objective ?? DEFAULT_OBJECTIVE
  const keep: number[] = []
  for (let i = 0; i < count; i++) {
    const off = i * METRIC_COUNT
    if (Number.isNaN(scoreOf(rows, off, objective))) continue
    if (!passesConstraints(rows, off, opts.constraints)) continue
    keep.push(i)
  }
  const col = METRIC_INDEX[objective]
  keep.sort((a, b) => {
    const sa = rows[a * METRIC_COUNT + col]!
    const sb = rows[b * METRIC_COUNT + col]!
    return sa === sb ? a - b : sb > sa ? 1 : -1
  })
  return Int32Array.from(keep)
}

export interface RankedCombo {
  readonly combo: number
  readonly score: number
}

/** The top `topN` combos; `firstCombo` is the combo index of row 0. */
export function bestCombos(
  rows: Float64Array,
  count: number,
  topN: number,
  opts: RankOptions & { readonly firstCombo?: number } = {},
): RankedCombo[] {
  const order = rankRows(rows, count, opts)
  const col = METRIC_INDEX[opts.objective ?? DEFAULT_OBJECTIVE]
  const out: RankedCombo[] = []
  for (let i = 0; i < Math.min(topN, order.length); i++) {
    const r = order[i]!
    out.push({ combo: (opts.firstCombo ?? 0) + r, score: rows[r * METRIC_COUNT + col]! })
  }
  return out
}
