// Running a strategy cell: hash the source, load it in the cell's strategy worker (transpile,
// SES compartment, module checks), save it in the lab's library by that hash (so backtest cells
// can pick it and reopen exactly this version later), then run the audits in the same worker on
// the data cell's candles above, or on the seeded synthetic series edge audits promotions on.
// A source that does not load fails the run with the line and column in the message (the editor
// underlines them); the previous good output stays on screen.
import type { UserStrategyMeta } from '../../../../shared/strategies/user/module.ts'
import type { SourceError } from '../../../../shared/strategies/user/source.ts'
import { sha256Hex, strategyChecks, userStrategyLibrary, type AuditOutcome, type AuditSummary } from '../../../strategies/index.ts'
import type { RunContext } from '../types.ts'
import type { StrategyCellParams } from './params.ts'

export interface StrategyOutput {
  /** SHA-256 of the source text: with the declared id and version, the strategy's identity. */
  readonly hash: string
  readonly meta: UserStrategyMeta
  readonly audit: AuditOutcome
  /** What the audits ran on, in words ("KRW-BTC 1m, sim: 2,880 bars" or the synthetic series). */
  readonly on: string
}

const STAGE: Record<SourceError['stage'], string> = {
  syntax: 'Syntax error',
  evaluate: 'Error while loading',
  module: 'Not a strategy module',
}

/** The line a module-shape problem is about: the field its message names, when the source has it. */
function fieldLine(source: string, message: string): number | undefined {
  const field = /^(params|id|version|warmup|signals)\b/.exec(message)?.[1]
  if (field === undefined) return undefined
  const lines = source.split('\n')
  const i = lines.findIndex((l) => new RegExp(`^\\s*${field}\\b\\s*[:(]`).test(l))
  return i < 0 ? undefined : i + 1
}

/** One sentence for the cell's error, with "at line L, column C" when known (see sourceErrorAt). */
export function sourceErrorText(e: SourceError, source: string): string {
  const line = e.line ?? (e.stage === 'module' ? fieldLine(source, e.message) : undefined)
  const at = line === undefined ? '' : ` at line ${line}${e.column === undefined ? '' : `, column ${e.column}`}`
  return `${STAGE[e.stage]}${at}: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}`
}

/** The position a cell error names, for the editor's underline. */
export function sourceErrorAt(message: string): { line: number; column?: number } | null {
  const m = /\bat line (\d+)(?:, column (\d+))?/.exec(message)
  return m === null ? null : { line: Number(m[1]), ...(m[2] !== undefined ? { column: Number(m[2]) } : {}) }
}

export const summaryOfAudit = (a: AuditOutcome, atMs: number): AuditSummary => ({
  ok: a.report.ok,
  results: a.report.results.map((r) => ({ name: r.name, ok: r.ok, detail: r.detail })),
  bars: a.bars,
  synthetic: a.synthetic,
  atMs,
})

export async function runStrategyCell(ctx: RunContext<StrategyCellParams>): Promise<StrategyOutput> {
  const { source } = ctx.params
  const checks = strategyChecks()
  const library = userStrategyLibrary()
  ctx.progress({ fraction: null, text: 'loading' })
  const hash = await sha256Hex(source)
  const compiled = await checks.compile(ctx.cellId, source, ctx.signal)
  if (!compiled.ok) throw new Error(sourceErrorText(compiled.error, source))
  const meta = compiled.value
  await library.save(source, hash, meta, ctx.services.now())

  ctx.progress({ fraction: null, text: 'auditing' })
  const input = ctx.inputs.series
  const audited = await checks.audit(ctx.cellId, source, input?.series ?? null, {}, ctx.signal)
  if (!audited.ok) throw new Error(sourceErrorText(audited.error, source))
  void library.setAudit(hash, summaryOfAudit(audited.value, ctx.services.now()))
  const on =
    input === undefined || audited.value.synthetic
      ? `the synthetic KRW-BTC 1m series (${audited.value.bars.toLocaleString('en-US')} bars, the one edge audits on; no data cell above)`
      : `${input.key.market} ${input.key.timeframe} (${input.key.venue}), ${audited.value.bars.toLocaleString('en-US')} bars from the data cell above`
  return { hash, meta, audit: audited.value, on }
}
