// The audits a user strategy passes on every edit and again when edge accepts its promotion
// (issue 10): output shape, determinism (two runs, identical output), warm-up honesty (no signal
// before the declared warm-up), look-ahead (the shared truncation check the built-ins pass) and
// speed. A failure names the bar and the two differing values. Pure: the clock for the speed
// audit is passed in, and the series is the caller's (the lab's data or a seeded synthetic one).
import type { CandleSeries } from '../../candles/types.ts'
import { checkLookahead, type LookaheadOptions } from '../audit/lookahead.ts'
import type { Params, StrategyDef } from '../types.ts'
import { checkSignals } from './module.ts'

export type AuditName = 'shape' | 'determinism' | 'warmup' | 'lookahead' | 'speed'

export interface AuditResult {
  readonly name: AuditName
  readonly ok: boolean
  /** One plain sentence: what was checked, or what failed and where. */
  readonly detail: string
  /** The failing bar, when there is one. */
  readonly bar?: number
  /** The two differing values at that bar (e.g. full run and cut run). */
  readonly values?: readonly [number, number]
}

export interface AuditReport {
  readonly results: readonly AuditResult[]
  /** Every audit passed. */
  readonly ok: boolean
  readonly nsPerBar: number
}

export interface AuditOptions {
  /** Monotonic milliseconds (performance.now) for the speed audit. */
  readonly now: () => number
  readonly lookahead?: LookaheadOptions
}

const safe = <T>(f: () => T): { ok: true; value: T } | { ok: false; error: string } => {
  try {
    return { ok: true, value: f() }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}

/** Runs every audit of `def` with `params` on `series`; a rule that throws fails the audit it threw in. */
export function auditStrategy(def: StrategyDef, series: CandleSeries, params: Params, o: AuditOptions): AuditReport {
  const n = series.time.length
  const results: AuditResult[] = []
  const t0 = o.now()
  const first = safe(() => def.signals(series, params))
  const ms = o.now() - t0
  const nsPerBar = n > 0 ? (ms * 1e6) / n : Number.NaN
  if (!first.ok) {
    results.push({ name: 'shape', ok: false, detail: `signals threw: ${first.error}` })
    return { results, ok: false, nsPerBar: Number.NaN }
  }
  const a = first.value
  const shape = checkSignals(a, n)
  results.push(
    shape === null
      ? { name: 'shape', ok: true, detail: `an Int8Array of ${n} values in {−1, 0, 1}` }
      : { name: 'shape', ok: false, detail: shape },
  )
  if (shape !== null) return { results, ok: false, nsPerBar }

  const second = safe(() => def.signals(series, params))
  if (!second.ok) results.push({ name: 'determinism', ok: false, detail: `the second run threw: ${second.error}` })
  else {
    let diff = -1
    for (let i = 0; i < n && diff < 0; i++) if (second.value[i] !== a[i]) diff = i
    results.push(
      diff < 0
        ? { name: 'determinism', ok: true, detail: 'two runs gave identical signals' }
        : {
            name: 'determinism',
            ok: false,
            detail: `two runs differ at bar ${diff}: ${a[diff]} then ${second.value[diff]}`,
            bar: diff,
            values: [a[diff]!, second.value[diff]!],
          },
    )
  }

  const w = safe(() => def.warmup(params))
  if (!w.ok) results.push({ name: 'warmup', ok: false, detail: `warmup threw: ${w.error}` })
  else {
    let early = -1
    for (let i = 0; i < Math.min(w.value, n) && early < 0; i++) if (a[i] !== 0) early = i
    results.push(
      early < 0
        ? { name: 'warmup', ok: true, detail: `no signal before the declared warm-up of ${w.value} bars` }
        : {
            name: 'warmup',
            ok: false,
            detail: `signal ${a[early]} at bar ${early}, before the declared warm-up of ${w.value} bars`,
            bar: early,
            values: [a[early]!, 0],
          },
    )
  }

  const la = safe(() => checkLookahead((s) => def.signals(s, params), series, { warmup: w.ok ? w.value : 0, ...o.lookahead }))
  if (!la.ok) results.push({ name: 'lookahead', ok: false, detail: `a cut run threw: ${la.error}` })
  else if (la.value.ok)
    results.push({ name: 'lookahead', ok: true, detail: `no look-ahead found at ${la.value.value.cuts.length} cut points` })
  else {
    const f = la.value.error
    results.push({
      name: 'lookahead',
      ok: false,
      detail: `looks ahead: with the bars after ${f.cutAt} removed, bar ${f.bar} gives ${f.cutValue} instead of ${f.fullValue}`,
      bar: f.bar,
      values: [f.fullValue, f.cutValue],
    })
  }
  results.push({ name: 'speed', ok: Number.isFinite(nsPerBar), detail: `${nsPerBar.toFixed(1)} ns per bar over ${n} bars` })
  return { results, ok: results.every((r) => r.ok), nsPerBar }
}
