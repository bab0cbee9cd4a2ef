// Per-series summaries that let the backtest loop skip through long runs of bars without looking
// at each one: block minima/maxima (blocks of BLOCK bars) of the prices the fill model tests, and
// for every bar the index where its UTC day ends. Built once per series (O(n)) and cached by
// identity, so an optimizer sweep pays for it once and every combo reuses it.
import { DAY_MS, type CandleSeries } from './types.ts'

export const BLOCK_SHIFT = 5
export const BLOCK = 1 << BLOCK_SHIFT

export interface SeriesIndex {
  /** Per block: min over bars of min(open, low): the lowest price a stop test can see. */
  readonly reachLowMin: Float64Array
  /** Per block: max over bars of max(open, high): the highest price a take-profit test can see. */
  readonly reachHighMax: Float64Array
  /** Per block: max of high (moves the trailing peak). */
  readonly highMax: Float64Array
  /** Per block: min and max of close (marks equity). */
  readonly closeMin: Float64Array
  readonly closeMax: Float64Array
  /** dayEnd[k] = index of the first bar of a later UTC day than bar k (n at the end). */
  readonly dayEnd: Int32Array
}

const cache = new WeakMap<CandleSeries, SeriesIndex>()

/** The index of a series; the series must not be mutated afterwards (candles are immutable). */
export function seriesIndexOf(series: CandleSeries): SeriesIndex {
  let idx = cache.get(series)
  if (idx === undefined) {
    idx = buildSeriesIndex(series)
    cache.set(series, idx)
  }
  return idx
}

export function buildSeriesIndex(series: CandleSeries): SeriesIndex {
  const { time, open, high, low, close } = series
  const n = close.length
  const blocks = (n + BLOCK - 1) >> BLOCK_SHIFT
  const reachLowMin = new Float64Array(blocks)
  const reachHighMax = new Float64Array(blocks)
  const highMax = new Float64Array(blocks)
  const closeMin = new Float64Array(blocks)
  const closeMax = new Float64Array(blocks)
  for (let b = 0; b < blocks; b++) {
    const start = b << BLOCK_SHIFT
    const end = Math.min(n, start + BLOCK)
    let rl = Infinity
    let rh = -Infinity
    let hm = -Infinity
    let cmin = Infinity
    let cmax = -Infinity
    for (let k = start; k < end; k++) {
      // Comparisons written so that a NaN anywhere poisons the block summary (NaN), which makes
      // every skip test below fail and sends the block through the exact per-bar path.
      const o = open[k]!
      const l = low[k]!
      const h = high[k]!
      const c = close[k]!
      rl = minNaN(rl, minNaN(o, l))
      rh = maxNaN(rh, maxNaN(o, h))
      hm = maxNaN(hm, h)
      cmin = minNaN(cmin, c)
      cmax = maxNaN(cmax, c)
    }
    reachLowMin[b] = rl
    reachHighMax[b] = rh
    highMax[b] = hm
    closeMin[b] = cmin
    closeMax[b] = cmax
  }
  const dayEnd = new Int32Array(n)
  let k = n - 1
  while (k >= 0) {
    const day = Math.floor(time[k]! / DAY_MS)
    let s = k
    while (s > 0 && Math.floor(time[s - 1]! / DAY_MS) === day) s--
    dayEnd.fill(k + 1, s, k + 1)
    k = s - 1
  }
  return { reachLowMin, reachHighMax, highMax, closeMin, closeMax, dayEnd }
}

function minNaN(a: number, b: number): number {
  return a < b || a !== a ? a : b
}

function maxNaN(a: number, b: number): number {
  return a > b || a !== a ? a : b
}
