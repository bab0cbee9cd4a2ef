// The charts' data, built from a result without the chart library (so it is testable and the
// library stays a lazy import): candles, equity against buy-and-hold, drawdown and the trade
// markers. Every point's index equals its bar index, which is what lets the trades table centre
// the chart on a trade by logical range. Every trade keeps both of its markers, however dense.
import type { CandlestickData, LineData, SeriesMarker, UTCTimestamp } from 'lightweight-charts'
import { equityRows } from './export.ts'
import type { BacktestOutput } from './run.ts'

export interface ChartColors {
  readonly up: string
  readonly down: string
  readonly text: string
  readonly muted: string
  readonly grid: string
  readonly accent: string
  readonly warn: string
}

const sec = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp

export function candleData(o: BacktestOutput): CandlestickData[] {
  const { time, open, high, low, close } = o.source.series
  const out: CandlestickData[] = new Array<CandlestickData>(time.length)
  for (let i = 0; i < time.length; i++) out[i] = { time: sec(time[i]!), open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]! }
  return out
}

export interface EquityData {
  readonly equity: LineData[]
  readonly buyHold: LineData[]
  readonly drawdown: LineData[]
}

export function equityData(o: BacktestOutput): EquityData {
  const equity: LineData[] = []
  const buyHold: LineData[] = []
  const drawdown: LineData[] = []
  for (const [t, , e, bh, dd] of equityRows(o)) {
    const time = sec(t)
    equity.push({ time, value: e })
    buyHold.push({ time, value: bh })
    drawdown.push({ time, value: dd * 100 })
  }
  return { equity, buyHold, drawdown }
}

/** Entry (below the bar, arrow up) and exit (above, arrow down) of every trade; the selected one labelled. */
export function tradeMarkers(o: BacktestOutput, colors: ChartColors, selected: number | null): SeriesMarker<UTCTimestamp>[] {
  const m: SeriesMarker<UTCTimestamp>[] = []
  o.result.trades.forEach((t, i) => {
    const sel = i === selected
    m.push({
      time: sec(t.entryTimeMs),
      position: 'belowBar',
      shape: 'arrowUp',
      color: colors.up,
      size: sel ? 2 : 1,
      text: sel ? `#${i + 1} buy` : undefined,
    })
    if (t.exitBar >= 0) {
      m.push({
        time: sec(t.exitTimeMs),
        position: 'aboveBar',
        shape: 'arrowDown',
        color: t.profitQuote >= 0 ? colors.up : colors.down,
        size: sel ? 2 : 1,
        text: sel ? `#${i + 1} ${t.exitReason}` : undefined,
      })
    }
  })
  // The library wants markers in time order; an exit and the next entry can share a bar.
  return m.sort((a, b) => a.time - b.time)
}

/** Entry, exit and the protective levels (stop-loss, take-profit) of a trade, for price lines. */
export function tradeLevels(
  o: BacktestOutput,
  index: number,
): { label: string; price: number; kind: 'entry' | 'exit' | 'stop' | 'target' }[] {
  const t = o.result.trades[index]
  if (t === undefined) return []
  const c = o.config
  const out: { label: string; price: number; kind: 'entry' | 'exit' | 'stop' | 'target' }[] = [
    { label: 'entry', price: t.entryPrice, kind: 'entry' },
  ]
  if (Number.isFinite(t.exitPrice)) out.push({ label: 'exit', price: t.exitPrice, kind: 'exit' })
  if (c.stopLossRate > 0) out.push({ label: 'stop', price: t.entryPrice * (1 - c.stopLossRate), kind: 'stop' })
  if (c.takeProfitRate > 0) out.push({ label: 'target', price: t.entryPrice * (1 + c.takeProfitRate), kind: 'target' })
  return out
}

/** Logical range that centres a trade with some bars of context on each side. */
export function rangeAround(o: BacktestOutput, index: number): { from: number; to: number } | null {
  const t = o.result.trades[index]
  if (t === undefined) return null
  const last = o.source.series.close.length - 1
  const exit = t.exitBar < 0 ? last : t.exitBar
  const pad = Math.max(30, Math.round((exit - t.entryBar) * 1.5))
  // Near the first bar, shift the window right rather than show empty space before the data.
  const shift = Math.max(0, pad - t.entryBar)
  return { from: t.entryBar - pad + shift, to: exit + pad + shift }
}
