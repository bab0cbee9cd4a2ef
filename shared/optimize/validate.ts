// Sweep specs: the JSON a user (or the CLI/lab) writes, checked against the strategy's schema and
// the execution rules, and compiled into a plan (dimensions, strides, combo count).
import type { ExecConfig } from '../engine/types.ts'
import { checkExecConfig } from '../engine/params.ts'
import { UPBIT_KRW_RULES } from '../upbit/venue-rules.ts'
import { strategies } from '../strategies/index.ts'
import type { Params, StrategyDef } from '../strategies/types.ts'
import { applyExec, checkExecValue, isExecKey } from './exec-params.ts'
import { countOf, enumerateRange, formatCount, isGridRange, MAX_COMBOS, rangeCount, stridesOf } from './grid.ts'
import type { GridSpec } from './grid.ts'
import { checkConstraints, DEFAULT_OBJECTIVE, isObjective } from './objective.ts'
import type { Constraints, Objective } from './objective.ts'

export interface SweepSpec {
  readonly strategyId: string
  /**
   * A user strategy's version: the SHA-256 of its source (absent for built-ins). Part of the spec,
   * so of the sweep id and every label: a checkpoint of another version is never resumed.
   */
  readonly strategyHash?: string
  /** Strategy params held fixed (missing ones take the schema default). */
  readonly baseParams?: Params
  readonly grid: GridSpec
  /** Base execution config; exec grid keys override its fields. */
  readonly exec: ExecConfig
  readonly objective?: Objective
  readonly constraints?: Constraints
  /** Trading window [fromBar, toBar); bars before fromBar are warm-up only. Default: whole series. */
  readonly fromBar?: number
  readonly toBar?: number
}

export interface Dimension {
  /** The grid key as written. */
  readonly name: string
  readonly target: 'strategy' | 'exec'
  /** Schema name (strategy) or ExecConfig key / `sizing.<field>` (exec). */
  readonly key: string
  readonly values: readonly (number | string)[]
}

export interface SweepPlan {
  readonly strategy: StrategyDef
  /** Resolved base params: every schema param present. */
  readonly baseParams: Params
  readonly dims: readonly Dimension[]
  readonly sizes: readonly number[]
  readonly strides: readonly number[]
  readonly comboCount: number
  readonly exec: ExecConfig
  readonly objective: Objective
  readonly constraints: Constraints | undefined
  readonly fromBar: number | undefined
  readonly toBar: number | undefined
}

/**
 * Finds the definition a spec names: by id, and for a user strategy by its source hash too. The
 * default is the built-in registry; where user strategies run (a sandboxed worker, or the page
 * that only needs their schema) the caller injects its own, so the optimizer never switches on ids.
 */
export type StrategyResolver = (id: string, sourceHash: string | undefined) => StrategyDef | undefined

/** The built-in registry; a spec naming a source hash is not a built-in. */
export const builtinStrategy: StrategyResolver = (id, sourceHash) =>
  sourceHash === undefined ? (strategies as Readonly<Record<string, StrategyDef | undefined>>)[id] : undefined

export type SweepValidation = { readonly ok: true; readonly plan: SweepPlan } | { readonly ok: false; readonly errors: string[] }

export { MAX_COMBOS }

function checkStrategyValue(def: StrategyDef, name: string, v: number | string): string | undefined {
  const p = def.params.find((q) => q.name === name)!
  if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a finite number, got ${JSON.stringify(v)}`
  if (v < p.min || v > p.max) return `${v} is outside [${p.min}, ${p.max}]`
  if (p.integer && !Number.isInteger(v)) return `must be an integer, got ${v}`
  return undefined
}

/**
 * The refusal of a grid whose combos (the product of its dimensions' sizes, ranges counted
 * arithmetically) exceed MAX_COMBOS, naming the dimension to shrink; undefined when it fits.
 * Malformed dimensions count as one value here (their own error is reported by the caller).
 */
function gridOverLimit(grid: GridSpec): string | undefined {
  let total = 1
  let largest: { name: string; size: number } | undefined
  for (const [name, raw] of Object.entries(grid)) {
    let size = 1
    if (Array.isArray(raw)) size = Math.max(1, raw.length)
    else if (typeof raw === 'object' && raw !== null && isGridRange(raw)) {
      try {
        size = rangeCount(raw)
      } catch {
        size = 1
      }
    }
    total *= size
    if (largest === undefined || size > largest.size) largest = { name, size }
  }
  if (!(total > MAX_COMBOS) || largest === undefined) return undefined
  const limit = formatCount(MAX_COMBOS)
  if (largest.size > MAX_COMBOS) {
    return `grid.${largest.name} has ${formatCount(largest.size)} values, more than the ${limit} combos a sweep may have: raise its step or narrow min/max`
  }
  return `grid has ${formatCount(total)} combos (more than ${limit}): remove values or dimensions (the largest is grid.${largest.name} with ${formatCount(largest.size)} values)`
}

function checkBars(errors: string[], name: string, v: unknown): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    errors.push(`${name} must be an integer ≥ 0, got ${JSON.stringify(v)}`)
  }
}

export function validateSweep(spec: SweepSpec, resolve: StrategyResolver = builtinStrategy): SweepValidation {
  const errors: string[] = []
  if (typeof spec !== 'object' || spec === null) return { ok: false, errors: ['sweep spec must be an object'] }
  const hash = spec.strategyHash
  if (hash !== undefined && !(typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)))
    return { ok: false, errors: [`strategyHash must be a SHA-256 in hex, got ${JSON.stringify(hash)}`] }
  const def = resolve(spec.strategyId, hash)
  if (def === undefined) {
    if (hash !== undefined)
      return {
        ok: false,
        errors: [`strategy '${String(spec.strategyId)}' #${hash.slice(0, 8)} is not loaded here (its source is unknown)`],
      }
    return { ok: false, errors: [`unknown strategy '${String(spec.strategyId)}' (known: ${Object.keys(strategies).join(', ')})`] }
  }
  if (def.id !== spec.strategyId)
    return { ok: false, errors: [`the source #${String(hash).slice(0, 8)} defines '${def.id}', not '${String(spec.strategyId)}'`] }
  const schemaNames = new Set(def.params.map((p) => p.name))

  const baseParams: Record<string, number> = {}
  for (const p of def.params) baseParams[p.name] = p.default
  for (const [k, v] of Object.entries(spec.baseParams ?? {})) {
    if (!schemaNames.has(k)) {
      errors.push(`baseParams.${k}: unknown parameter of '${def.id}' (known: ${[...schemaNames].join(', ')})`)
      continue
    }
    const err = checkStrategyValue(def, k, v)
    if (err !== undefined) errors.push(`baseParams.${k}: ${err}`)
    else baseParams[k] = v
  }

  const execCheck = checkExecConfig(spec.exec, UPBIT_KRW_RULES)
  if (!execCheck.ok) for (const e of execCheck.error.messages) errors.push(`exec: ${e}`)

  const dims: Dimension[] = []
  if (typeof spec.grid !== 'object' || spec.grid === null) errors.push('grid must be an object of name → values')
  // Sizes first, counted without enumerating: a grid over MAX_COMBOS is refused before any range
  // builds its values (a 1e12-value range used to exhaust memory before the limit was checked).
  const overLimit = gridOverLimit(spec.grid ?? {})
  if (overLimit !== undefined) errors.push(overLimit)
  for (const [name, raw] of Object.entries(spec.grid ?? {})) {
    if (/^\d+$/.test(name)) {
      errors.push(`grid.${name}: integer-like keys are not allowed (JSON would reorder them)`)
      continue
    }
    let values: readonly (number | string)[]
    if (Array.isArray(raw)) {
      values = raw
    } else if (typeof raw === 'object' && raw !== null && isGridRange(raw)) {
      if (overLimit !== undefined) continue
      try {
        values = enumerateRange(raw)
      } catch (e) {
        errors.push(`grid.${name}: ${(e as Error).message}`)
        continue
      }
    } else {
      errors.push(`grid.${name}: values must be a list or { min, max, step }`)
      continue
    }
    if (values.length === 0) {
      errors.push(`grid.${name}: no values`)
      continue
    }
    const explicitExec = name.startsWith('exec.')
    const key = explicitExec ? name.slice('exec.'.length) : name
    let target: Dimension['target']
    if (!explicitExec && schemaNames.has(key)) target = 'strategy'
    else if (isExecKey(key)) target = 'exec'
    else {
      errors.push(`grid.${name}: not a parameter of '${def.id}' (${[...schemaNames].join(', ') || 'none'}) nor an execution parameter`)
      continue
    }
    let bad = false
    for (const v of values) {
      const err = target === 'strategy' ? checkStrategyValue(def, key, v) : checkExecValue(key, v, spec.exec)
      if (err !== undefined) {
        errors.push(`grid.${name}: ${err}`)
        bad = true
        break
      }
      if (target === 'exec' && execCheck.ok) {
        const c = checkExecConfig(applyExec(spec.exec, [key], [v]), UPBIT_KRW_RULES)
        if (!c.ok) {
          errors.push(`grid.${name} = ${JSON.stringify(v)}: ${c.error.messages.join('; ')}`)
          bad = true
          break
        }
      }
    }
    if (new Set(values).size !== values.length) {
      errors.push(`grid.${name}: duplicate values`)
      bad = true
    }
    if (dims.some((d) => d.target === target && d.key === key)) {
      errors.push(`grid.${name}: the same parameter appears twice`)
      bad = true
    }
    if (!bad) dims.push({ name, target, key, values })
  }

  const objective = spec.objective ?? DEFAULT_OBJECTIVE
  if (!isObjective(objective))
    errors.push(`objective must be one of sharpe, sortino, calmar, totalReturn, profitFactor; got ${JSON.stringify(objective)}`)
  errors.push(...checkConstraints(spec.constraints))
  checkBars(errors, 'fromBar', spec.fromBar)
  checkBars(errors, 'toBar', spec.toBar)
  if (spec.fromBar !== undefined && spec.toBar !== undefined && spec.toBar <= spec.fromBar) {
    errors.push(`toBar ${spec.toBar} must be > fromBar ${spec.fromBar}`)
  }

  const sizes = dims.map((d) => d.values.length)
  const comboCount = countOf(sizes)
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    plan: {
      strategy: def,
      baseParams,
      dims,
      sizes,
      strides: stridesOf(sizes),
      comboCount,
      exec: spec.exec,
      objective,
      constraints: spec.constraints,
      fromBar: spec.fromBar,
      toBar: spec.toBar,
    },
  }
}

/** validateSweep that throws (for callers holding a spec already validated at the boundary). */
export function planSweep(spec: SweepSpec, resolve?: StrategyResolver): SweepPlan {
  const v = validateSweep(spec, resolve)
  if (!v.ok) throw new Error(`invalid sweep: ${v.errors.join('; ')}`)
  return v.plan
}
