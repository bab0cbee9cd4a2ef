// Checks a parsed promotion body against the lab's own rules and returns the config to store:
// the strategy must be registered at the stated version (shared/strategies), its params must
// resolve against the strategy's schema (and are stored resolved, defaults filled in, so the
// stored config does not depend on defaults that may change), and the execution config must pass
// shared/engine's checkExecConfig on Upbit's KRW rules. Every problem names the body field.
import type { ExecConfig } from '../../shared/engine/types.ts'
import { checkExecConfig } from '../../shared/engine/params.ts'
import { err, ok, type Result } from '../../shared/result.ts'
import { findStrategy, strategyIds, tryResolveParams, type Params } from '../../shared/strategies/index.ts'
import { UPBIT_KRW_RULES } from '../../shared/upbit/venue-rules.ts'
import type { ParamSpec } from '../../shared/strategies/types.ts'
import type { PromotionBody, RiskLimits } from './schema.ts'

/** A user strategy already loaded and audited by the caller (edge/promotions/user-strategy.ts). */
export interface CheckedUserStrategy {
  readonly id: string
  readonly version: number
  readonly params: readonly ParamSpec[]
  /** SHA-256 (hex) of the source text, under which the journal stores it. */
  readonly sourceHash: string
  /** The audits edge ran: name → passed, and the failing detail. */
  readonly audits: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail: string }>
  readonly lookaheadOverride?: { readonly reason: string }
}

/** The stored config: the body with params resolved. Its canonical JSON is hashed. */
export interface PromotionConfig {
  /** Built-ins: id and version. User strategies add the source's hash, the audits and any override. */
  readonly strategy: {
    readonly id: string
    readonly version: number
    readonly sourceHash?: string
    readonly audits?: CheckedUserStrategy['audits']
    readonly lookaheadOverride?: { readonly reason: string }
  }
  readonly params: Params
  readonly market: string
  readonly timeframe: PromotionBody['timeframe']
  readonly exec: ExecConfig
  readonly risk: RiskLimits
  readonly backtest: PromotionBody['backtest']
  /** The lab's pre-promotion checklist, when it sent one. */
  readonly checklist?: NonNullable<PromotionBody['checklist']>
}

export interface FieldProblem {
  readonly kind: 'field'
  /** Dot path in the body, e.g. `params.period`, `exec.sizing.fractionRate`. */
  readonly field: string
  readonly problem: string
}

const problem = (field: string, text: string): Result<never, FieldProblem> => err({ kind: 'field', field, problem: text })

// checkExecConfig's messages start with the config key (`feeRate must be …`, `sizing.kind must be …`).
const EXEC_KEY = /^([A-Za-z]+(?:\.[A-Za-z]+)?) /

export function validatePromotion(body: PromotionBody, user?: CheckedUserStrategy): Result<PromotionConfig, FieldProblem> {
  if (body.strategy.source !== undefined && user === undefined)
    return problem('strategy.source', 'only user strategies (user.…) carry a source')
  const def = user ?? findStrategy(body.strategy.id)
  if (def === undefined)
    return problem(
      'strategy.id',
      `unknown strategy '${body.strategy.id}' (registered: ${strategyIds.join(', ')}; user strategies are user.… with their source)`,
    )
  if (def.version !== body.strategy.version) {
    return problem(
      'strategy.version',
      `strategy '${def.id}' is at version ${def.version}, not ${body.strategy.version}: backtest it again on this version`,
    )
  }
  const params = tryResolveParams(def, body.params)
  if (!params.ok) return problem(`params.${params.error.param}`, params.error.message)

  const exec = checkExecConfig(body.exec, UPBIT_KRW_RULES)
  if (!exec.ok) {
    const first = exec.error.messages[0] ?? 'invalid execution config'
    return problem(`exec.${EXEC_KEY.exec(first)?.[1] ?? 'sizing'}`, first)
  }
  if (body.exec.minOrderQuote < UPBIT_KRW_RULES.minOrderQuote) {
    return problem('exec.minOrderQuote', `must be at least the venue's minimum order of ${UPBIT_KRW_RULES.minOrderQuote} KRW`)
  }
  if (body.risk.maxPositionQuote < body.exec.minOrderQuote) {
    return problem(
      'risk.maxPositionQuote',
      `${body.risk.maxPositionQuote} KRW is under the minimum order (${body.exec.minOrderQuote}): no order could be placed`,
    )
  }
  const range = body.backtest.range
  if (range.fromMs >= range.toMs) return problem('backtest.range.toMs', 'must be after fromMs')
  const flagged = body.checklist?.items.filter((i) => i.level !== 'green') ?? []
  if (flagged.length > 0 && body.checklist!.confirmation !== body.market) {
    return problem(
      'checklist.confirmation',
      `${flagged.length} checklist item(s) are amber or red (${flagged.map((i) => i.id).join(', ')}): type the market name (${body.market}) to promote anyway`,
    )
  }

  return ok({
    strategy:
      user === undefined
        ? { id: def.id, version: def.version }
        : {
            id: user.id,
            version: user.version,
            sourceHash: user.sourceHash,
            audits: user.audits,
            ...(user.lookaheadOverride ? { lookaheadOverride: user.lookaheadOverride } : {}),
          },
    params: params.value,
    market: body.market,
    timeframe: body.timeframe,
    exec: body.exec,
    risk: body.risk,
    backtest: body.backtest,
    ...(body.checklist !== undefined ? { checklist: body.checklist } : {}),
  })
}
