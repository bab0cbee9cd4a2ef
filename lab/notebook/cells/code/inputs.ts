// What a code cell's worker gets: the nearest data cell's candles (copied columns) and the cells
// above it by name, each as tables (DataFrames in the worker) and plain values. A kind may say
// what it offers (CellKindDef.exports); for the built-in kinds without it, the adapters below.
// Nothing else crosses: no token, no services, no functions.
import { drawdownOf } from '../backtest/compute.ts'
import type { BacktestOutput } from '../backtest/run.ts'
import type { DataOutput } from '../data/run.ts'
import type { CellAbove, CellExports, SeriesValue } from '../types.ts'
import type { CellIn, CodeInputs } from './protocol.ts'

/** The backtest cell's trades, equity (with drawdown) and summary. */
function backtestExports(o: BacktestOutput): CellExports {
  const t = o.result.trades
  const time = o.source.series.time
  const from = o.result.fromBar
  const col = <T>(f: (x: (typeof t)[number]) => T): T[] => t.map(f)
  return {
    tables: {
      trades: {
        entryTime: col((x) => x.entryTimeMs),
        exitTime: col((x) => (Number.isFinite(x.exitTimeMs) ? x.exitTimeMs : null)),
        entryPrice: col((x) => x.entryPrice),
        exitPrice: col((x) => (Number.isFinite(x.exitPrice) ? x.exitPrice : null)),
        qty: col((x) => x.qtyBase),
        profit: col((x) => x.profitQuote),
        returnRate: col((x) => x.returnRate),
        fees: col((x) => x.entryFeeQuote + x.exitFeeQuote),
        exitReason: col((x) => x.exitReason),
      },
      equity: {
        time: time.slice(from, from + o.result.equity.length),
        equity: o.result.equity.slice(),
        drawdown: drawdownOf(o.result.equity),
      },
    },
    values: {
      strategy: { ...o.strategy },
      params: { ...o.params },
      metrics: { ...o.result.metrics },
      config: structuredClone(o.config),
      rejected: o.result.rejected.map((r) => ({ ...r })),
    },
  }
}

function dataExports(o: DataOutput): CellExports {
  return {
    values: {
      venue: o.key.venue,
      market: o.key.market,
      timeframe: o.key.timeframe,
      fromMs: o.fromMs,
      toMs: o.toMs,
      bars: o.bars,
      missingBars: o.missingBars,
      gaps: o.gaps.length,
    },
  }
}

/** A cell's exports: its kind's own, else the adapter of a built-in kind, else none. */
export function exportsOf(c: CellAbove): CellExports | undefined {
  if (c.output === undefined) return undefined
  const own = c.exports()
  if (own !== undefined) return own
  if (c.kind === 'backtest') return backtestExports(c.output as BacktestOutput)
  if (c.kind === 'data') return dataExports(c.output as DataOutput)
  return undefined
}

export function codeInputs(series: SeriesValue | undefined, above: readonly CellAbove[]): CodeInputs {
  const counts = new Map<string, number>()
  const cells: CellIn[] = []
  for (const c of above) {
    const n = (counts.get(c.kind) ?? 0) + 1
    counts.set(c.kind, n)
    const ex = exportsOf(c)
    if (ex === undefined) continue
    const alias = `${c.kind}${n}`
    cells.push({ name: c.title.trim() || alias, alias, kind: c.kind, title: c.title, tables: ex.tables ?? {}, values: ex.values ?? {} })
  }
  const s = series?.series
  return {
    candles:
      series === undefined || s === undefined
        ? null
        : {
            venue: series.key.venue,
            market: series.key.market,
            timeframe: series.key.timeframe,
            columns: { time: s.time, open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume },
          },
    cells,
  }
}
