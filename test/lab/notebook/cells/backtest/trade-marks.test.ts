import { describe, expect, it } from 'vitest'
import { tradeColumnsOf, type TradeColumns } from '../../../../../shared/backtest/index.ts'
import type { Trade } from '../../../../../shared/engine/index.ts'
import {
  bucketBars,
  CLUSTER_PX,
  needsMarkPlan,
  planMarks as planMarksOf,
  type MarkBars,
  type MarkPlan,
} from '../../../../../lab/notebook/cells/backtest/trade-marks.ts'

/** What a marker plan reads of a trade. */
type MarkTrade = Pick<Trade, 'entryBar' | 'exitBar' | 'profitQuote' | 'exitReason'>

/** The plan reads the result's trade columns: these tests state their trades as objects. */
const planMarks = (ts: readonly MarkTrade[], bars: MarkBars, from: number, to: number, px: number, sel: number | null): MarkPlan =>
  planMarksOf(columns(ts), bars, from, to, px, sel)
const columns = (ts: readonly MarkTrade[]): TradeColumns => tradeColumnsOf(ts as readonly Trade[])

/** A small seeded PRNG (mulberry32): the property cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function barsOf(n: number, r: () => number): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(n)
  const high = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    low[i] = 100 + 10 * r()
    high[i] = low[i]! + 5 * r()
  }
  return { low, high }
}

/** Trades in time order, one position at a time (an exit and the next entry may share a bar); the last may be open. */
function tradesOf(n: number, r: () => number, gap: number): MarkTrade[] {
  const out: MarkTrade[] = []
  let bar = Math.floor(r() * gap)
  while (bar < n) {
    const exit = bar + Math.floor(r() * gap)
    const open = exit >= n
    out.push({ entryBar: bar, exitBar: open ? -1 : exit, profitQuote: r() < 0.5 ? -1 : 1, exitReason: open ? 'open' : 'signal' })
    if (open) break
    bar = exit + (r() < 0.2 ? 0 : 1 + Math.floor(r() * gap))
  }
  return out
}

const eventsIn = (ts: readonly MarkTrade[], a: number, b: number, skip: number | null = null): number =>
  ts.reduce(
    (s, t, i) =>
      i === skip ? s : s + (t.entryBar >= a && t.entryBar <= b ? 1 : 0) + (t.exitBar >= 0 && t.exitBar >= a && t.exitBar <= b ? 1 : 0),
    0,
  )

const represented = (p: MarkPlan, selected: boolean): number => p.marks.reduce((s, m) => s + (m.selected === selected ? m.count : 0), 0)

describe('trade markers: every trade represented at any zoom', () => {
  it('bucket widths are powers of two from the bars per pixel', () => {
    expect(bucketBars(50, 1000)).toBe(1)
    expect(bucketBars(1000 / CLUSTER_PX, 1000)).toBe(1)
    expect(bucketBars(1000 / CLUSTER_PX + 1, 1000)).toBe(2)
    expect(bucketBars(129_600, 1300)).toBe(2048)
    expect(bucketBars(129_600, 0)).toBeGreaterThan(0)
  })

  it('zoomed in, each entry and exit has its own marker on its bar; zoomed out, groups with counts', () => {
    const r = rng(1)
    const bars = barsOf(10_000, r)
    const trades = tradesOf(10_000, r, 40)
    const near = planMarks(trades, bars, 5000, 5040, 1200, null)
    expect(near.width).toBe(1)
    expect(near.grouped).toBe(false)
    for (const m of near.marks) {
      expect(m.count).toBe(1)
      const t = trades[m.trade]!
      expect(m.bar).toBe(m.side === 'entry' ? t.entryBar : t.exitBar)
      expect(m.price).toBe(m.side === 'entry' ? bars.low[m.bar] : bars.high[m.bar])
      expect(m.label).toBe('')
    }
    const far = planMarks(trades, bars, 0, 9999, 1200, null)
    expect(far.grouped).toBe(true)
    expect(far.first).toBe(0)
    expect(far.last).toBe(9999)
    expect(far.events).toBe(eventsIn(trades, 0, 9999))
    expect(represented(far, false)).toBe(far.events)
    // About one mark per side per CLUSTER_PX pixels, not one per trade.
    expect(far.marks.length).toBeLessThanOrEqual(2 * Math.ceil(1200 / CLUSTER_PX) * 2)
    const g = far.marks.find((m) => m.count > 1)!
    expect(g.label).toBe(String(g.count))
    expect(g.trade).toBe(-1)
    // A group's entry arrow sits under the lowest low of its bucket.
    const a = Math.floor(g.bar / far.width) * far.width
    let low = Infinity
    let high = -Infinity
    for (let i = a; i < Math.min(10_000, a + far.width); i++) {
      low = Math.min(low, bars.low[i]!)
      high = Math.max(high, bars.high[i]!)
    }
    expect(g.price).toBe(g.side === 'entry' ? low : high)
  })

  it('the selected trade gets its own labelled markers, taken out of its group, inside or outside the view', () => {
    const r = rng(2)
    const bars = barsOf(20_000, r)
    const trades = tradesOf(20_000, r, 30)
    const sel = Math.floor(trades.length / 2)
    const t = trades[sel]!
    const p = planMarks(trades, bars, 0, 19_999, 1000, sel)
    const own = p.marks.filter((m) => m.selected)
    expect(own.map((m) => [m.side, m.bar, m.count])).toEqual([
      ['entry', t.entryBar, 1],
      ['exit', t.exitBar, 1],
    ])
    expect(own[0]!.label).toBe(`#${sel + 1} buy`)
    expect(own[1]!.label).toBe(`#${sel + 1} signal`)
    expect(represented(p, false) + represented(p, true)).toBe(p.events)
    // Far away from the view it is still marked (it shows when the view comes to it).
    const away = planMarks(trades, bars, 0, 100, 1000, trades.length - 2)
    expect(away.marks.filter((m) => m.selected)).toHaveLength(2)
  })

  it('property: for random trades and views, the markers stand for exactly the entries and exits in the planned bars, which cover the view', () => {
    const r = rng(42)
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(r() * (r() < 0.3 ? 200 : 20_000))
      const bars = barsOf(n, r)
      const trades = tradesOf(n, r, 1 + Math.floor(r() * 200))
      // Views can run past either end of the data, as the chart's logical range can.
      const from = Math.floor(r() * n * 1.2) - n * 0.1 + r()
      const to = from + 1 + r() * n * (r() < 0.5 ? 0.05 : 1.2)
      const px = 200 + Math.floor(r() * 2000)
      const sel = trades.length > 0 && r() < 0.5 ? Math.floor(r() * trades.length) : null
      const p = planMarks(trades, bars, from, to, px, sel)
      const ctx = `case ${c}: n=${n} trades=${trades.length} view=[${from.toFixed(1)}, ${to.toFixed(1)}] px=${px} sel=${sel}`
      // The planned bars cover every visible bar of the data.
      const visA = Math.max(0, Math.floor(from))
      const visB = Math.min(n - 1, Math.ceil(to))
      if (visA <= visB) {
        expect(p.first, ctx).toBeLessThanOrEqual(visA)
        expect(p.last, ctx).toBeGreaterThanOrEqual(visB)
      }
      // None dropped, none counted twice.
      expect(p.events, ctx).toBe(eventsIn(trades, p.first, p.last))
      expect(represented(p, false), ctx).toBe(eventsIn(trades, p.first, p.last, sel))
      const selIn = sel === null ? 0 : p.events - eventsIn(trades, p.first, p.last, sel)
      expect(p.marks.filter((m) => m.selected && m.bar >= p.first && m.bar <= p.last).length, ctx).toBe(selIn)
      // Every visible entry and exit is in a mark of its side whose bucket holds its bar.
      const vis = (b: number): boolean => b >= Math.floor(from) && b <= Math.ceil(to)
      for (let i = 0; i < trades.length; i++) {
        const t = trades[i]!
        for (const [side, bar] of [
          ['entry', t.entryBar],
          ['exit', t.exitBar],
        ] as const) {
          if (bar < 0 || !vis(bar)) continue
          const hit = p.marks.some((m) =>
            i === sel
              ? m.selected && m.side === side && m.bar === bar
              : !m.selected && m.side === side && Math.floor((m.bar - p.first) / p.width) === Math.floor((bar - p.first) / p.width),
          )
          expect(hit, `${ctx} trade ${i} ${side}`).toBe(true)
        }
      }
      // Marks stay few: at most one per side and bucket, plus the selected trade's two.
      expect(p.marks.length, ctx).toBeLessThanOrEqual(2 * (Math.floor((p.last - p.first) / p.width) + 1) + 2)
      // A group sits inside its bucket, at a bar of the data.
      for (const m of p.marks) {
        expect(m.bar, ctx).toBeGreaterThanOrEqual(0)
        expect(m.bar, ctx).toBeLessThan(n)
        // It points at the extreme of the bars it covers: its own bar, or its whole bucket.
        const a = m.count === 1 ? m.bar : p.first + Math.floor((m.bar - p.first) / p.width) * p.width
        const z = m.count === 1 ? m.bar : Math.min(p.last, a + p.width - 1)
        const col = m.side === 'entry' ? bars.low : bars.high
        let want = col[a]!
        for (let i = a; i <= z; i++) want = m.side === 'entry' ? Math.min(want, col[i]!) : Math.max(want, col[i]!)
        expect(m.price, ctx).toBe(want)
      }
    }
  })

  it('a new plan only when the view leaves the planned bars or the bucket width changes', () => {
    const r = rng(3)
    const bars = barsOf(129_600, r)
    const trades = tradesOf(129_600, r, 25)
    const p = planMarks(trades, bars, 60_000, 70_000, 1300, null)
    expect(needsMarkPlan(p, 129_600, 60_000, 70_000, 1300)).toBe(false)
    // A scroll within the planned bars: the same plan (the same buckets, no jitter).
    expect(needsMarkPlan(p, 129_600, 62_000, 72_000, 1300)).toBe(false)
    expect(needsMarkPlan(p, 129_600, 75_000, 85_000, 1300)).toBe(true)
    // A small zoom keeps the power-of-two width; a large one changes it.
    expect(needsMarkPlan(p, 129_600, 60_500, 69_500, 1300)).toBe(bucketBars(9000, 1300) !== p.width)
    expect(needsMarkPlan(p, 129_600, 64_000, 66_000, 1300)).toBe(true)
    // Another width of the chart.
    expect(needsMarkPlan(p, 129_600, 60_000, 70_000, 300)).toBe(true)
    // Everything in view: the plan covers all bars and stays valid past the ends.
    const all = planMarks(trades, bars, -50, 129_650, 1300, null)
    expect(all.first).toBe(0)
    expect(all.last).toBe(129_599)
    expect(needsMarkPlan(all, 129_600, -100, 129_700, 1300)).toBe(false)
    expect(planMarks([], bars, 0, 10, 1300, null).marks).toEqual([])
    expect(planMarks(trades, { low: new Float64Array(0), high: new Float64Array(0) }, 0, 10, 1300, null).marks).toEqual([])
  })

  it('plans months of 1m bars with thousands of trades in well under a millisecond per plan', () => {
    const r = rng(4)
    const bars = barsOf(129_600, r)
    const trades = tradesOf(129_600, r, 30)
    expect(trades.length).toBeGreaterThan(2000)
    const cols = columns(trades)
    planMarksOf(cols, bars, 0, 129_599, 1300, 5)
    const t0 = performance.now()
    for (let i = 0; i < 50; i++) planMarksOf(cols, bars, i * 100, 129_599, 1300, 5)
    expect((performance.now() - t0) / 50).toBeLessThan(5)
  })
})
