// Half-open time ranges [fromMs, toMs) as sorted, disjoint, non-touching lists: the coverage index
// of the candle store and the "what is still missing" plan of a download are both made of these.
export type TimeRange = readonly [fromMs: number, toMs: number]

/** Sorted union; touching or overlapping ranges become one; empty ranges vanish. */
export function unionRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: [number, number][] = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

/** Parts of `range` not covered by `covered` (a union-normalised list), ascending. */
export function subtractRanges(range: TimeRange, covered: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = []
  let at = range[0]
  for (const [a, b] of covered) {
    if (b <= at) continue
    if (a >= range[1]) break
    if (a > at) out.push([at, Math.min(a, range[1])])
    at = Math.max(at, b)
    if (at >= range[1]) break
  }
  if (at < range[1]) out.push([at, range[1]])
  return out
}

/** `covered` cut to `range`. */
export function clipRanges(covered: readonly TimeRange[], range: TimeRange): TimeRange[] {
  const out: TimeRange[] = []
  for (const [a, b] of covered) {
    const lo = Math.max(a, range[0])
    const hi = Math.min(b, range[1])
    if (hi > lo) out.push([lo, hi])
  }
  return out
}

export function totalLength(ranges: readonly TimeRange[]): number {
  let n = 0
  for (const [a, b] of ranges) n += b - a
  return n
}
