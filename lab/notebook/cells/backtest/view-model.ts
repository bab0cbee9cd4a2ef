// What the output shows, computed once per result and free of Svelte: the headline figures with
// their conventions (design §7.4) and tones, the rows of the trades and rejected tables, the
// look-ahead check in words, and the view settings a cell keeps across reloads.
import { tradeAt, tradeCount, TRADE_COL, TRADE_STRIDE } from '../../../../shared/backtest/index.ts'
import { EXIT_REASONS, type Trade } from '../../../../shared/engine/index.ts'
import type { Metrics } from '../../../../shared/metrics/types.ts'
import type { UiValue } from '../../model/types.ts'
import { fmtInt, fmtUtc } from '../data/format.ts'
import { DASH, fmtKrw, fmtPct, fmtRatio } from './format.ts'
import type { LookaheadState } from './lookahead.svelte.ts'
import type { BacktestOutput } from './run.ts'

export type Tone = 'up' | 'down' | 'flat'

export interface Figure {
  readonly key: string
  readonly label: string
  readonly value: number
  readonly text: string
  /** The convention, shown on hover. */
  readonly title: string
  readonly tone: Tone
  /** Worse than buy-and-hold over the same bars (net return only). */
  readonly worseThanBuyHold: boolean
}

const toneOf = (n: number, pivot = 0): Tone => (!Number.isFinite(n) || n === pivot ? 'flat' : n > pivot ? 'up' : 'down')

export const METRIC_TITLES = {
  totalReturn: 'Final equity / initial cash − 1. Equity is marked to market at every bar close; fees included.',
  buyHoldReturn: 'Buy-and-hold over the same bars: last close / first close − 1 (no fees).',
  maxDrawdown: 'Largest peak-to-trough fall of the bar equity curve, as a negative fraction.',
  sharpe: 'mean / sample std of daily returns × √365, risk-free 0. Days are UTC days; the first return is from the initial cash.',
  trades:
    'Closed entry-to-exit round trips. A position still open at the end is listed in the Trades tab and shown here as "+ 1 open", not counted.',
  winRate: 'Winning closed trades / closed trades, after fees (a zero-profit trade is not a win).',
  profitFactor: 'Gross profit / gross loss of closed trades, in KRW ("—" when there is no loss).',
  exposure: 'Share of bars holding a position at the close.',
  feesPaid: 'Fees of every fill, including the entry fee of a position still open.',
} as const

/** `openTrades`: positions still open at the end (listed with the trades, not counted in the metric). */
export function headline(m: Metrics, openTrades = 0): Figure[] {
  const worse = Number.isFinite(m.totalReturn) && Number.isFinite(m.buyHoldReturn) && m.totalReturn < m.buyHoldReturn
  const fig = (
    key: keyof typeof METRIC_TITLES,
    label: string,
    value: number,
    text: string,
    tone: Tone,
    worseThanBuyHold = false,
  ): Figure => ({
    key,
    label,
    value,
    text,
    title: METRIC_TITLES[key],
    tone,
    worseThanBuyHold,
  })
  return [
    fig('totalReturn', 'Net return', m.totalReturn, fmtPct(m.totalReturn, true), toneOf(m.totalReturn), worse),
    fig('buyHoldReturn', 'Buy & hold', m.buyHoldReturn, fmtPct(m.buyHoldReturn, true), toneOf(m.buyHoldReturn)),
    fig('maxDrawdown', 'Max drawdown', m.maxDrawdown, fmtPct(m.maxDrawdown, true), toneOf(m.maxDrawdown)),
    fig('sharpe', 'Sharpe', m.sharpe, fmtRatio(m.sharpe), toneOf(m.sharpe)),
    fig(
      'trades',
      'Trades',
      m.trades,
      (Number.isFinite(m.trades) ? fmtInt(m.trades) : DASH) + (openTrades > 0 ? ` + ${openTrades} open` : ''),
      'flat',
    ),
    fig('winRate', 'Win rate', m.winRate, fmtPct(m.winRate), 'flat'),
    fig('profitFactor', 'Profit factor', m.profitFactor, fmtRatio(m.profitFactor), toneOf(m.profitFactor, 1)),
    fig('exposure', 'Exposure', m.exposure, fmtPct(m.exposure), 'flat'),
    fig('feesPaid', 'Fees', m.feesPaid, `${fmtKrw(m.feesPaid)} KRW`, 'flat'),
  ]
}

/** Net return minus buy-and-hold, the "vs B&H" line under the net return. */
export const excessOverBuyHold = (m: Metrics): number => m.totalReturn - m.buyHoldReturn

export interface TradeRow {
  /** 1-based, in time order. */
  readonly n: number
  readonly trade: Trade
  readonly open: boolean
  readonly barsHeld: number
}

export type TradeSortKey = 'n' | 'entryTimeMs' | 'profitQuote' | 'returnRate' | 'barsHeld' | 'exitReason'

/** The row of trade `i` (0-based). */
export function tradeRow(o: BacktestOutput, i: number): TradeRow {
  const t = tradeAt(o.result.tradeColumns, i)
  const open = t.exitBar < 0
  const lastBar = o.source.series.close.length - 1
  return { n: i + 1, trade: t, open, barsHeld: (open ? lastBar : t.exitBar) - t.entryBar }
}

// Read from the result's trade columns (no object per trade).
const sortValue = (o: BacktestOutput, i: number, key: TradeSortKey): number | string => {
  const c = o.result.tradeColumns
  const at = (k: number): number => c.values[i * TRADE_STRIDE + k]!
  switch (key) {
    case 'n':
      return i
    case 'barsHeld': {
      const exit = at(TRADE_COL.exitBar)
      return (exit < 0 ? o.source.series.close.length - 1 : exit) - at(TRADE_COL.entryBar)
    }
    case 'exitReason':
      return EXIT_REASONS[c.exit[i]!]!
    default:
      return at(TRADE_COL[key])
  }
}

/**
 * The trades' indices in table order: a stable sort (ties keep trade order), NaN values last
 * whatever the direction. Indices rather than row objects: the table builds rows only for what
 * is in view, so thousands of trades cost no allocation per result.
 */
export function tradeOrder(o: BacktestOutput, key: TradeSortKey, dir: 'asc' | 'desc'): Int32Array {
  const n = tradeCount(o.result.tradeColumns)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  if (key === 'n' && dir === 'asc') return order
  const k = dir === 'asc' ? 1 : -1
  const values = Array.from({ length: n }, (_, i) => sortValue(o, i, key))
  return order.sort((a, b) => {
    const x = values[a]!
    const y = values[b]!
    if (typeof x === 'string' || typeof y === 'string') return k * String(x).localeCompare(String(y)) || a - b
    const xn = Number.isNaN(x)
    const yn = Number.isNaN(y)
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1
    return k * (x - y) || a - b
  })
}

export const REJECT_TEXT: Readonly<Record<string, string>> = {
  'below-minimum': 'Order value below the exchange minimum (5,000 KRW)',
  'insufficient-cash': 'Not enough cash for the order and its fee',
  'zero-size': 'The sizing rule gave a zero quantity',
}

export const TABS = ['trades', 'rejected', 'params', 'lookahead'] as const
export type Tab = (typeof TABS)[number]
const SORT_KEYS: readonly TradeSortKey[] = ['n', 'entryTimeMs', 'profitQuote', 'returnRate', 'barsHeld', 'exitReason']

/** How the output is viewed, as kept in the cell's `ui` (anything unknown falls back to the default). */
export interface ResultView {
  readonly tab: Tab
  readonly sortKey: TradeSortKey
  readonly sortDir: 'asc' | 'desc'
  /** Index of the selected trade, or null. */
  readonly selected: number | null
}

export function readView(ui: Readonly<Record<string, UiValue>> | undefined): ResultView {
  const u = ui ?? {}
  const tab = TABS.find((t) => t === u.tab) ?? 'trades'
  const sortKey = SORT_KEYS.find((k) => k === u.sortKey) ?? 'n'
  const sortDir = u.sortDir === 'desc' ? 'desc' : 'asc'
  const sel = u.selected
  return { tab, sortKey, sortDir, selected: typeof sel === 'number' && Number.isInteger(sel) && sel >= 0 ? sel : null }
}

/** A signal value in words: +1 want long, −1 want flat, 0 no opinion. */
export function signalText(v: number): string {
  if (v === 1) return '+1 (long)'
  if (v === -1) return '−1 (flat)'
  if (v === 0) return '0 (no opinion)'
  return 'missing'
}

export interface LookaheadText {
  readonly tone: 'ok' | 'bad' | 'muted'
  readonly icon: string
  /** The badge. */
  readonly short: string
  /** The sentence in the look-ahead tab. */
  readonly long: string
}

export function lookaheadText(s: LookaheadState): LookaheadText {
  switch (s.kind) {
    case 'checking':
      return { tone: 'muted', icon: '◌', short: 'checking look-ahead…', long: 'The check is running in the worker.' }
    case 'passed': {
      const n = fmtInt(s.cuts.length)
      const skipped = s.skipped > 0 ? ` (${fmtInt(s.skipped)} more skipped to bound the work)` : ''
      return {
        tone: 'ok',
        icon: '✓',
        short: `no look-ahead found at ${n} cut points`,
        long: `No look-ahead found: at each of ${n} cut points${skipped}, the signals computed without the later bars equal the full run's.`,
      }
    }
    case 'found': {
      const f = s.found
      const when = Number.isFinite(f.barTimeMs) ? ` (${fmtUtc(f.barTimeMs)} UTC)` : ''
      return {
        tone: 'bad',
        icon: '✗',
        short: `look-ahead at bar ${fmtInt(f.bar)}: ${signalText(f.fullValue)} vs ${signalText(f.cutValue)}`,
        long:
          `Look-ahead found: the signal of bar ${fmtInt(f.bar)}${when} is ${signalText(f.fullValue)} with all bars but ` +
          `${signalText(f.cutValue)} when the bars after ${fmtInt(f.cutAt)} are removed. The strategy uses later bars, so its backtest is not to be trusted.`,
      }
    }
    case 'stopped':
      return {
        tone: 'muted',
        icon: '–',
        short: 'look-ahead check stopped',
        long: 'Stopped: newer settings replaced this result before the check finished.',
      }
    case 'error':
      return { tone: 'bad', icon: '!', short: 'look-ahead check failed', long: `The check could not run: ${s.message}` }
  }
}
