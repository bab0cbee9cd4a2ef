// A user-written strategy: the module a strategy cell's code evaluates to, checked into a
// StrategyDef the backtest, the optimizer and edge's runner use like a built-in. The API is the
// built-ins' own (shared/strategies/types.ts): an id, a version, a parameter schema, a warm-up and
// `signals(series, params, ta) → Int8Array`, with the shared indicators passed in as `ta`.
// Evaluating the code is the sandbox's job (lab worker, edge worker thread); this module only
// checks what came out, so a malformed module is a clear error, never a crash later.
import type { CandleSeries } from '../../candles/types.ts'
import * as indicators from '../../indicators/index.ts'
import { err, ok, type Result } from '../../result.ts'
import { checkParamSpecs, resolveParams } from '../params.ts'
import type { ParamSpec, Params, StrategyDef } from '../types.ts'

/** The shared indicators, as user code receives them (`ta.rsi(series.close, 14)`). */
export const TA = indicators
export type Ta = typeof indicators

/** What a user module's default export must look like. */
export interface UserStrategyModule {
  readonly id: string
  readonly version: number
  readonly name?: string
  readonly description?: string
  readonly params: readonly Partial<ParamSpec>[]
  readonly warmup: (params: Params) => number
  readonly signals: (series: CandleSeries, params: Params, ta: Ta) => Int8Array
}

export interface UserStrategyMeta {
  readonly id: string
  readonly version: number
  readonly name: string
  readonly description: string
  readonly params: readonly ParamSpec[]
}

/** User ids live beside the built-ins' and never collide with them: `user.<name>`. */
export const USER_ID_RE = /^user\.[a-z][a-z0-9-]{0,47}$/

const isFn = (x: unknown): x is (...a: never[]) => unknown => typeof x === 'function'

function paramSpec(p: Partial<ParamSpec>, i: number): Result<ParamSpec, string> {
  if (typeof p !== 'object' || p === null) return err(`params[${i}] must be an object`)
  const name = p.name
  if (typeof name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/.test(name)) return err(`params[${i}].name must be an identifier`)
  for (const k of ['default', 'min', 'max', 'step'] as const) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) return err(`params[${i}] (${name}).${k} must be a finite number`)
  }
  return ok({
    name,
    label: typeof p.label === 'string' ? p.label.slice(0, 80) : name,
    default: p.default!,
    min: p.min!,
    max: p.max!,
    step: p.step!,
    unit: typeof p.unit === 'string' ? p.unit.slice(0, 20) : '',
    integer: p.integer === true,
  })
}

/**
 * Checks an evaluated module and wraps it as a StrategyDef. Params are resolved (defaults,
 * ranges, integers) before the user's functions see them, as for every built-in; the output of
 * `signals` is checked at every call (an Int8Array of the series' length, values in {−1, 0, 1}),
 * so a broken rule fails loudly at the call, not in the kernel.
 */
export function userStrategyFromModule(mod: unknown, ta: Ta = TA): Result<{ def: StrategyDef; meta: UserStrategyMeta }, string> {
  if (typeof mod !== 'object' || mod === null)
    return err('the module must export default an object { id, version, params, warmup, signals }')
  const m = mod as Partial<UserStrategyModule>
  if (typeof m.id !== 'string' || !USER_ID_RE.test(m.id))
    return err(`id must look like user.my-strategy (lower case), got ${JSON.stringify(m.id)}`)
  if (!Number.isSafeInteger(m.version) || m.version! < 1) return err('version must be an integer ≥ 1')
  if (!Array.isArray(m.params) || m.params.length > 32) return err('params must be an array (at most 32)')
  if (!isFn(m.warmup)) return err('warmup must be a function (params) => bars')
  if (!isFn(m.signals)) return err('signals must be a function (series, params, ta) => Int8Array')
  const params: ParamSpec[] = []
  for (let i = 0; i < m.params.length; i++) {
    const p = paramSpec(m.params[i]!, i)
    if (!p.ok) return p
    params.push(p.value)
  }
  try {
    checkParamSpecs(m.id, params)
  } catch (e) {
    return err(e instanceof Error ? e.message : String(e))
  }
  const meta: UserStrategyMeta = {
    id: m.id,
    version: m.version!,
    name: typeof m.name === 'string' ? m.name.slice(0, 80) : m.id,
    description: typeof m.description === 'string' ? m.description.slice(0, 2_000) : '',
    params,
  }
  const userSignals = m.signals
  const userWarmup = m.warmup
  const spec = { id: meta.id, params }
  const def: StrategyDef = {
    ...meta,
    warmup: (p) => {
      const w = located(() => userWarmup(resolveParams(spec, p)))
      if (!Number.isSafeInteger(w) || w < 0) throw new Error(`${meta.id}: warmup must return an integer ≥ 0, got ${String(w)}`)
      return w
    },
    signals: (series, p) => {
      const out = located(() => userSignals(series, resolveParams(spec, p), ta))
      const bad = checkSignals(out, series.close.length)
      if (bad !== null) throw new Error(`${meta.id}: ${bad}`)
      return out
    },
  }
  return ok({ def, meta })
}

/**
 * The user's line of an error thrown by evaluated code, from its stack: the first frame in the
 * evaluated text (`<anonymous>:line:col`, as V8 names code compiled by SES's evaluator), minus the
 * one wrapper line loadUserStrategy puts before the transpiled source
 * (sucrase keeps the user's line numbers). A frame in shared code (an indicator the rule called)
 * is skipped, so the line is the rule's call.
 */
export function lineOf(e: unknown): number | undefined {
  const stack = e instanceof Error ? (e.stack ?? '') : ''
  // Chromium and Node: `<anonymous>:7:16`; Firefox: `> eval:7:16` or `> Function:7:16`. Never the
  // first `file:line:col` after an "eval at …" (that is the evaluator's own source line).
  const m = /<anonymous>:(\d+):\d+/.exec(stack) ?? /> (?:eval|Function):(\d+):\d+/.exec(stack)
  return m ? Number(m[1]) - 1 : undefined
}

/** Runs user code; an error it throws is rethrown with the user's line in its message, when known. */
function located<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    const line = lineOf(e)
    if (line === undefined || line < 1) throw e
    const message = `${e instanceof Error ? e.message : String(e)} (line ${line})`
    throw e instanceof Error ? Object.assign(new Error(message), { name: e.name }) : new Error(message)
  }
}

/** Why `out` is not a valid signal array for n bars (null when it is). */
export function checkSignals(out: unknown, n: number): string | null {
  if (!(out instanceof Int8Array))
    return `signals must return an Int8Array, got ${out === null ? 'null' : typeof out === 'object' ? Object.prototype.toString.call(out) : typeof out}`
  if (out.length !== n) return `signals returned ${out.length} values for ${n} bars`
  for (let i = 0; i < n; i++) {
    const v = out[i]!
    if (v !== 1 && v !== 0 && v !== -1) return `signals[${i}] is ${v}, not −1, 0 or 1`
  }
  return null
}
