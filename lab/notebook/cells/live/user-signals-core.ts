// What the shadow comparison asks of a promoted user strategy: its warm-up for the run's params
// and its signals on the run's bars. Free of the worker (./user-signals.worker.ts runs it after
// SES lockdown with the Compartment evaluator; tests run it in process with another evaluator).
// The loaded strategy is kept per source: the comparison asks the same one again after every
// burst of fills.
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { err, ok, type Result } from '../../../../shared/result.ts'
import type { Params, StrategyDef } from '../../../../shared/strategies/index.ts'
import { loadUserStrategy, type Evaluate, type SourceError } from '../../../../shared/strategies/user/source.ts'
import { copySeries } from '../../../strategies/user-def.ts'

export interface UserSignalsCore {
  warmup(source: string, params: Params): Result<number, SourceError>
  signals(source: string, series: CandleSeries, params: Params): Result<Int8Array, SourceError>
}

export function createUserSignalsCore(evaluate: Evaluate): UserSignalsCore {
  let loaded: { source: string; def: StrategyDef } | null = null
  const load = (source: string): Result<StrategyDef, SourceError> => {
    if (loaded?.source === source) return ok(loaded.def)
    const r = loadUserStrategy(source, evaluate)
    if (!r.ok) return r
    loaded = { source, def: r.value.def }
    return ok(r.value.def)
  }
  const guard = <T>(f: () => T): Result<T, SourceError> => {
    try {
      return ok(f())
    } catch (e) {
      return err({ stage: 'evaluate', message: e instanceof Error ? e.message : String(e) })
    }
  }
  return {
    warmup(source, params) {
      const def = load(source)
      if (!def.ok) return def
      // The loaded definition checks the warm-up (a whole number ≥ 0) and throws otherwise.
      return guard(() => def.value.warmup(params))
    },
    signals(source, series, params) {
      const def = load(source)
      if (!def.ok) return def
      // The rule gets its own copy: typed arrays cannot be frozen, and the page keeps the series.
      // The loaded definition checks the output (an Int8Array of {−1, 0, 1}, one per bar).
      return guard(() => def.value.signals(copySeries(series), params))
    },
  }
}
