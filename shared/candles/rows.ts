// Conversions between row objects (API payloads, CSV, tests) and the columnar CandleSeries, plus
// concatenation and merging of series (chunked downloads, cache + fresh data). Merge is a union
// by time: sorted, de-duplicated, and a conflicting duplicate is resolved "later wins" and reported
// so a silent data change never goes unnoticed.
import type { CandleSeries } from './types.ts'
import { allocSeries } from './types.ts'
import { timeToIso } from './validate.ts'

export interface CandleRow {
  readonly timeMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  readonly volume: number
}

export function seriesFromRows(rows: readonly CandleRow[]): CandleSeries {
  const s = allocSeries(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    s.time[i] = r.timeMs
    s.open[i] = r.open
    s.high[i] = r.high
    s.low[i] = r.low
    s.close[i] = r.close
    s.volume[i] = r.volume
  }
  return s
}

export function rowsFromSeries(series: CandleSeries): CandleRow[] {
  const rows: CandleRow[] = new Array<CandleRow>(series.time.length)
  for (let i = 0; i < series.time.length; i++) rows[i] = rowAt(series, i)
  return rows
}

export function rowAt(series: CandleSeries, i: number): CandleRow {
  return {
    timeMs: series.time[i]!,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
  }
}

/** Parts one after another, copied into new columns (no sorting or de-duplication). */
export function concatSeries(parts: readonly CandleSeries[]): CandleSeries {
  let n = 0
  for (const p of parts) n += p.time.length
  const out = allocSeries(n)
  let at = 0
  for (const p of parts) {
    out.time.set(p.time, at)
    out.open.set(p.open, at)
    out.high.set(p.high, at)
    out.low.set(p.low, at)
    out.close.set(p.close, at)
    out.volume.set(p.volume, at)
    at += p.time.length
  }
  return out
}

export interface MergeConflict {
  readonly timeMs: number
  readonly timeIso: string
  /** The bar that was dropped and the one kept (the later source: b over a, later row over earlier). */
  readonly dropped: CandleRow
  readonly kept: CandleRow
}

export interface MergeResult {
  readonly series: CandleSeries
  /** First MAX_MERGE_CONFLICTS conflicting duplicates, in time order. */
  readonly conflicts: readonly MergeConflict[]
  readonly totalConflicts: number
}

export const MAX_MERGE_CONFLICTS = 100

/**
 * Union of `a` and `b` by bar time, ascending, one bar per time. Identical duplicates collapse
 * silently; different duplicates keep the later one (`b` over `a`; within one input the later
 * row) and are reported. Inputs need not be sorted.
 */
export function mergeSeries(a: CandleSeries, b: CandleSeries): MergeResult {
  const na = a.time.length
  const nb = b.time.length
  const n = na + nb
  const orderA = sortedOrder(a.time)
  const orderB = sortedOrder(b.time)
  const out = allocSeries(n)
  const conflicts: MergeConflict[] = []
  let totalConflicts = 0
  let k = -1
  // The bar currently kept at out[k]: its source series and index, for conflict reports.
  let keptSeries: CandleSeries = a
  let keptIndex = -1
  let ia = 0
  let ib = 0
  // Two-pointer merge; on equal times `a` goes first so `b` (the later source) overwrites it.
  while (ia < na || ib < nb) {
    let src: CandleSeries
    let i: number
    if (ib >= nb || (ia < na && a.time[orderA[ia]!]! <= b.time[orderB[ib]!]!)) {
      src = a
      i = orderA[ia++]!
    } else {
      src = b
      i = orderB[ib++]!
    }
    const t = src.time[i]!
    if (k >= 0 && out.time[k] === t) {
      if (!sameBar(keptSeries, keptIndex, src, i)) {
        totalConflicts++
        if (conflicts.length < MAX_MERGE_CONFLICTS) {
          conflicts.push({ timeMs: t, timeIso: timeToIso(t), dropped: rowAt(keptSeries, keptIndex), kept: rowAt(src, i) })
        }
      }
    } else {
      k++
    }
    keptSeries = src
    keptIndex = i
    out.time[k] = t
    out.open[k] = src.open[i]!
    out.high[k] = src.high[i]!
    out.low[k] = src.low[i]!
    out.close[k] = src.close[i]!
    out.volume[k] = src.volume[i]!
  }
  const count = k + 1
  const series =
    count === n
      ? out
      : {
          time: out.time.slice(0, count),
          open: out.open.slice(0, count),
          high: out.high.slice(0, count),
          low: out.low.slice(0, count),
          close: out.close.slice(0, count),
          volume: out.volume.slice(0, count),
        }
  return { series, conflicts, totalConflicts }
}

function sameBar(s: CandleSeries, i: number, u: CandleSeries, j: number): boolean {
  return (
    Object.is(s.open[i], u.open[j]) &&
    Object.is(s.high[i], u.high[j]) &&
    Object.is(s.low[i], u.low[j]) &&
    Object.is(s.close[i], u.close[j]) &&
    Object.is(s.volume[i], u.volume[j])
  )
}

/** Indices ordered by time, stable; already-sorted input (the common case) costs one scan. */
function sortedOrder(time: Float64Array): Uint32Array {
  const n = time.length
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  let sorted = true
  for (let i = 1; i < n && sorted; i++) if (time[i]! < time[i - 1]!) sorted = false
  if (sorted) return order
  const idx = Array.from(order)
  idx.sort((x, y) => time[x]! - time[y]! || x - y)
  return Uint32Array.from(idx)
}
