// The append-only live series a run decides on: warm-up history, then each closed bar as it
// arrives. Columns grow by doubling (amortised O(1) per bar) and `view()` hands out exact-length
// subarrays, so the strategy and the kernel see an ordinary CandleSeries (its length is the
// number of bars) without a copy per bar.
import { allocSeries, type CandleSeries } from '../../shared/candles/types.ts'

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

export class LiveSeries {
  private cols: CandleSeries
  private n = 0

  constructor(capacity = 1024) {
    this.cols = allocSeries(Math.max(16, capacity))
  }

  get length(): number {
    return this.n
  }

  /** Open time of the newest bar (NaN when empty). */
  get lastTimeMs(): number {
    return this.n === 0 ? NaN : this.cols.time[this.n - 1]!
  }

  /**
   * Appends the bars of `s` that are newer than the newest one held (older or repeated bars are
   * skipped: a backfill may overlap what is already there); returns how many were appended.
   */
  append(s: CandleSeries): number {
    let added = 0
    for (let i = 0; i < s.time.length; i++) {
      if (this.n > 0 && !(s.time[i]! > this.cols.time[this.n - 1]!)) continue
      if (this.n === this.cols.time.length) this.grow()
      for (const f of FIELDS) this.cols[f][this.n] = s[f][i]!
      this.n++
      added++
    }
    return added
  }

  /** The bars so far as a series (views into the columns: valid until the next append). */
  view(): CandleSeries {
    const n = this.n
    const c = this.cols
    return {
      time: c.time.subarray(0, n),
      open: c.open.subarray(0, n),
      high: c.high.subarray(0, n),
      low: c.low.subarray(0, n),
      close: c.close.subarray(0, n),
      volume: c.volume.subarray(0, n),
    }
  }

  private grow(): void {
    const next = allocSeries(this.cols.time.length * 2)
    for (const f of FIELDS) next[f].set(this.cols[f])
    this.cols = next
  }
}
