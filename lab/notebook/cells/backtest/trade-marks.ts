// Which trade markers the price chart draws for the bars in view, without the chart library (so it
// is testable). Every entry and exit in the planned bars is represented, whatever the zoom: the
// bars are cut into buckets about CLUSTER_PX pixels wide and each bucket gets one marker per side
// (entries below the bars, exits above) holding how many it stands for. Zoomed in, a bucket holds
// one trade's entry or exit and its marker is that trade's own; zoomed out over months of 1m bars
// thousands of trades become a few dozen markers with counts, where one arrow each would be a
// solid band that says nothing. The selected trade is never grouped: its entry and exit always
// get their own labelled markers. Bucket widths are powers of two in bars and bucket edges are
// multiples of the width, so a scroll or a small zoom keeps the same buckets (markers do not
// jitter) and a new plan is needed only when the view leaves the planned bars or the zoom crosses
// a power of two (needsMarkPlan).
// It reads the result's trade columns (shared/backtest/columns.ts), never a list of objects.
import { tradeAt, TRADE_COL, TRADE_STRIDE, type TradeColumns } from '../../../../shared/backtest/index.ts'
import { fmtInt } from '../data/format.ts'

const ENTRY_BAR = TRADE_COL.entryBar
// −1 while the trade is open (no exit marker).
const EXIT_BAR = TRADE_COL.exitBar
const PROFIT = TRADE_COL.profitQuote

/** The bars' extremes: markers sit below the lowest low (entries) or above the highest high (exits) of what they cover. */
export interface MarkBars {
  readonly low: ArrayLike<number>
  readonly high: ArrayLike<number>
}

/** Width in pixels of a marker bucket: about an arrow with its count under it. */
export const CLUSTER_PX = 18

export interface Mark {
  /** Logical index (bar) it is drawn at: its trade's bar, or the middle of the bars it groups. */
  readonly bar: number
  readonly side: 'entry' | 'exit'
  /** Entries or exits it stands for. */
  readonly count: number
  /** Of an exit mark: how many of its trades closed without a loss (the colour follows the majority). */
  readonly wins: number
  /** Price it points at: the lowest low (entries) or highest high (exits) of the bars it covers. */
  readonly price: number
  /** The trade's index when it stands for one trade, else −1. */
  readonly trade: number
  /** The selected trade's own marker (labelled, drawn larger). */
  readonly selected: boolean
  /** Text beside the arrow: a group's count (its side is the arrow's), the selected trade's number and side. */
  readonly label: string
}

export interface MarkPlan {
  /** Bars per bucket (a power of two). */
  readonly width: number
  /** Planned bars [first, last]: the view and as much again on each side, at bucket edges. */
  readonly first: number
  readonly last: number
  /** In bar order within each side. */
  readonly marks: readonly Mark[]
  /** Entries and exits in the planned bars (each is in exactly one mark, or in the selected trade's). */
  readonly events: number
  /** Trades with an entry or exit in the visible bars. */
  readonly tradesInView: number
  /** Whether some mark stands for more than one entry or exit. */
  readonly grouped: boolean
}

/** Bars per bucket for `visibleBars` bars over `px` pixels: a power of two, at least 1. */
export function bucketBars(visibleBars: number, px: number): number {
  const raw = (Math.max(1, visibleBars) * CLUSTER_PX) / Math.max(1, px)
  if (raw <= 1) return 1
  return 2 ** Math.ceil(Math.log2(raw) - 1e-9)
}

/** The planned bars for a view [from, to] (logical, may run past the data) of n bars. */
function span(n: number, from: number, to: number, width: number): { first: number; last: number } {
  const v = Math.max(1, to - from)
  // (A view past the last bar still plans the last bucket: no new plan on every frame out there.)
  let first = Math.max(0, Math.min(n - 1, Math.floor(from - v)))
  first -= first % width
  const end = Math.ceil((Math.max(first, Math.ceil(to + v)) + 1) / width) * width - 1
  return { first, last: Math.min(n - 1, end) }
}

/** Whether the view [from, to] over `px` pixels needs another plan: it left the planned bars, or the bucket width changed. */
export function needsMarkPlan(plan: MarkPlan, n: number, from: number, to: number, px: number): boolean {
  if (plan.last < plan.first) return n > 0
  if ((from < plan.first && plan.first > 0) || (to > plan.last && plan.last < n - 1)) return true
  return bucketBars(to - from, px) !== plan.width
}

/**
 * The markers for the view [from, to] (logical bars) of n bars drawn over `px` pixels. O(trades +
 * buckets + bars of the buckets that hold marks); allocates per bucket, never per bar.
 */
export function planMarks(trades: TradeColumns, bars: MarkBars, from: number, to: number, px: number, selected: number | null): MarkPlan {
  const n = bars.low.length
  const width = bucketBars(to - from, px)
  const { first, last } = span(n, from, to, width)
  const marks: Mark[] = []
  if (n === 0 || last < first) return { width, first: 0, last: -1, marks, events: 0, tradesInView: 0, grouped: false }
  const buckets = Math.floor((last - first) / width) + 1
  // Per side and bucket: count, wins (exits), the first and last bar and the one trade of a lone event.
  const count = new Int32Array(2 * buckets)
  const wins = new Int32Array(buckets)
  const lo = new Int32Array(2 * buckets)
  const hi = new Int32Array(2 * buckets)
  const lone = new Int32Array(2 * buckets)
  const visFrom = Math.floor(from)
  const visTo = Math.ceil(to)
  let events = 0
  let tradesInView = 0
  const add = (side: 0 | 1, bar: number, i: number): void => {
    const b = side * buckets + Math.floor((bar - first) / width)
    if (count[b] === 0) {
      lo[b] = bar
      hi[b] = bar
      lone[b] = i
    } else {
      if (bar < lo[b]!) lo[b] = bar
      if (bar > hi[b]!) hi[b] = bar
    }
    count[b]!++
  }
  const v = trades.values
  for (let i = 0; i < trades.exit.length; i++) {
    const o = i * TRADE_STRIDE
    const entryBar = v[o + ENTRY_BAR]!
    const exitBar = v[o + EXIT_BAR]!
    const inEntry = entryBar >= first && entryBar <= last
    const inExit = exitBar >= 0 && exitBar >= first && exitBar <= last
    if ((entryBar >= visFrom && entryBar <= visTo) || (exitBar >= 0 && exitBar >= visFrom && exitBar <= visTo)) tradesInView++
    events += (inEntry ? 1 : 0) + (inExit ? 1 : 0)
    if (i === selected) continue
    if (inEntry) add(0, entryBar, i)
    if (inExit) {
      add(1, exitBar, i)
      if (v[o + PROFIT]! >= 0) wins[Math.floor((exitBar - first) / width)]!++
    }
  }
  let grouped = false
  for (let side = 0; side < 2; side++) {
    const s = side === 0 ? 'entry' : 'exit'
    for (let k = 0; k < buckets; k++) {
      const b = side * buckets + k
      const c = count[b]!
      if (c === 0) continue
      if (c > 1) grouped = true
      // A group covers its bucket's bars (conflated into about one candle at this zoom); a lone
      // event sits on its own bar.
      const a = c === 1 ? lo[b]! : first + k * width
      const z = c === 1 ? hi[b]! : Math.min(last, a + width - 1)
      marks.push({
        bar: c === 1 ? lo[b]! : Math.round((lo[b]! + hi[b]!) / 2),
        side: s,
        count: c,
        wins: side === 1 ? wins[k]! : 0,
        price: extreme(side === 0 ? bars.low : bars.high, a, z, side === 0),
        trade: c === 1 ? lone[b]! : -1,
        selected: false,
        label: c === 1 ? '' : fmtInt(c),
      })
    }
  }
  const t = selected === null || selected < 0 || selected >= trades.exit.length ? undefined : tradeAt(trades, selected)
  if (t !== undefined && t.entryBar >= 0 && t.entryBar < n) {
    const no = `#${selected! + 1}`
    marks.push({
      bar: t.entryBar,
      side: 'entry',
      count: 1,
      wins: 0,
      price: bars.low[t.entryBar]!,
      trade: selected!,
      selected: true,
      label: `${no} buy`,
    })
    if (t.exitBar >= 0 && t.exitBar < n)
      marks.push({
        bar: t.exitBar,
        side: 'exit',
        count: 1,
        wins: t.profitQuote >= 0 ? 1 : 0,
        price: bars.high[t.exitBar]!,
        trade: selected!,
        selected: true,
        label: `${no} ${t.exitReason}`,
      })
  }
  return { width, first, last, marks, events, tradesInView, grouped }
}

// Extremes over a bucket's bars come from per-block extremes of the series, computed once per
// column (the candles stay the same across results): a plan reads about width/BLOCK + 2·BLOCK
// values per mark instead of every bar of its bucket.
const BLOCK = 64
const blockCache = new WeakMap<object, { min: boolean; ext: Float64Array }>()

function blockExtremes(a: ArrayLike<number>, min: boolean): Float64Array {
  const hit = blockCache.get(a)
  if (hit !== undefined && hit.min === min) return hit.ext
  const ext = new Float64Array(Math.ceil(a.length / BLOCK))
  for (let k = 0; k < ext.length; k++) {
    let m = a[k * BLOCK]!
    const end = Math.min(a.length, (k + 1) * BLOCK)
    for (let i = k * BLOCK + 1; i < end; i++) if (min ? a[i]! < m : a[i]! > m) m = a[i]!
    ext[k] = m
  }
  blockCache.set(a, { min, ext })
  return ext
}

/** The least (min) or greatest value of a[from..to]. */
function extreme(a: ArrayLike<number>, from: number, to: number, min: boolean): number {
  let m = a[from]!
  const better = (x: number): boolean => (min ? x < m : x > m)
  const firstFull = Math.ceil(from / BLOCK)
  const lastFull = Math.floor((to + 1) / BLOCK) - 1
  if (lastFull < firstFull) {
    for (let i = from + 1; i <= to; i++) if (better(a[i]!)) m = a[i]!
    return m
  }
  const ext = blockExtremes(a, min)
  for (let i = from + 1; i < firstFull * BLOCK; i++) if (better(a[i]!)) m = a[i]!
  for (let k = firstFull; k <= lastFull; k++) if (better(ext[k]!)) m = ext[k]!
  for (let i = (lastFull + 1) * BLOCK; i <= to; i++) if (better(a[i]!)) m = a[i]!
  return m
}
