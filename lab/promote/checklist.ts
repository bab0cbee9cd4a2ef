// The checklist shown before a promotion is sent (issue 14 item 4): each item green, amber or
// red, with the figure and why. Pure: the figures come from a backtest cell's result (metrics,
// trade count, look-ahead check, data range and venue), its origin (the sweep evidence an
// optimize cell attached: out-of-sample result, deflated Sharpe, PBO) and, for a user strategy,
// its last audits. Amber and red do not block: the user may still promote after typing the
// market's name, and the checklist is stored with the promotion on edge.
import type { Metrics } from '../../shared/metrics/types.ts'
import type { BacktestOrigin } from '../notebook/cells/backtest/params.ts'
import type { LookaheadState } from '../notebook/cells/backtest/lookahead.svelte.ts'
import { fmtPct, fmtRatio } from '../notebook/cells/backtest/format.ts'
import { fmtInt, fmtUtc } from '../notebook/cells/data/format.ts'
import type { AuditSummary } from '../strategies/index.ts'

export type Level = 'green' | 'amber' | 'red'

export interface ChecklistItem {
  /** Stable id (edge: letters, digits, _ or -). */
  readonly id: string
  readonly label: string
  readonly level: Level
  /** The figure and why this level, in words. */
  readonly detail: string
}

export interface DataFacts {
  readonly venue: string
  readonly market: string
  readonly timeframe: string
  /** First bar's open time and the end of the last bar (epoch ms UTC). */
  readonly fromMs: number
  readonly toMs: number
  readonly bars: number
  /** Share of the requested range stored (downloaded), 0..1. */
  readonly coveredShare: number
}

export interface ChecklistFacts {
  /** The sweep evidence (an optimize cell opened this backtest); null: typed by hand. */
  readonly origin: BacktestOrigin | null
  readonly metrics: Metrics
  readonly lookahead: LookaheadState
  readonly data: DataFacts
  /** A user strategy: its last audits in this browser (undefined: never audited here); null: a built-in. */
  readonly audits: AuditSummary | undefined | null
}

/** Where the levels change (README "Promote"). */
export const THRESHOLDS = {
  /** Trades below `red` say nothing; below `amber`, little. */
  trades: { red: 10, amber: 30 },
  /** Out-of-sample Sharpe below this is weak. */
  oosSharpe: 0.5,
  /** Deflated Sharpe probability: green from `green`, red below `red`. */
  dsr: { green: 0.95, red: 0.5 },
  /** PBO: green below `green`, red from `red`. */
  pbo: { green: 0.2, red: 0.5 },
  /** Data: red under `redBars` bars or `redCovered` stored; amber under `amberDays` days or `amberCovered`. */
  data: { redBars: 200, redCovered: 0.5, amberDays: 30, amberCovered: 0.98 },
} as const

const NO_SWEEP =
  'no sweep evidence: this backtest was not opened from an optimize cell, so nothing says how these settings do on bars they were not tuned on'
const fin = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x)
const signal = (x: number): string => (Number.isNaN(x) ? 'nothing' : x > 0 ? '+1' : x < 0 ? '−1' : '0')
const worst = (a: Level, b: Level): Level => (a === 'red' || b === 'red' ? 'red' : a === 'amber' || b === 'amber' ? 'amber' : 'green')

function result(m: Metrics): ChecklistItem {
  const base = { id: 'result', label: 'Backtest result' }
  const r = m.totalReturn
  const bh = m.buyHoldReturn
  const fig = `net return ${fmtPct(r, true)}, buy-and-hold ${fmtPct(bh, true)}, max drawdown ${fmtPct(m.maxDrawdown)}, Sharpe ${fmtRatio(m.sharpe)}`
  if (!fin(r) || r <= 0) return { ...base, level: 'red', detail: `${fig}: it loses money on these bars` }
  if (fin(bh) && r < bh) return { ...base, level: 'amber', detail: `${fig}: below buying and holding` }
  return { ...base, level: 'green', detail: `${fig}` }
}

function outOfSample(o: BacktestOrigin | null): ChecklistItem {
  const base = { id: 'oos', label: 'Out-of-sample result' }
  if (o === null) return { ...base, level: 'amber', detail: NO_SWEEP }
  if (!fin(o.oosReturn) && !fin(o.oosSharpe))
    return { ...base, level: 'amber', detail: `the sweep (${o.sweepLabel}) had no holdout or walk-forward window: no out-of-sample figure` }
  const fig = `${fin(o.oosReturn) ? fmtPct(o.oosReturn, true) : '—'} out of sample, Sharpe ${fin(o.oosSharpe) ? fmtRatio(o.oosSharpe) : '—'}`
  if (fin(o.oosReturn) && o.oosReturn <= 0) return { ...base, level: 'red', detail: `${fig}: it loses on the bars it was not tuned on` }
  if (fin(o.oosSharpe) && o.oosSharpe < THRESHOLDS.oosSharpe)
    return { ...base, level: 'amber', detail: `${fig}: positive but weak (Sharpe under ${THRESHOLDS.oosSharpe})` }
  if (!fin(o.oosReturn)) return { ...base, level: 'amber', detail: `${fig}: no out-of-sample return` }
  return { ...base, level: 'green', detail: fig }
}

function deflated(o: BacktestOrigin | null): ChecklistItem {
  const base = { id: 'dsr', label: 'Deflated Sharpe' }
  if (o === null)
    return {
      ...base,
      level: 'amber',
      detail: 'no sweep evidence: the deflated Sharpe comes from an optimize cell’s sweep (it allows for how many combos were tried)',
    }
  const p = o.dsrProbability
  const trials = `best of ${fmtInt(o.combos)} combos`
  const dsr = fin(o.deflatedSharpe) ? `, deflated Sharpe ${fmtRatio(o.deflatedSharpe)}` : ''
  if (!fin(p)) return { ...base, level: 'amber', detail: `not computed for this sweep (${trials})${dsr}` }
  const fig = `P(true Sharpe beats the luck of the ${trials}) = ${fmtRatio(p)}${dsr}`
  if (p >= THRESHOLDS.dsr.green) return { ...base, level: 'green', detail: `${fig}: the Sharpe survives the search` }
  if (p < THRESHOLDS.dsr.red) return { ...base, level: 'red', detail: `${fig}: the number of tries explains the Sharpe` }
  return { ...base, level: 'amber', detail: `${fig}: under ${THRESHOLDS.dsr.green}, luck is not ruled out` }
}

function overfitting(o: BacktestOrigin | null): ChecklistItem {
  const base = { id: 'pbo', label: 'Probability of overfitting (PBO)' }
  if (o === null)
    return {
      ...base,
      level: 'amber',
      detail: 'no sweep evidence: PBO comes from an optimize cell’s sweep (how often its in-sample winner loses out of sample)',
    }
  if (!fin(o.pbo)) return { ...base, level: 'amber', detail: 'not computed for this sweep (too few days, or too few candidates)' }
  const fig = `PBO ${fmtRatio(o.pbo)}`
  if (o.pbo < THRESHOLDS.pbo.green) return { ...base, level: 'green', detail: `${fig}: the in-sample winner keeps winning out of sample` }
  if (o.pbo >= THRESHOLDS.pbo.red) return { ...base, level: 'red', detail: `${fig}: picking the best combo is noise` }
  return { ...base, level: 'amber', detail: `${fig}: the in-sample winner often falls below the median out of sample` }
}

function trades(m: Metrics): ChecklistItem {
  const base = { id: 'trades', label: 'Trade count' }
  const n = fin(m.trades) ? m.trades : 0
  const fig = `${fmtInt(n)} closed trade${n === 1 ? '' : 's'}`
  if (n < THRESHOLDS.trades.red) return { ...base, level: 'red', detail: `${fig}: too few to tell skill from luck` }
  if (n < THRESHOLDS.trades.amber) return { ...base, level: 'amber', detail: `${fig}: few; the figures can swing a lot` }
  return { ...base, level: 'green', detail: fig }
}

function lookahead(s: LookaheadState): ChecklistItem {
  const base = { id: 'lookahead', label: 'Look-ahead check' }
  switch (s.kind) {
    case 'passed':
      return { ...base, level: 'green', detail: `no look-ahead found at ${fmtInt(s.cuts.length)} cut points` }
    case 'found': {
      const f = s.found
      const when = Number.isFinite(f.barTimeMs) ? ` (${fmtUtc(f.barTimeMs)} UTC)` : ''
      return {
        ...base,
        level: 'red',
        detail: `looks ahead: bar ${fmtInt(f.bar)}${when} is ${signal(f.fullValue)} with all bars but ${signal(f.cutValue)} with the bars after ${fmtInt(f.cutAt)} removed`,
      }
    }
    case 'checking':
      return { ...base, level: 'amber', detail: 'still checking in the worker: wait a moment' }
    case 'stopped':
      return { ...base, level: 'amber', detail: 'not checked: newer settings replaced this result before the check finished' }
    case 'error':
      return { ...base, level: 'amber', detail: `not checked: ${s.message}` }
  }
}

function dataRange(d: DataFacts): ChecklistItem {
  const base = { id: 'data', label: 'Data range and venue' }
  const days = (d.toMs - d.fromMs) / 86_400_000
  const fig =
    `${d.venue} ${d.market} ${d.timeframe}, ${fmtUtc(d.fromMs)} → ${fmtUtc(d.toMs)} UTC, ${fmtInt(d.bars)} bars ` +
    `(${days < 10 ? days.toFixed(1) : fmtInt(Math.round(days))} days), ${Math.floor(d.coveredShare * 1000) / 10}% of the range stored`
  const why: string[] = []
  let level: Level = 'green'
  const T = THRESHOLDS.data
  if (d.bars < T.redBars || d.coveredShare < T.redCovered) {
    level = 'red'
    why.push(d.bars < T.redBars ? `under ${T.redBars} bars` : 'most of the range is missing')
  }
  if (d.venue !== 'upbit') {
    level = worst(level, 'amber')
    why.push(`the ${d.venue} venue's prices, not Upbit's`)
  }
  if (days < T.amberDays) {
    level = worst(level, 'amber')
    why.push(`under ${T.amberDays} days: one market regime at most`)
  }
  if (d.coveredShare < T.amberCovered && d.coveredShare >= T.redCovered) {
    level = worst(level, 'amber')
    why.push('parts of the range are missing')
  }
  return { ...base, level, detail: why.length === 0 ? fig : `${fig}: ${why.join('; ')}` }
}

function audits(a: AuditSummary | undefined): ChecklistItem {
  const base = { id: 'audits', label: 'Strategy audits' }
  if (a === undefined)
    return {
      ...base,
      level: 'amber',
      detail: 'not audited in this browser (run its strategy cell); edge runs the audits again before it accepts',
    }
  const bad = a.results.filter((r) => !r.ok && r.name !== 'speed')
  const on = a.synthetic ? 'the synthetic audit series' : `${fmtInt(a.bars)} bars of the data cell`
  if (bad.length === 0) return { ...base, level: 'green', detail: `shape, determinism, warm-up and look-ahead passed on ${on}` }
  const blocking = bad.filter((r) => r.name !== 'lookahead')
  const text = bad.map((r) => `${r.name}: ${r.detail}`).join('; ')
  return {
    ...base,
    level: 'red',
    detail:
      blocking.length > 0
        ? `${text}. Edge refuses a strategy that fails these`
        : `${text}. Edge accepts it only with a reason for the look-ahead`,
  }
}

/** The checklist, in the order shown. */
export function buildChecklist(f: ChecklistFacts): ChecklistItem[] {
  const items = [
    result(f.metrics),
    outOfSample(f.origin),
    deflated(f.origin),
    overfitting(f.origin),
    trades(f.metrics),
    lookahead(f.lookahead),
    dataRange(f.data),
  ]
  if (f.audits !== null) items.push(audits(f.audits))
  return items
}

/** Items that need the typed confirmation. */
export const flagged = (items: readonly ChecklistItem[]): ChecklistItem[] => items.filter((i) => i.level !== 'green')

export function levelCounts(items: readonly ChecklistItem[]): Record<Level, number> {
  const c: Record<Level, number> = { green: 0, amber: 0, red: 0 }
  for (const i of items) c[i.level]++
  return c
}

/** Whether the typed confirmation lets the promotion go: always when all is green, else the exact market name. */
export const confirmed = (items: readonly ChecklistItem[], typed: string, market: string): boolean =>
  flagged(items).length === 0 || typed.trim() === market
