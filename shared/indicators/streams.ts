// Streaming (one closed bar at a time) forms of SMA, EMA, RSI, ATR and MACD for the live runner.
// Each performs the batch function's floating-point operations in the same order, so after the
// same bars it returns exactly (bit for bit) the batch value; NaN during the same warm-up.
// State is a few numbers and preallocated rings: update() allocates nothing.
import { checkPeriod, taIsZero } from './common.ts'
import { trueRange } from './atr.ts'
import { normaliseMacd } from './macd.ts'

/** A single-input stream: feed one value per closed bar, get the indicator value (NaN in warm-up). */
export interface ValueStream {
  update(x: number): number
  /** Bars fed so far. */
  readonly bars: number
}

/** A high/low/close stream (ATR, CCI, Williams %R). */
export interface HlcStream {
  update(high: number, low: number, close: number): number
  readonly bars: number
}

/** MACD stream: update() returns the MACD line; the three latest outputs are readable after it. */
export interface MacdStream extends ValueStream {
  readonly macd: number
  readonly signal: number
  readonly hist: number
}

/** Streaming sma(x, n): same running total and order as the batch (INT_SMA). */
export function createSmaStream(n: number): ValueStream {
  checkPeriod('createSmaStream', 'n', n, 2)
  const ring = new Float64Array(n)
  let head = 0
  let bars = 0
  let total = 0
  return {
    get bars() {
      return bars
    },
    update(x: number): number {
      total += x
      ring[head] = x
      head = head === n - 1 ? 0 : head + 1
      bars++
      if (bars < n) return Number.NaN
      const t = total
      total -= ring[head]! // after the write, `head` holds the oldest of the n values
      return t / n
    },
  }
}

/** Streaming ema(x, n): SMA seed over the first n values, then ((x − ema) * k) + ema. */
export function createEmaStream(n: number): ValueStream {
  checkPeriod('createEmaStream', 'n', n, 2)
  const k = 2 / (n + 1)
  let bars = 0
  let sum = 0
  let prev = Number.NaN
  return {
    get bars() {
      return bars
    },
    update(x: number): number {
      bars++
      if (bars < n) {
        sum += x
        return Number.NaN
      }
      if (bars === n) {
        sum += x
        prev = sum / n
        return prev
      }
      prev = (x - prev) * k + prev
      return prev
    },
  }
}

/** Streaming rsi(x, n): first value after n + 1 bars (n changes), then Wilder updates. */
export function createRsiStream(n: number): ValueStream {
  checkPeriod('createRsiStream', 'n', n, 2)
  const m = n - 1
  let bars = 0
  let prevValue = 0
  let gain = 0
  let loss = 0
  return {
    get bars() {
      return bars
    },
    update(x: number): number {
      bars++
      if (bars === 1) {
        prevValue = x
        return Number.NaN
      }
      const d = x - prevValue
      prevValue = x
      if (bars <= n + 1) {
        if (d < 0) loss -= d
        else gain += d
        if (bars < n + 1) return Number.NaN
        loss /= n
        gain /= n
      } else {
        loss *= m
        gain *= m
        if (d < 0) loss -= d
        else gain += d
        loss /= n
        gain /= n
      }
      const s = gain + loss
      return taIsZero(s) ? 0 : 100 * (gain / s)
    },
  }
}

/** Streaming atr(high, low, close, n): seed = mean of the first n true ranges, then Wilder. */
export function createAtrStream(n: number): HlcStream {
  checkPeriod('createAtrStream', 'n', n, 1)
  const m = n - 1
  let bars = 0
  let prevClose = 0
  let sum = 0
  let prev = Number.NaN
  return {
    get bars() {
      return bars
    },
    update(high: number, low: number, close: number): number {
      bars++
      const first = bars === 1
      const tr = first ? Number.NaN : trueRange(high, low, prevClose)
      prevClose = close
      if (first) return Number.NaN
      if (n === 1) return tr
      if (bars <= n + 1) {
        sum += tr
        if (bars < n + 1) return Number.NaN
        prev = sum / n
        return prev
      }
      prev *= m
      prev += tr
      prev /= n
      return prev
    },
  }
}

/** Streaming macd(x, fast, slow, signal): same seeds and lockstep updates as the batch. */
export function createMacdStream(fast: number, slow: number, signal: number): MacdStream {
  const p = normaliseMacd('createMacdStream', fast, slow, signal)
  const kFast = 2 / (p.fast + 1)
  const kSlow = 2 / (p.slow + 1)
  const kSignal = 2 / (p.signal + 1)
  const fastStart = p.slow - p.fast
  const lookback = p.slow - 1 + (p.signal - 1)
  let bars = 0
  let slowSum = 0
  let fastSum = 0
  let sigSum = 0
  let prevFast = 0
  let prevSlow = 0
  let prevSignal = 0
  let outMacd = Number.NaN
  let outSignal = Number.NaN
  let outHist = Number.NaN
  return {
    get bars() {
      return bars
    },
    get macd() {
      return outMacd
    },
    get signal() {
      return outSignal
    },
    get hist() {
      return outHist
    },
    update(x: number): number {
      const i = bars++
      if (i < p.slow) {
        slowSum += x
        if (i >= fastStart) fastSum += x
        if (i === p.slow - 1) {
          prevSlow = slowSum / p.slow
          prevFast = fastSum / p.fast
          sigSum += prevFast - prevSlow
        }
        return Number.NaN
      }
      prevFast = (x - prevFast) * kFast + prevFast
      prevSlow = (x - prevSlow) * kSlow + prevSlow
      const m = prevFast - prevSlow
      if (i < lookback) {
        sigSum += m
        return Number.NaN
      }
      if (i === lookback) {
        sigSum += m
        prevSignal = sigSum / p.signal
      } else {
        prevSignal = (m - prevSignal) * kSignal + prevSignal
      }
      outMacd = m
      outSignal = prevSignal
      outHist = m - prevSignal
      return m
    },
  }
}
