// A user strategy as a worker runs it: loaded in the sandbox, then wrapped so the rule gets its
// own copy of the candles on every call. Typed arrays cannot be frozen, and a rule that wrote
// into the columns would change the data of every later run (and, with shared memory, the
// page's charts).
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Result } from '../../shared/result.ts'
import type { StrategyDef } from '../../shared/strategies/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import { loadUserStrategy, type Evaluate, type SourceError } from '../../shared/strategies/user/source.ts'

export const copySeries = (s: CandleSeries): CandleSeries => ({
  time: s.time.slice(),
  open: s.open.slice(),
  high: s.high.slice(),
  low: s.low.slice(),
  close: s.close.slice(),
  volume: s.volume.slice(),
})

/** Loads `source` with `evaluate` (an SES Compartment in a worker) into a StrategyDef that copies its input. */
export function userStrategyDef(source: string, evaluate: Evaluate): Result<{ def: StrategyDef; meta: UserStrategyMeta }, SourceError> {
  const r = loadUserStrategy(source, evaluate)
  if (!r.ok) return r
  const inner = r.value.def
  const def: StrategyDef = {
    id: inner.id,
    version: inner.version,
    name: inner.name,
    description: inner.description,
    params: inner.params,
    warmup: (p) => inner.warmup(p),
    signals: (s, p) => inner.signals(copySeries(s), p),
  }
  return { ok: true, value: { def, meta: r.value.meta } }
}
