// What the output shows, computed once per result and free of Svelte: the headline figures with
// their conventions (design §7.4) and tones, and the rows of the trades and rejected tables.
import type { Trade } from '../../../../shared/engine/index.ts'
import type { Metrics } from '../../../../shared/metrics/types.ts'
import { fmtInt } from '../data/format.ts'
import { DASH, fmtKrw, fmtPct, fmtRatio } from './format.ts'
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
  trades: 'Entry-to-exit round trips, plus a position still open at the end.',
  winRate: 'Winning closed trades / closed trades, after fees (a zero-profit trade is not a win).',
  profitFactor: 'Gross profit / gross loss of closed trades, in KRW ("—" when there is no loss).',
  exposure: 'Share of bars holding a position at the close.',
  feesPaid: 'Fees of every fill, including the entry fee of a position still open.',
} as const

export function headline(m: Metrics): Figure[] {
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
    fig('trades', 'Trades', m.trades, Number.isFinite(m.trades) ? fmtInt(m.trades) : DASH, 'flat'),
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

export function tradeRows(o: BacktestOutput): TradeRow[] {
  const lastBar = o.source.series.close.length - 1
  return o.result.trades.map((t, i) => {
    const open = t.exitBar < 0
    return { n: i + 1, trade: t, open, barsHeld: (open ? lastBar : t.exitBar) - t.entryBar }
  })
}

const sortValue = (r: TradeRow, key: TradeSortKey): number | string => {
  switch (key) {
    case 'n':
      return r.n
    case 'barsHeld':
      return r.barsHeld
    case 'exitReason':
      return r.trade.exitReason
    default:
      return r.trade[key]
  }
}

/** A stable sort; NaN values go last whatever the direction. */
export function sortTrades(rows: readonly TradeRow[], key: TradeSortKey, dir: 'asc' | 'desc'): TradeRow[] {
  const k = dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key)
    const y = sortValue(b, key)
    if (typeof x === 'string' || typeof y === 'string') return k * String(x).localeCompare(String(y)) || a.n - b.n
    const xn = Number.isNaN(x)
    const yn = Number.isNaN(y)
    if (xn || yn) return xn === yn ? a.n - b.n : xn ? 1 : -1
    return k * (x - y) || a.n - b.n
  })
}

export const REJECT_TEXT: Readonly<Record<string, string>> = {
  'below-minimum': 'Order value below the exchange minimum (5,000 KRW)',
  'insufficient-cash': 'Not enough cash for the order and its fee',
  'zero-size': 'The sizing rule gave a zero quantity',
}
