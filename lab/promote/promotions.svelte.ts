// The promotions list's state: the promotions on edge (newest first) and, per promotion, its diff
// to the previous version of the same lineage (strategy id and market), fetched when opened.
import { fmtUtc } from '../notebook/cells/data/format.ts'
import { shortHash } from '../strategies/hash.ts'
import {
  apiErrorText,
  previousInLineage,
  promotionsApi,
  type ConfigChange,
  type Promotion,
  type PromotionDiff,
  type PromotionsApi,
} from './api.ts'

export type DiffState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'first' }
  | { readonly kind: 'ready'; readonly previous: Promotion; readonly diff: PromotionDiff }
  | { readonly kind: 'error'; readonly message: string }

export interface PromotionRow {
  readonly id: number
  readonly strategy: string
  readonly strategyVersion: number
  /** A user strategy's source hash (short), when it is one. */
  readonly source: string | null
  readonly market: string
  readonly timeframe: string
  readonly lineageVersion: number
  readonly hash: string
  readonly hashShort: string
  readonly created: string
  readonly retired: string | null
  readonly flagged: number
}

export function rowOf(p: Promotion): PromotionRow {
  return {
    id: p.id,
    strategy: p.strategy.id,
    strategyVersion: p.strategy.version,
    source: p.config.strategy.sourceHash === undefined ? null : shortHash(p.config.strategy.sourceHash),
    market: p.market,
    timeframe: p.timeframe,
    lineageVersion: p.version,
    hash: p.hash,
    hashShort: shortHash(p.hash),
    created: fmtUtc(p.createdAtMs),
    retired: p.retired && p.retiredAtMs !== null ? fmtUtc(p.retiredAtMs) : p.retired ? 'retired' : null,
    flagged: p.config.checklist?.items.filter((i) => i.level !== 'green').length ?? 0,
  }
}

/**
 * A diff value in words: numbers to 6 significant digits, absent as "—", a checklist as its level
 * counts, audits as their verdicts, anything else as (short) JSON.
 */
export function changeText(x: unknown, present: boolean): string {
  if (!present) return '—'
  if (typeof x === 'number') return Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)))) : '—'
  if (typeof x === 'string') return x
  if (x === null) return 'null'
  if (Array.isArray(x) && x.every((i) => typeof i === 'object' && i !== null && 'level' in i)) {
    const n = { green: 0, amber: 0, red: 0 } as Record<string, number>
    for (const i of x as { level: string }[]) n[i.level] = (n[i.level] ?? 0) + 1
    return `${x.length} items: ${n.green} green, ${n.amber} amber, ${n.red} red`
  }
  if (Array.isArray(x) && x.every((i) => typeof i === 'object' && i !== null && 'name' in i && 'ok' in i))
    return (x as { name: string; ok: boolean }[]).map((a) => `${a.name} ${a.ok ? '✓' : '✗'}`).join(' · ')
  const j = JSON.stringify(x)
  return j.length > 120 ? `${j.slice(0, 117)}…` : j
}

/** The full value, for a tooltip. */
export const changeTitle = (x: unknown, present: boolean): string => (!present ? 'absent' : typeof x === 'string' ? x : JSON.stringify(x))

// What a reader looks for first: the rule and its settings, then the execution and risk, then
// the data; the backtest's figures (which change with any of those) and the checklist last.
const ORDER = ['strategy.', 'params.', 'market', 'timeframe', 'exec.', 'risk.', 'backtest.range.', 'checklist.']
const rank = (path: string): number => {
  const i = ORDER.findIndex((p) => path === p || path.startsWith(p))
  return i < 0 ? ORDER.length : i
}

/** A diff's changes: the settings (ordered as above) and, apart, the backtest's figures. */
export function groupChanges(changes: readonly ConfigChange[]): { settings: ConfigChange[]; figures: ConfigChange[] } {
  const figures = changes.filter((c) => c.path.startsWith('backtest.metrics.'))
  const settings = changes
    .filter((c) => !c.path.startsWith('backtest.metrics.'))
    .sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : 1))
  return { settings, figures }
}

export class PromotionsList {
  items = $state.raw<Promotion[]>([])
  status = $state<'loading' | 'ready' | 'error'>('loading')
  error = $state<string | null>(null)
  diffs = $state.raw<Readonly<Record<number, DiffState>>>({})

  constructor(private readonly api: PromotionsApi = promotionsApi()) {}

  async refresh(): Promise<void> {
    this.status = this.items.length === 0 ? 'loading' : this.status
    try {
      this.items = await this.api.list()
      this.status = 'ready'
      this.error = null
    } catch (e) {
      this.status = 'error'
      this.error = apiErrorText(e)
    }
  }

  /** Fetches the diff of `p` to the previous version of its lineage (once). */
  async loadDiff(p: Promotion): Promise<void> {
    const had = this.diffs[p.id]
    if (had !== undefined && had.kind !== 'error') return
    const previous = previousInLineage(p, this.items)
    if (previous === undefined) {
      this.diffs = { ...this.diffs, [p.id]: { kind: 'first' } }
      return
    }
    this.diffs = { ...this.diffs, [p.id]: { kind: 'loading' } }
    try {
      const diff = await this.api.diff(previous.id, p.id)
      this.diffs = { ...this.diffs, [p.id]: { kind: 'ready', previous, diff } }
    } catch (e) {
      this.diffs = { ...this.diffs, [p.id]: { kind: 'error', message: apiErrorText(e) } }
    }
  }
}
