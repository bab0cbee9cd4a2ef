// Promoting a user strategy (issue 10): edge does not trust the lab's audits. It loads the source
// in its own sandbox (edge/strategies/sandbox.ts), checks that the module is the strategy the body
// names, resolves the params on the module's schema, and runs the audits again on a seeded
// synthetic series (3,000 one-minute bars of the synthetic KRW-BTC, the same every time). Shape,
// determinism and warm-up failures refuse the promotion; a look-ahead failure refuses it unless the
// body carries an explicit override with a reason, which is stored with the promotion. The source
// is stored content-addressed (SHA-256 of its text) before the promotion names it.
import { createHash } from 'node:crypto'
import { generateMinuteCandles, SYNTHETIC_MARKETS, DEFAULT_ORIGIN_MS } from '../../shared/synthetic/index.ts'
import { tryResolveParams } from '../../shared/strategies/index.ts'
import { err, ok, type Result } from '../../shared/result.ts'
import type { Journal } from '../journal/index.ts'
import { DEFAULT_LIMITS, StrategySandbox, type SandboxLimits } from '../strategies/sandbox.ts'
import type { PromotionBody } from './schema.ts'
import type { CheckedUserStrategy, FieldProblem } from './validate.ts'

export const AUDIT_BARS = 3_000

export const sourceHash = (source: string): string => createHash('sha256').update(source, 'utf8').digest('hex')

/** The synthetic series edge audits promoted strategies on. */
export function auditSeries() {
  return generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + AUDIT_BARS * 60_000)
}

const problem = (field: string, text: string): Result<never, FieldProblem> => err({ kind: 'field', field, problem: text })

export async function checkUserStrategy(
  body: PromotionBody,
  journal: Journal,
  nowMs: number,
  limits: SandboxLimits = DEFAULT_LIMITS,
): Promise<Result<CheckedUserStrategy, FieldProblem>> {
  const source = body.strategy.source
  if (source === undefined) return problem('strategy.source', 'a user strategy is promoted with its source')
  const opened = await StrategySandbox.open(source, limits)
  if (!opened.ok) {
    const e = opened.error
    return problem('strategy.source', `${e.stage} error${e.line !== undefined ? ` at line ${e.line}` : ''}: ${e.message}`)
  }
  const box = opened.value
  try {
    const meta = box.meta
    if (meta.id !== body.strategy.id) return problem('strategy.id', `the source defines ${meta.id}, not ${body.strategy.id}`)
    if (meta.version !== body.strategy.version)
      return problem('strategy.version', `the source declares version ${meta.version}, not ${body.strategy.version}`)
    const params = tryResolveParams(meta, body.params)
    if (!params.ok) return problem(`params.${params.error.param}`, params.error.message)
    let report
    try {
      report = await box.audit(auditSeries(), params.value)
    } catch (e) {
      return problem('strategy.source', `the audits could not run: ${e instanceof Error ? e.message : String(e)}`)
    }
    for (const r of report.results) {
      if (r.ok || r.name === 'speed') continue
      if (r.name === 'lookahead' && body.strategy.lookaheadOverride !== undefined) continue
      const hint = r.name === 'lookahead' ? ' (promote anyway only with strategy.lookaheadOverride: { reason })' : ''
      return problem('strategy.source', `${r.name} audit failed: ${r.detail}${hint}`)
    }
    const hash = sourceHash(source)
    journal.sources.put({ hash, strategyId: meta.id, version: meta.version, source }, nowMs)
    return ok({
      id: meta.id,
      version: meta.version,
      params: meta.params,
      sourceHash: hash,
      // The speed audit's figure varies run to run: kept out of the stored (hashed) config, so the
      // same promotion posted again is the same promotion.
      audits: report.results.map(({ name, ok: passed, detail }) =>
        name === 'speed'
          ? { name, ok: passed, detail: 'measured at promotion (not stored: it varies between runs)' }
          : { name, ok: passed, detail },
      ),
      ...(body.strategy.lookaheadOverride ? { lookaheadOverride: body.strategy.lookaheadOverride } : {}),
    })
  } finally {
    await box.close()
  }
}
