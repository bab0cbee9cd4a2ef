// From a strategy cell's source to a checked StrategyDef: TypeScript or JavaScript is transpiled
// with sucrase (types stripped, `export default` turned into an assignment; line numbers are
// kept, so an error's line is the user's), then evaluated by a sandbox the platform provides (SES
// compartments after lockdown: the lab's worker, edge's worker thread) with only what a signal
// rule needs in scope: the typed arrays, Math without random, and `ta`, the shared indicators. No
// Date.now, timers, network, storage or DOM exist in there.
import { transform } from 'sucrase'
import { err, ok, type Result } from '../../result.ts'
import type { StrategyDef } from '../types.ts'
import { lineOf, TA, userStrategyFromModule, type UserStrategyMeta } from './module.ts'

/** An error in the user's code, with its 1-based line when known. */
export interface SourceError {
  readonly stage: 'syntax' | 'evaluate' | 'module'
  readonly message: string
  readonly line?: number
  readonly column?: number
}

/** Evaluates JavaScript in an isolated global scope (an SES Compartment) and returns its completion value. */
export type Evaluate = (code: string, globals: Record<string, unknown>) => unknown

/** Limits on a strategy's source. */
export const MAX_SOURCE_BYTES = 200_000

export function transpile(source: string): Result<string, SourceError> {
  if (source.length > MAX_SOURCE_BYTES) return err({ stage: 'syntax', message: `the source is over ${MAX_SOURCE_BYTES} characters` })
  try {
    return ok(transform(source, { transforms: ['typescript', 'imports'], production: true, disableESTransforms: true }).code)
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e)
    const pos = /\((\d+):(\d+)\)/.exec(m)
    return err({ stage: 'syntax', message: m, ...(pos ? { line: Number(pos[1]), column: Number(pos[2]) + 1 } : {}) })
  }
}

/** What user code sees as globals: plain data and pure functions only. */
export function sandboxGlobals(): Record<string, unknown> {
  const math: Record<string, unknown> = {}
  for (const k of Object.getOwnPropertyNames(Math)) if (k !== 'random') math[k] = (Math as unknown as Record<string, unknown>)[k]
  return {
    ta: TA,
    Math: Object.freeze(math),
    Int8Array,
    Int16Array,
    Int32Array,
    Uint8Array,
    Float32Array,
    Float64Array,
  }
}

/** Transpiles, evaluates in the sandbox and checks the module. */
export function loadUserStrategy(source: string, evaluate: Evaluate): Result<{ def: StrategyDef; meta: UserStrategyMeta }, SourceError> {
  const js = transpile(source)
  if (!js.ok) return js
  let mod: unknown
  try {
    // One wrapper line before the user's first line (lineOf subtracts it).
    const fn = evaluate(`(function (exports, module) {\n${js.value}\n})`, sandboxGlobals()) as (e: object, m: object) => void
    const exports: Record<string, unknown> = {}
    const module = { exports }
    fn(exports, module)
    const ex = module.exports as Record<string, unknown>
    mod = ex.default ?? ex
  } catch (e) {
    const line = lineOf(e)
    return err({ stage: 'evaluate', message: e instanceof Error ? e.message : String(e), ...(line !== undefined ? { line } : {}) })
  }
  const r = userStrategyFromModule(mod)
  return r.ok ? r : err({ stage: 'module', message: r.error })
}
