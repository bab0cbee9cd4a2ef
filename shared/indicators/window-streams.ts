// Streaming forms of CCI, Bollinger bands, Williams %R and the engulfing pattern. Each keeps the
// batch function's buffers (same circular-buffer slots, same index-tracked extremes) so that its
// outputs are bit-identical to the batch values. update() allocates nothing.
import { checkPeriod, checkReal, taIsZeroOrNeg } from './common.ts'
import { engulfingAt } from './engulfing.ts'
import type { HlcStream, ValueStream } from './streams.ts'

/** Bollinger stream: update() returns the middle band; the three latest bands are readable after it. */
export interface BbandsStream extends ValueStream {
  readonly upper: number
  readonly middle: number
  readonly lower: number
}

/** Engulfing stream: feed each closed candle; ±100 / ±80 / 0 from the third candle on, else NaN. */
export interface OhlcStream {
  update(open: number, high: number, low: number, close: number): number
  readonly bars: number
}

/** Streaming cci(high, low, close, n): same circular buffer and storage-order summation. */
export function createCciStream(n: number): HlcStream {
  checkPeriod('createCciStream', 'n', n, 2)
  const buf = new Float64Array(n)
  let idx = 0
  let bars = 0
  return {
    get bars() {
      return bars
    },
    update(high: number, low: number, close: number): number {
      const last = (high + low + close) / 3
      buf[idx] = last
      bars++
      let out = Number.NaN
      if (bars >= n) {
        let avg = 0
        for (let j = 0; j < n; j++) avg += buf[j]!
        avg /= n
        let dev = 0
        for (let j = 0; j < n; j++) dev += Math.abs(buf[j]! - avg)
        const t = last - avg
        out = t !== 0 && dev !== 0 ? t / (0.015 * (dev / n)) : 0
      }
      idx = idx === n - 1 ? 0 : idx + 1
      return out
    },
  }
}

/** Streaming bbands(x, n, kUp, kDown): running Σx and Σx² in the batch's order. */
export function createBbandsStream(n: number, kUp: number, kDown: number): BbandsStream {
  checkPeriod('createBbandsStream', 'n', n, 2)
  checkReal('createBbandsStream', 'kUp', kUp)
  checkReal('createBbandsStream', 'kDown', kDown)
  const ring = new Float64Array(n)
  let head = 0
  let bars = 0
  let total = 0
  let total2 = 0
  let upper = Number.NaN
  let middle = Number.NaN
  let lower = Number.NaN
  return {
    get bars() {
      return bars
    },
    get upper() {
      return upper
    },
    get middle() {
      return middle
    },
    get lower() {
      return lower
    },
    update(x: number): number {
      ring[head] = x
      head = head === n - 1 ? 0 : head + 1
      bars++
      total += x
      if (bars < n) {
        total2 += x * x
        return Number.NaN
      }
      const t = total
      const old = ring[head]!
      total -= old
      const mid = t / n
      total2 += x * x
      let variance = total2 / n
      total2 -= old * old
      variance -= mid * mid
      const sd = taIsZeroOrNeg(variance) ? 0 : Math.sqrt(variance)
      middle = mid
      upper = mid + sd * kUp
      lower = mid - sd * kDown
      return mid
    },
  }
}

/** Streaming willr(high, low, close, n): TA-Lib's index-tracked extremes over rings of n bars. */
export function createWillrStream(n: number): HlcStream {
  checkPeriod('createWillrStream', 'n', n, 2)
  const highs = new Float64Array(n)
  const lows = new Float64Array(n)
  const lb = n - 1
  let bars = 0
  let lowestIdx = -1
  let highestIdx = -1
  let lowest = 0
  let highest = 0
  let diff = 0
  return {
    get bars() {
      return bars
    },
    update(high: number, low: number, close: number): number {
      const today = bars++
      highs[today % n] = high
      lows[today % n] = low
      if (today < lb) return Number.NaN
      const trailing = today - lb
      if (lowestIdx < trailing) {
        lowestIdx = trailing
        lowest = lows[trailing % n]!
        for (let i = trailing + 1; i <= today; i++) {
          const tmp = lows[i % n]!
          if (tmp < lowest) {
            lowestIdx = i
            lowest = tmp
          }
        }
        diff = (highest - lowest) / -100
      } else if (low <= lowest) {
        lowestIdx = today
        lowest = low
        diff = (highest - lowest) / -100
      }
      if (highestIdx < trailing) {
        highestIdx = trailing
        highest = highs[trailing % n]!
        for (let i = trailing + 1; i <= today; i++) {
          const tmp = highs[i % n]!
          if (tmp > highest) {
            highestIdx = i
            highest = tmp
          }
        }
        diff = (highest - lowest) / -100
      } else if (high >= highest) {
        highestIdx = today
        highest = high
        diff = (highest - lowest) / -100
      }
      return diff !== 0 ? (highest - close) / diff : 0
    },
  }
}

/** Streaming engulfing(open, high, low, close): NaN for the first two candles (TA-Lib lookback 2). */
export function createEngulfingStream(): OhlcStream {
  let bars = 0
  let prevOpen = 0
  let prevClose = 0
  return {
    get bars() {
      return bars
    },
    update(open: number, _high: number, _low: number, close: number): number {
      bars++
      const out = bars >= 3 ? engulfingAt(prevOpen, prevClose, open, close) : Number.NaN
      prevOpen = open
      prevClose = close
      return out
    },
  }
}
