// Exports of a result: trades and equity as CSV (header row, ISO-8601 UTC times, plain numbers a
// spreadsheet or pandas reads; a missing or infinite value is an empty cell, never the words NaN
// or Infinity) and the whole result as JSON with what reproduces it (strategy and version,
// params, execution config, engine version, data range) and the look-ahead check's outcome.
import { ENGINE_VERSION } from '../../../../shared/engine/index.ts'
import type { BacktestOutput } from './run.ts'

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '')

/** One CSV cell: numbers plain (empty when not finite), text quoted when it must be. */
export function csvCell(v: number | string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

const csv = (header: readonly string[], rows: Iterable<readonly (number | string)[]>): string => {
  const lines = [header.join(',')]
  for (const r of rows) lines.push(r.map(csvCell).join(','))
  return lines.join('\n') + '\n'
}

export const TRADE_COLUMNS = [
  'trade',
  'entry_time_utc',
  'entry_price',
  'exit_time_utc',
  'exit_price',
  'qty_base',
  'entry_fee_krw',
  'exit_fee_krw',
  'profit_krw',
  'return_rate',
  'exit_reason',
] as const

export function tradesCsv(o: BacktestOutput): string {
  return csv(
    TRADE_COLUMNS,
    o.result.trades.map((t, i) => [
      i + 1,
      iso(t.entryTimeMs),
      t.entryPrice,
      iso(t.exitTimeMs),
      t.exitPrice,
      t.qtyBase,
      t.entryFeeQuote,
      t.exitFeeQuote,
      t.profitQuote,
      t.returnRate,
      t.exitReason,
    ]),
  )
}

/** Equity at every bar close next to buy-and-hold from the same initial cash, and the drawdown. */
export function* equityRows(o: BacktestOutput): Generator<[number, number, number, number, number]> {
  const { time, close } = o.source.series
  const eq = o.result.equity
  const cash = o.config.initialCash
  let peak = -Infinity
  for (let i = 0; i < eq.length; i++) {
    const e = eq[i]!
    if (e > peak) peak = e
    yield [time[i]!, close[i]!, e, (cash * close[i]!) / close[0]!, e / peak - 1]
  }
}

export function equityCsv(o: BacktestOutput): string {
  const rows = function* (): Generator<(number | string)[]> {
    for (const [t, c, e, bh, dd] of equityRows(o)) yield [iso(t), c, e, bh, dd]
  }
  return csv(['time_utc', 'close', 'equity_krw', 'buy_hold_krw', 'drawdown_rate'], rows())
}

export function metricsCsv(o: BacktestOutput): string {
  return csv(
    ['metric', 'value'],
    Object.entries(o.result.metrics).map(([k, v]) => [k, v]),
  )
}

/** Non-finite numbers become null (JSON has no NaN); the metric convention says "no value". */
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null)

export function resultJson(o: BacktestOutput): string {
  const { key, fromMs, toMs, series } = o.source
  const n = series.time.length
  const doc = {
    format: 'upbit-lab-backtest',
    version: 1,
    engineVersion: ENGINE_VERSION,
    strategy: { id: o.strategy.id, version: o.strategy.version, name: o.strategy.name, params: o.params },
    config: o.config,
    data: {
      ...key,
      fromUtc: iso(fromMs),
      toUtc: iso(toMs),
      bars: n,
      firstBarUtc: iso(series.time[0] ?? NaN),
      lastBarUtc: iso(series.time[n - 1] ?? NaN),
    },
    metrics: Object.fromEntries(Object.entries(o.result.metrics).map(([k, v]) => [k, finiteOrNull(v)])),
    trades: o.result.trades.map((t) => ({
      ...t,
      entryTimeUtc: iso(t.entryTimeMs),
      exitTimeUtc: iso(t.exitTimeMs) || null,
      exitTimeMs: finiteOrNull(t.exitTimeMs),
      exitPrice: finiteOrNull(t.exitPrice),
      profitQuote: finiteOrNull(t.profitQuote),
      returnRate: finiteOrNull(t.returnRate),
    })),
    rejections: o.result.rejections,
    rejected: o.result.rejected.map((r) => ({ ...r, timeUtc: iso(r.timeMs) })),
    pendingAtEnd: o.result.pendingAtEnd,
    lookahead: lookaheadJson(o),
  }
  return JSON.stringify(doc, null, 2) + '\n'
}

/** The look-ahead check as far as it got: passed (with its cut points), found, or null (not finished). */
function lookaheadJson(o: BacktestOutput): unknown {
  const s = o.lookahead.state
  if (s.kind === 'passed') return { ok: true, cutPoints: s.cuts, skipped: s.skipped }
  if (s.kind === 'found')
    return { ok: false, ...s.found, barTimeUtc: iso(s.found.barTimeMs) || null, barTimeMs: finiteOrNull(s.found.barTimeMs) }
  return null
}

/** A file name stem: strategy, market, timeframe and first bar's day. */
export function fileStem(o: BacktestOutput): string {
  const day = iso(o.source.series.time[0] ?? NaN).slice(0, 10)
  return `backtest-${o.strategy.id}-${o.source.key.market}-${o.source.key.timeframe}-${day}`
}
