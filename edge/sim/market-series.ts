// One market's history as typed-array columns (one slot per minute from the origin, volume 0 =
// no trade) and the trades ("prints") derived from each minute: a fixed pattern touching
// open → low/high → high/low → close with volumes summing to the bar's volume, so candles are
// exactly the aggregation of the trades. Memory stays flat: 5 Float64 columns, grown by doubling.
import { createMinuteSource } from './generator.ts'
import type { MinuteBarOut, MinuteBarSource } from './generator.ts'
import type { SimMarketSpec } from './types.ts'

export const MINUTE_MS = 60_000
export const PRINTS_PER_MINUTE = 4
/** Where in its minute each print happens (ms after the minute start). */
const PRINT_OFFSET_MS = [7_113, 21_487, 38_052, 52_731] as const
const PRINT_SHARE = [0.1, 0.3, 0.35] as const

/** A reusable print record (callers copy what they keep). */
export interface Print {
  timeMs: number
  price: number
  volume: number
  askBid: 'ASK' | 'BID'
  sequentialId: number
}

export function newPrint(): Print {
  return { timeMs: 0, price: 0, volume: 0, askBid: 'BID', sequentialId: 0 }
}

/** Aggregate of the prints in a time range. */
export interface Agg {
  open: number
  high: number
  low: number
  close: number
  volume: number
  quote: number
  lastTimeMs: number
  count: number
}

export function newAgg(): Agg {
  return { open: 0, high: 0, low: 0, close: 0, volume: 0, quote: 0, lastTimeMs: 0, count: 0 }
}

const round8 = (x: number): number => Math.round(x * 1e8) / 1e8

export class MarketSeries {
  readonly spec: SimMarketSpec
  readonly originMs: number
  private n = 0
  private open: Float64Array
  private high: Float64Array
  private low: Float64Array
  private close: Float64Array
  private volume: Float64Array
  private readonly source: MinuteBarSource
  private readonly bar: MinuteBarOut = { open: 0, high: 0, low: 0, close: 0, volume: 0 }
  private readonly scratch: Print = newPrint()
  /** Separate record for forEachPrint so callbacks may call aggregate()/lastPrint() safely. */
  private readonly iter: Print = newPrint()

  constructor(spec: SimMarketSpec, seed: number, originMs: number) {
    this.spec = spec
    this.originMs = Math.floor(originMs / MINUTE_MS) * MINUTE_MS
    this.source = createMinuteSource(spec, seed, this.originMs)
    const cap = 4096
    this.open = new Float64Array(cap)
    this.high = new Float64Array(cap)
    this.low = new Float64Array(cap)
    this.close = new Float64Array(cap)
    this.volume = new Float64Array(cap)
  }

  get length(): number {
    return this.n
  }

  /** Generates bars up to and including the minute that contains `tMs`. */
  ensureUntil(tMs: number): void {
    const need = Math.floor((tMs - this.originMs) / MINUTE_MS) + 1
    if (need <= this.n) return
    if (need > this.open.length) this.grow(Math.max(need, this.open.length * 2))
    for (let i = this.n; i < need; i++) {
      this.source.next(this.bar)
      this.open[i] = this.bar.open
      this.high[i] = this.bar.high
      this.low[i] = this.bar.low
      this.close[i] = this.bar.close
      this.volume[i] = this.bar.volume
    }
    this.n = need
  }

  private grow(cap: number): void {
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap)
      b.set(a.subarray(0, this.n))
      return b
    }
    this.open = g(this.open)
    this.high = g(this.high)
    this.low = g(this.low)
    this.close = g(this.close)
    this.volume = g(this.volume)
  }

  /** Minute index of a time (may be negative or ≥ length). */
  indexOf(tMs: number): number {
    return Math.floor((tMs - this.originMs) / MINUTE_MS)
  }

  /** Writes print k (0..3) of minute i into `out`; false when the minute has no trade. */
  printAt(i: number, k: number, out: Print): boolean {
    if (i < 0 || i >= this.n) return false
    const vol = this.volume[i]!
    if (!(vol > 0)) return false
    const o = this.open[i]!,
      h = this.high[i]!,
      l = this.low[i]!,
      c = this.close[i]!
    const up = c >= o
    const price = k === 0 ? o : k === 1 ? (up ? l : h) : k === 2 ? (up ? h : l) : c
    let v: number
    if (k < 3) v = round8(vol * PRINT_SHARE[k]!)
    else v = round8(vol - round8(vol * PRINT_SHARE[0]) - round8(vol * PRINT_SHARE[1]) - round8(vol * PRINT_SHARE[2]))
    const prev = k === 0 ? (i > 0 ? this.close[i - 1]! : o) : k === 1 ? o : k === 2 ? (up ? l : h) : up ? h : l
    const start = this.originMs + i * MINUTE_MS
    out.timeMs = start + PRINT_OFFSET_MS[k]!
    out.price = price
    out.volume = v
    out.askBid = price > prev ? 'BID' : price < prev ? 'ASK' : k % 2 === 0 ? 'BID' : 'ASK'
    out.sequentialId = out.timeMs * 1000 + k
    return true
  }

  /** Calls `fn` for each print with fromMs < time ≤ toMs, oldest first (the print object is reused). */
  forEachPrint(fromMsExclusive: number, toMsInclusive: number, fn: (p: Print) => void): void {
    this.ensureUntil(toMsInclusive)
    const first = Math.max(0, this.indexOf(fromMsExclusive))
    const last = Math.min(this.n - 1, this.indexOf(toMsInclusive))
    const p = this.iter
    for (let i = first; i <= last; i++) {
      if (!(this.volume[i]! > 0)) continue
      for (let k = 0; k < PRINTS_PER_MINUTE; k++) {
        this.printAt(i, k, p)
        if (p.timeMs > fromMsExclusive && p.timeMs <= toMsInclusive) fn(p)
      }
    }
  }

  /** The newest print at or before `nowMs`; false if none in the history. */
  lastPrint(nowMs: number, out: Print): boolean {
    this.ensureUntil(nowMs)
    for (let i = Math.min(this.n - 1, this.indexOf(nowMs)); i >= 0; i--) {
      if (!(this.volume[i]! > 0)) continue
      for (let k = PRINTS_PER_MINUTE - 1; k >= 0; k--) {
        this.printAt(i, k, out)
        if (out.timeMs <= nowMs) return true
      }
    }
    return false
  }

  /**
   * Aggregates prints with fromMs ≤ time < toMs and time ≤ nowMs into `out`; false when there were
   * none (Upbit makes no candle then). Each minute's prints are replayed from its bar.
   */
  aggregate(fromMs: number, toMsExclusive: number, nowMs: number, out: Agg): boolean {
    this.ensureUntil(Math.min(toMsExclusive - 1, nowMs))
    out.count = 0
    out.volume = 0
    out.quote = 0
    const first = Math.max(0, this.indexOf(fromMs))
    const last = Math.min(this.n - 1, this.indexOf(toMsExclusive - 1), this.indexOf(nowMs))
    const p = this.scratch
    for (let i = first; i <= last; i++) {
      const vol = this.volume[i]!
      if (!(vol > 0)) continue
      const whole = this.originMs + i * MINUTE_MS + PRINT_OFFSET_MS[3] <= nowMs
      for (let k = 0; k < PRINTS_PER_MINUTE; k++) {
        this.printAt(i, k, p)
        if (!whole && p.timeMs > nowMs) break
        // Ranges need not be minute-aligned (second candles, the rolling 24h ticker window).
        if (p.timeMs < fromMs || p.timeMs >= toMsExclusive) continue
        if (out.count === 0) {
          out.open = p.price
          out.high = p.price
          out.low = p.price
        } else {
          if (p.price > out.high) out.high = p.price
          if (p.price < out.low) out.low = p.price
        }
        out.close = p.price
        out.volume += p.volume
        out.quote += p.price * p.volume
        out.lastTimeMs = p.timeMs
        out.count++
      }
    }
    out.volume = round8(out.volume)
    return out.count > 0
  }

  /** Visits whole minutes with trades in [fromIdx, toIdx] (clamped) with their high and low. */
  scanColumns(fromIdx: number, toIdx: number, fn: (i: number, high: number, low: number) => void): void {
    const last = Math.min(toIdx, this.n - 1)
    for (let i = Math.max(0, fromIdx); i <= last; i++) if (this.volume[i]! > 0) fn(i, this.high[i]!, this.low[i]!)
  }

  /** Close of the last print strictly before `tMs` (the previous close), or NaN. */
  closeBefore(tMs: number, out: Print): number {
    return this.lastPrint(tMs - 1, out) ? out.price : Number.NaN
  }
}

/** Highest and lowest traded bar prices over whole minutes [fromIdx, toIdx] (volume > 0 only). */
export function scanHighLow(
  s: MarketSeries,
  fromIdx: number,
  toIdx: number,
  out: { high: number; highIdx: number; low: number; lowIdx: number },
): void {
  out.high = Number.NEGATIVE_INFINITY
  out.low = Number.POSITIVE_INFINITY
  out.highIdx = -1
  out.lowIdx = -1
  s.scanColumns(fromIdx, toIdx, (i, h, l) => {
    if (h > out.high) {
      out.high = h
      out.highIdx = i
    }
    if (l < out.low) {
      out.low = l
      out.lowIdx = i
    }
  })
}
