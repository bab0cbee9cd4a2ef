// Evaluating user code in a worker hardened by ./lockdown.ts: a fresh SES Compartment per
// evaluation whose globals are only what shared/strategies/user/source.ts sandboxGlobals() gives
// (typed arrays, Math without random, `ta`), hardened so a rule cannot leave state on them. The
// indicator functions themselves are hardened too: user code receives them as `ta` and must not
// be able to hang state or behaviour on them between calls. Worker-only (needs lockdown()).
import * as indicators from '../../shared/indicators/index.ts'
import type { Evaluate } from '../../shared/strategies/user/source.ts'

for (const f of Object.values(indicators)) if (typeof f === 'function' || (typeof f === 'object' && f !== null)) harden(f)

export const sesEvaluate: Evaluate = (code, globals) => {
  // A module namespace cannot be frozen; its (hardened) functions go in a plain, hardened object.
  const g = { ...globals, ...(globals.ta === undefined ? {} : { ta: { ...(globals.ta as object) } }) }
  return new Compartment(harden(g)).evaluate(code)
}
