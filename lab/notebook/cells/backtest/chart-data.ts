// The charts' data, built from a result without the chart library (so it is testable and the
// library stays a lazy import): candles, equity against buy-and-hold and drawdown (the trade
// markers are planned in trade-marks.ts). The candle series has a point for every bar, so a logical index of the price chart
// is a bar index: that is what lets the trades table centre the chart on a trade. The results
// chart holds a window of the bars (planWindow).
import type { CandlestickData, LineData, UTCTimestamp } from 'lightweight-charts'
import { tradeAt, tradeCount } from '../../../../shared/backtest/index.ts'
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

/**
 * What the results chart (equity, buy-and-hold, drawdown) holds: bars first, first + step, … as
 * `count` points. The price chart holds every bar; giving the results chart every bar too would
 * make each new result cost a re-index of all of them in the chart library (O(n log n) per
 * series, over 100 ms at 129,600 bars). Instead it holds the visible range and as much again
 * on each side, at about `target` points per visible range: every bar once zoomed in, buckets
 * of `step` bars when zoomed out (finer than a pixel either way). Points are a fixed step apart
 * in bars, so its logical index j is bar first + j·step and the two charts line up exactly.
 */
export interface WindowPlan {
  readonly first: number
  readonly step: number
  readonly count: number
}

const stepFor = (visibleBars: number, target: number): number => Math.max(1, Math.ceil(visibleBars / target))

export function planWindow(n: number, from: number, to: number, target = 1500): WindowPlan {
  if (n <= 0) return { first: 0, step: 1, count: 0 }
  const v = Math.max(1, to - from)
  const step = stepFor(v, target)
  let first = Math.max(0, Math.floor(from - v))
  first -= first % step
  const last = Math.min(n - 1, Math.max(first, Math.ceil(to + v)))
  return { first, step, count: Math.floor((last - first) / step) + 1 }
}

/** Whether a visible range needs another plan: it left the planned bars, or the zoom changed twice over. */
export function needsReplan(plan: WindowPlan, n: number, from: number, to: number, target = 1500): boolean {
  if (plan.count === 0) return n > 0
  const last = Math.min(n - 1, plan.first + plan.count * plan.step - 1)
  if ((from < plan.first && plan.first > 0) || (to > last && last < n - 1)) return true
  const ideal = stepFor(Math.max(1, to - from), target)
  return ideal >= plan.step * 2 || ideal * 2 <= plan.step
}

export interface WindowData {
  readonly equity: LineData[]
  readonly buyHold: LineData[]
  readonly drawdown: LineData[]
}

/**
 * The points of a plan: point j sits at bar first + j·step; its equity and buy-and-hold are those
 * of the bucket's last bar, its drawdown the bucket's deepest (so the worst drawdown always shows).
 * The drawdown (equity / running peak − 1, as compute.ts drawdownOf) is worked out here for the
 * window only, from the peak of the bars before it: no array of every bar per result.
 */
export function windowData(o: BacktestOutput, plan: WindowPlan): WindowData {
  const { time, close } = o.source.series
  const eq = o.result.equity
  const n = eq.length
  let peak = -Infinity
  for (let i = 0; i < Math.min(plan.first, n); i++) if (eq[i]! > peak) peak = eq[i]!
  const k = o.config.initialCash / close[0]!
  const equity: LineData[] = new Array<LineData>(plan.count)
  const buyHold: LineData[] = new Array<LineData>(plan.count)
  const drawdown: LineData[] = new Array<LineData>(plan.count)
  for (let j = 0; j < plan.count; j++) {
    const a = plan.first + j * plan.step
    const b = Math.min(n, a + plan.step)
    let low = Infinity
    for (let i = a; i < b; i++) {
      const e = eq[i]!
      if (e > peak) peak = e
      const d = e / peak - 1
      if (d < low) low = d
    }
    const t = sec(time[a]!)
    equity[j] = { time: t, value: eq[b - 1]! }
    buyHold[j] = { time: t, value: k * close[b - 1]! }
    drawdown[j] = { time: t, value: low * 100 }
  }
  return { equity, buyHold, drawdown }
}

/**
 * Entry, exit and the protective levels of a trade, for price lines: the fixed stop-loss, the
 * take-profit, and the trailing stop as it stood when the trade ended (or stands now, for the
 * open one): the engine's rule (shared/engine/sim-broker.ts stopLevel), the highest high since
 * the entry bar (that bar's own high excluded, the entry price to begin with) × (1 − rate),
 * checked from the bar after it was set.
 */
export function tradeLevels(
  o: BacktestOutput,
  index: number,
): { label: string; price: number; kind: 'entry' | 'exit' | 'stop' | 'target' }[] {
  const cols = o.result.tradeColumns
  if (!(index >= 0 && index < tradeCount(cols))) return []
  const t = tradeAt(cols, index)
  const c = o.config
  const out: { label: string; price: number; kind: 'entry' | 'exit' | 'stop' | 'target' }[] = [
    { label: 'entry', price: t.entryPrice, kind: 'entry' },
  ]
  if (Number.isFinite(t.exitPrice)) out.push({ label: 'exit', price: t.exitPrice, kind: 'exit' })
  if (c.stopLossRate > 0) out.push({ label: 'stop', price: t.entryPrice * (1 - c.stopLossRate), kind: 'stop' })
  if (c.takeProfitRate > 0) out.push({ label: 'target', price: t.entryPrice * (1 + c.takeProfitRate), kind: 'target' })
  if (c.trailingStopRate > 0) {
    const high = o.source.series.high
    // The level in force at the exit bar came from the highs before it; the open trade's, from all.
    const end = t.exitBar >= 0 ? t.exitBar : high.length
    let peak = t.entryPrice
    for (let b = t.entryBar + 1; b < end; b++) if (high[b]! > peak) peak = high[b]!
    out.push({ label: t.exitBar >= 0 ? 'trail at exit' : 'trail', price: peak * (1 - c.trailingStopRate), kind: 'stop' })
  }
  return out
}

/** Logical range that centres a trade with some bars of context on each side. */
export function rangeAround(o: BacktestOutput, index: number): { from: number; to: number } | null {
  const c = o.result.tradeColumns
  if (!(index >= 0 && index < tradeCount(c))) return null
  const t = tradeAt(c, index)
  const last = o.source.series.close.length - 1
  const exit = t.exitBar < 0 ? last : t.exitBar
  const pad = Math.max(30, Math.round((exit - t.entryBar) * 1.5))
  // Near the first bar, shift the window right rather than show empty space before the data.
  const shift = Math.max(0, pad - t.entryBar)
  return { from: t.entryBar - pad + shift, to: exit + pad + shift }
}
