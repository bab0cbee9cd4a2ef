// The audits as the strategy cell shows them: one badge per audit (name, icon, a short verdict),
// in a fixed order, with the long sentence, the failing bar (and its time) and the two differing
// values for its details. Not colour alone: ✓ ✗ ! and words.
import type { AuditedResult, AuditOutcome } from '../../../strategies/index.ts'
import { fmtInt, fmtUtc } from '../data/format.ts'

export const AUDIT_ORDER = ['shape', 'determinism', 'warmup', 'lookahead', 'speed'] as const
export type AuditKey = (typeof AUDIT_ORDER)[number]

export const AUDIT_LABELS: Readonly<Record<AuditKey, string>> = {
  shape: 'Output shape',
  determinism: 'Determinism',
  warmup: 'Warm-up',
  lookahead: 'Look-ahead',
  speed: 'Speed',
}

const WHAT: Readonly<Record<AuditKey, string>> = {
  shape: 'signals returns an Int8Array with one value in {−1, 0, 1} per bar.',
  determinism: 'Two runs on the same candles give the same signals.',
  warmup: 'No signal before the declared warm-up.',
  lookahead: 'Signals computed with the later bars cut off equal the full run’s (20 cut points).',
  speed: 'Time of one signals() run over the series.',
}

/** Above this a rule is called slow: a 90-day 1m series (≈130,000 bars) would take over a second per run. */
export const SLOW_NS_PER_BAR = 10_000

export type BadgeTone = 'ok' | 'bad' | 'warn' | 'muted'

export interface AuditBadge {
  readonly key: AuditKey
  readonly label: string
  readonly tone: BadgeTone
  readonly icon: string
  readonly short: string
  readonly long: string
  /** What the audit checks. */
  readonly what: string
  readonly bar?: number
  readonly barTimeMs?: number
  /** [full run, cut or second run] for look-ahead and determinism; [signal, 0] for warm-up. */
  readonly values?: readonly [number, number]
  readonly valueLabels?: readonly [string, string]
}

const sig = (x: number): string => (Number.isNaN(x) ? 'nothing' : x > 0 ? '+1' : x < 0 ? '−1' : '0')

const VALUE_LABELS: Partial<Record<AuditKey, readonly [string, string]>> = {
  lookahead: ['with all bars', 'with later bars cut'],
  determinism: ['first run', 'second run'],
  warmup: ['signal', 'expected'],
}

function badgeOf(key: AuditKey, r: AuditedResult | undefined, nsPerBar: number): AuditBadge {
  const base = { key, label: AUDIT_LABELS[key], what: WHAT[key] }
  if (r === undefined)
    return { ...base, tone: 'muted', icon: '–', short: 'not run', long: 'Not run: an earlier audit failed (output shape).' }
  if (key === 'speed') {
    const slow = Number.isFinite(nsPerBar) && nsPerBar > SLOW_NS_PER_BAR
    const ns = Number.isFinite(nsPerBar) ? `${fmtInt(Math.round(nsPerBar))} ns/bar` : '—'
    return {
      ...base,
      tone: !r.ok ? 'bad' : slow ? 'warn' : 'ok',
      icon: !r.ok ? '✗' : slow ? '!' : '✓',
      short: ns,
      long: r.detail + (slow ? ' Slow: long series will take a while.' : ''),
    }
  }
  if (r.ok) return { ...base, tone: 'ok', icon: '✓', short: 'passed', long: r.detail }
  const hint = sandboxHint(r.detail)
  const at = r.bar === undefined ? '' : `bar ${fmtInt(r.bar)}`
  const vals = r.values === undefined ? '' : `: ${sig(r.values[0])} vs ${sig(r.values[1])}`
  return {
    ...base,
    tone: 'bad',
    icon: '✗',
    short: at === '' ? 'failed' : `${at}${vals}`,
    long: r.detail + (r.barTimeMs !== undefined ? ` (bar ${fmtInt(r.bar!)} opens ${fmtUtc(r.barTimeMs)} UTC)` : '') + hint,
    ...(r.bar !== undefined ? { bar: r.bar } : {}),
    ...(r.barTimeMs !== undefined ? { barTimeMs: r.barTimeMs } : {}),
    ...(r.values !== undefined ? { values: r.values, valueLabels: VALUE_LABELS[key] ?? ['value', 'other'] } : {}),
  }
}

/** What the sandbox took away, when an error says the rule reached for it. */
function sandboxHint(detail: string): string {
  if (/Date/.test(detail) && /secure mode|not a function|not defined/.test(detail))
    return ' Strategies have no clock: use the bar times in series.time.'
  if (/random/.test(detail)) return ' Strategies have no Math.random: a rule must give the same signals on the same bars.'
  if (/\b(fetch|window|self|document|localStorage|indexedDB|setTimeout|setInterval|XMLHttpRequest)\b/.test(detail))
    return ' Strategies run sandboxed: no network, storage, DOM or timers.'
  return ''
}

/** The five badges of an audit, in order. */
export function auditBadges(a: AuditOutcome): AuditBadge[] {
  const by = new Map(a.report.results.map((r) => [r.name, r]))
  return AUDIT_ORDER.map((k) => badgeOf(k, by.get(k), a.report.nsPerBar))
}

export const signalText = sig
