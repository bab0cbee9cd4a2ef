// What a strategy worker does, free of the worker itself (tests run it in process with another
// evaluator): load a source (transpile, evaluate in the sandbox, check the module) and run the
// audits of shared/strategies/user/audits.ts on a series: the data cell's candles, or when there
// are none the seeded synthetic series edge audits promotions on (3,000 one-minute bars of the
// synthetic KRW-BTC), so the lab's verdict and edge's agree. The loaded strategy is kept per
// source, so an audit right after a compile does not load it again.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { err, ok, type Result } from '../../shared/result.ts'
import { tryResolveParams, type Params, type StrategyDef } from '../../shared/strategies/index.ts'
import { auditStrategy, type AuditReport, type AuditResult } from '../../shared/strategies/user/audits.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import { loadUserStrategy, type Evaluate, type SourceError } from '../../shared/strategies/user/source.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'

/** Bars of the synthetic audit series (edge/promotions/user-strategy.ts AUDIT_BARS). */
export const AUDIT_BARS = 3_000

let synthetic: CandleSeries | null = null
/** The series edge audits promoted strategies on (made once per realm). */
export function auditSeries(): CandleSeries {
  synthetic ??= generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + AUDIT_BARS * 60_000)
  return synthetic
}

export interface AuditedResult extends AuditResult {
  /** Open time of the failing bar (epoch ms UTC), when there is one. */
  readonly barTimeMs?: number
}

export interface AuditOutcome {
  readonly report: Omit<AuditReport, 'results'> & { readonly results: readonly AuditedResult[] }
  /** The params the audits ran with (the schema's defaults over the given values). */
  readonly params: Params
  /** Bars of the series audited, and whether it was the synthetic one. */
  readonly bars: number
  readonly synthetic: boolean
  readonly elapsedMs: number
}

export interface StrategyChecker {
  compile(source: string): Result<UserStrategyMeta, SourceError>
  /** `series` null: the synthetic audit series. */
  audit(source: string, series: CandleSeries | null, values: Params): Result<AuditOutcome, SourceError>
}

export function createStrategyChecker(evaluate: Evaluate, now: () => number): StrategyChecker {
  let loaded: { source: string; def: StrategyDef; meta: UserStrategyMeta } | null = null
  const load = (source: string): Result<{ def: StrategyDef; meta: UserStrategyMeta }, SourceError> => {
    if (loaded?.source === source) return ok(loaded)
    const r = loadUserStrategy(source, evaluate)
    if (!r.ok) return r
    loaded = { source, ...r.value }
    return r
  }
  return {
    compile(source) {
      const r = load(source)
      return r.ok ? ok(r.value.meta) : r
    },
    audit(source, series, values) {
      const r = load(source)
      if (!r.ok) return r
      const params = tryResolveParams(r.value.def, values)
      if (!params.ok) return err({ stage: 'module', message: params.error.message })
      const s = series ?? auditSeries()
      const t0 = now()
      const report = auditStrategy(r.value.def, s, params.value, { now })
      const results = report.results.map((x) => (x.bar !== undefined && x.bar < s.time.length ? { ...x, barTimeMs: s.time[x.bar]! } : x))
      return ok({
        report: { ...report, results },
        params: params.value,
        bars: s.time.length,
        synthetic: series === null,
        elapsedMs: now() - t0,
      })
    },
  }
}
