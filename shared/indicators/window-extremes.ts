// TA-Lib's running window extremes for STOCH and WILLR (ta_STOCH.c, ta_WILLR.c): the lowest low
// and highest high of bars [trailing, today], tracked by index and rescanned only when the
// extreme leaves the window. A rescan keeps the earliest of equal values (strict compare); a new
// bar that ties the extreme takes it over (≤ / ≥), exactly as TA-Lib does.

export class WindowExtremes {
  lowestIdx = -1
  highestIdx = -1
  lowest = 0
  highest = 0

  /** Moves the window to end at `today` (bars must be fed in order, trailing = today − (n − 1)). */
  update(high: Float64Array, low: Float64Array, today: number, trailing: number): void {
    let tmp = low[today]!
    if (this.lowestIdx < trailing) {
      let idx = trailing
      let v = low[trailing]!
      for (let i = trailing + 1; i <= today; i++) {
        tmp = low[i]!
        if (tmp < v) {
          idx = i
          v = tmp
        }
      }
      this.lowestIdx = idx
      this.lowest = v
    } else if (tmp <= this.lowest) {
      this.lowestIdx = today
      this.lowest = tmp
    }
    tmp = high[today]!
    if (this.highestIdx < trailing) {
      let idx = trailing
      let v = high[trailing]!
      for (let i = trailing + 1; i <= today; i++) {
        tmp = high[i]!
        if (tmp > v) {
          idx = i
          v = tmp
        }
      }
      this.highestIdx = idx
      this.highest = v
    } else if (tmp >= this.highest) {
      this.highestIdx = today
      this.highest = tmp
    }
  }
}
