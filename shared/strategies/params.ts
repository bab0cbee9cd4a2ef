// Parameter schemas: building specs, checking a strategy's schema once at registration, and
// resolving user/optimizer params (defaults filled, min/max/integer enforced) with errors that
// name the strategy and the parameter, because params arrive from forms, notebooks and grids.
import { err, ok, type Result } from '../result.ts'
import type { ParamSpec, Params, StrategyDef } from './types.ts'

/** A rejected parameter value or an inconsistent schema. `param` is the offending name. */
export class ParamError extends Error {
  readonly strategyId: string
  readonly param: string
  constructor(strategyId: string, param: string, message: string) {
    super(`strategy '${strategyId}', parameter '${param}': ${message}`)
    this.name = 'ParamError'
    this.strategyId = strategyId
    this.param = param
  }
}

/** Shorthand for a ParamSpec; `label` defaults to the name. */
export function paramSpec(name: string, spec: Omit<ParamSpec, 'name' | 'label'> & { readonly label?: string }): ParamSpec {
  return { name, label: spec.label ?? name, ...spec }
}

/** Throws a ParamError when a schema is inconsistent (a bug in the strategy's definition). */
export function checkParamSpecs(strategyId: string, specs: readonly ParamSpec[]): void {
  const seen = new Set<string>()
  for (const p of specs) {
    const fail = (msg: string): never => {
      throw new ParamError(strategyId, p.name, `bad schema: ${msg}`)
    }
    if (p.name.length === 0) fail('empty name')
    if (seen.has(p.name)) fail('duplicate name')
    seen.add(p.name)
    if (![p.default, p.min, p.max, p.step].every(Number.isFinite)) fail('default/min/max/step must be finite')
    if (p.min > p.max) fail(`min ${p.min} > max ${p.max}`)
    if (p.default < p.min || p.default > p.max) fail(`default ${p.default} outside [${p.min}, ${p.max}]`)
    if (!(p.step > 0)) fail('step must be > 0')
    if (p.integer && ![p.default, p.min, p.max, p.step].every(Number.isInteger)) {
      fail('integer parameter with a non-integer default/min/max/step')
    }
  }
}

/**
 * Full params for `def`: every schema parameter present, missing ones at their default.
 * Throws ParamError for an unknown name, a non-finite value, a value outside [min, max]
 * or a non-integer value for an integer parameter.
 */
export function resolveParams(def: Pick<StrategyDef, 'id' | 'params'>, partial: Partial<Params> = {}): Params {
  const out: Record<string, number> = {}
  for (const p of def.params) out[p.name] = p.default
  for (const name of Object.keys(partial)) {
    const spec = def.params.find((p) => p.name === name)
    if (spec === undefined) {
      const known = def.params.map((p) => p.name).join(', ')
      throw new ParamError(def.id, name, `unknown parameter (known: ${known || 'none'})`)
    }
    const v = partial[name]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ParamError(def.id, name, `must be a finite number, got ${String(v)}`)
    }
    if (v < spec.min || v > spec.max) {
      throw new ParamError(def.id, name, `${v} is outside [${spec.min}, ${spec.max}]`)
    }
    if (spec.integer && !Number.isInteger(v)) {
      throw new ParamError(def.id, name, `must be an integer, got ${v}`)
    }
    out[name] = v
  }
  return out
}

export type ResolveResult = Result<Params, ParamError>

/** resolveParams as a typed result, for boundaries (forms, imported notebooks). */
export function tryResolveParams(def: Pick<StrategyDef, 'id' | 'params'>, partial: Partial<Params> = {}): ResolveResult {
  try {
    return ok(resolveParams(def, partial))
  } catch (e) {
    if (e instanceof ParamError) return err(e)
    throw e
  }
}

/** Reads a resolved param; a missing name is a bug in the strategy (its schema lacks it). */
export function num(params: Params, name: string): number {
  const v = params[name]
  if (v === undefined) throw new Error(`param '${name}' missing after resolveParams`)
  return v
}
