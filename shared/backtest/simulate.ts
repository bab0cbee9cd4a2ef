// The backtest loop: drives the kernel over bars [fromBar, toBar) of a series with precomputed
// signals. Bars before fromBar are warm-up only (signals are look-ahead free, so they may be
// computed on the whole series). Shared by runBacktest (full traces) and the optimizer's
// metrics-only path, so both give identical numbers.
import type { CandleSeries } from '../candles/types.ts'
import { BLOCK, BLOCK_SHIFT, seriesIndexOf, type SeriesIndex } from '../candles/series-index.ts'
import { limitSellPrice, marketBuyCheck, marketSellRejected } from '../engine/decide.ts'
import { stepRange } from '../engine/kernel.ts'
import { type KernelState, reject, REJECT_BELOW_MINIMUM, SIDE_BUY, SIDE_SELL } from '../engine/state.ts'
import { SIZING_ALL_IN } from '../engine/params.ts'
import type { KernelParams } from '../engine/params.ts'
import type { MetricsAccumulator } from '../metrics/accumulator.ts'

export function checkRange(series: CandleSeries, signals: Int8Array, fromBar: number, toBar: number): void {
  const n = series.close.length
  if (signals.length !== n) throw new RangeError(`signals length ${signals.length} differs from series length ${n}`)
  if (!Number.isInteger(fromBar) || !Number.isInteger(toBar) || fromBar < 0 || toBar > n || fromBar >= toBar) {
    throw new RangeError(`bar range [${fromBar}, ${toBar}) is empty or outside the series of ${n} bars`)
  }
}

/**
 * Runs the kernel over [fromBar, toBar). `equityOut`, when given, receives the equity of every bar
 * (index 0 = fromBar). The state must be reset by the caller; the accumulator is reset here.
 *
 * Bars with an order pending, a wish to act, or a stop or target reached go through the kernel's
 * stepRange. The stretches between them, where the kernel would change nothing but counters, are
 * passed in bulk: flat runs (no buy wish) and holding runs (bars count and move the trailing
 * peak; no sell wish, no exit reached). Wishes the kernel would certainly reject (an account
 * blown to dust) are counted in the runs without leaving them. Holding runs pass whole blocks
 * where the series' summaries prove that nothing can happen, and equity is marked a day at a time
 * where no drawdown can be set. Property tests check simulate against stepRange bar by bar
 * (equity, metrics, rejections).
 */
export function simulate(
  series: CandleSeries,
  signals: Int8Array,
  p: KernelParams,
  fromBar: number,
  toBar: number,
  st: KernelState,
  acc: MetricsAccumulator,
  equityOut: Float64Array | null,
): void {
  const { time, close } = series
  const idx = seriesIndexOf(series)
  const words = signals.byteOffset % 4 === 0 ? new Int32Array(signals.buffer, signals.byteOffset, signals.length >> 2) : null
  acc.reset(p.initialCash)
  acc.index = idx
  let i = fromBar
  while (i < toBar) {
    if (st.pendSide === 0 /* SIDE_NONE */) {
      if (st.qty === 0) {
        i = flatRun(series, signals, words, p, i, toBar, st, acc, idx, equityOut, fromBar)
      } else {
        const j = holdingRun(series, idx, signals, words, p, i, toBar, st)
        if (j > i) {
          acc.markRun(time, close, st.cash, st.qty, i, j, equityOut, fromBar)
          st.barsInPosition += j - i
          i = j
        }
      }
      if (i >= toBar) break
    }
    i = stepRange(st, p, series, signals, i, toBar, acc, equityOut, fromBar, QUIET_BARS)
  }
  acc.index = null
}

/**
 * stepRange hands back to the bulk runs after this many bars in a row with nothing pending. Short
 * quiet stretches between orders (an active strategy trades every few bars) are cheaper stepped
 * than entered and left as runs; long ones are far cheaper as runs. Measured on the default seed
 * ensemble (dense) and the W2 RSI sweep (sparse): 16 is ~1.5% faster on the first and ~10%
 * slower on the second than 8; 4 the other way round by ~5%.
 */
const QUIET_BARS = 8

/**
 * Flat with nothing pending from bar i: bars without a buy wish change nothing. Returns the first
 * bar with a buy wish the kernel must decide (or toBar), after marking the constant equity of the
 * bars before it. Wishes that are certainly rejected are counted here and the run goes on: all-in
 * limit buys with cash under the minimum, and market buys whose placement check (which depends
 * on the cash alone) fails.
 */
function flatRun(
  series: CandleSeries,
  signals: Int8Array,
  words: Int32Array | null,
  p: KernelParams,
  i: number,
  toBar: number,
  st: KernelState,
  acc: MetricsAccumulator,
  idx: SeriesIndex,
  equityOut: Float64Array | null,
  fromBar: number,
): number {
  const close = series.close
  // A limit all-in buy with less cash than the minimum is always rejected (qty·P ≤ cash < min);
  // its reason is below-minimum when the volume is non-zero, which holds when cash / (P·factor)
  // ≥ 3e-8 (two units after rounding and the one-unit safety step) with P bounded by
  // close·(1 + aggressiveness) plus at most one tick.
  const allInDust = p.isLimit && p.sizingKind === SIZING_ALL_IN && st.cash < p.minOrderQuote
  const marketVerdict = p.isLimit ? -1 : marketBuyCheck(st, p)
  const buyRise = 1 + p.aggressivenessRate
  const buyPriceBound = buyRise * TICK_BOUND * p.allInCostFactor
  let k = i
  while (k < toBar) {
    const j = nextBuyWish(signals, words, k, toBar)
    if (j >= toBar) {
      k = toBar
      break
    }
    if (marketVerdict >= 0) {
      // placeBuy would give this very rejection (same check, same cash).
      reject(st, j, SIDE_BUY, marketVerdict)
      k = j + 1
      continue
    }
    const cj = close[j]!
    if (!(allInDust && cj * buyRise >= TICK_BOUND_FROM && st.cash / (cj * buyPriceBound) >= 3e-8)) {
      k = j
      break
    }
    // placeBuy would size a non-zero all-in volume worth under the minimum: the same rejection.
    reject(st, j, SIDE_BUY, REJECT_BELOW_MINIMUM)
    k = j + 1
  }
  if (k > i) {
    acc.flatRun(series.time, idx.dayEnd, i, k, st.cash)
    if (equityOut !== null) equityOut.fill(st.cash, i - fromBar, k - fromBar)
  }
  return k
}

/**
 * A KRW tick is at most 1% of any price ≥ 0.00001 (the worst case is a band's lower bound: 100 →
 * tick 1, 10 → 0.1, …), so a rounded limit price is below price × TICK_BOUND there (the extra
 * 0.02% covers the rounding tolerance and float noise).
 */
const TICK_BOUND = 1.0102
const TICK_BOUND_FROM = 0.00001

/** First index ≥ i with signals[k] > 0, scanning four signals per word where aligned. */
function nextBuyWish(signals: Int8Array, words: Int32Array | null, i: number, toBar: number): number {
  let k = i
  if (words !== null) {
    while (k < toBar && (k & 3) !== 0) {
      if (signals[k]! > 0) return k
      k++
    }
    // Words of all-zero or all-negative signals (the common cases) are passed whole. Here k is
    // aligned (or at toBar), so w << 2 never moves it backwards.
    const wEnd = toBar >> 2
    let w = k >> 2
    if (k < toBar) {
      while (w < wEnd) {
        const x = words[w]!
        if (x !== 0 && x !== -1 && hasPositive(x)) break
        w++
      }
      k = w << 2
    }
  }
  while (k < toBar && signals[k]! <= 0) k++
  return k
}

/** Any byte of the word in 1..127 (a positive Int8). */
function hasPositive(x: number): boolean {
  for (let s = 0; s < 32; s += 8) {
    const b = (x >>> s) & 0xff
    if (b !== 0 && b < 0x80) return true
  }
  return false
}

/**
 * Holding, nothing pending: the end of the run of bars [i, j) whose open and range reach neither
 * the stop nor the take-profit (the kernel's exit tests, with the trailing peak moved by each
 * bar's high afterwards, as the kernel does) and that hold no sell wish, except wishes the
 * kernel would certainly reject (a position under the minimum), which are counted here. Updates
 * the trailing peak. The bar at the returned index, if any, goes through stepRange.
 */
function holdingRun(
  series: CandleSeries,
  idx: SeriesIndex,
  signals: Int8Array,
  words: Int32Array | null,
  p: KernelParams,
  i: number,
  toBar: number,
  st: KernelState,
): number {
  const { open, high, low, close } = series
  const hasStop = p.stopLossRate > 0 || p.trailingStopRate > 0
  const fixedStop = p.stopLossRate > 0 ? st.entryPrice * (1 - p.stopLossRate) : 0
  const tp = p.takeProfitRate > 0 ? st.entryPrice * (1 + p.takeProfitRate) : Infinity
  const keep = 1 - p.trailingStopRate
  const trailing = p.trailingStopRate > 0
  let peak = st.peak
  let stop = fixedStop
  if (trailing && peak * keep > stop) stop = peak * keep
  // Sell wishes of a position under the minimum (a blown account holding dust) are rejected until
  // the price recovers. A limit sell at close c certainly is when even the highest price
  // limitSellPrice can give, c·(1 − aggressiveness) plus at most one tick, leaves the position
  // under the minimum. Near that bound the exact test decides, and its rejections are remembered:
  // limitSellPrice is non-decreasing in the close (a float product, then rounding to a tick
  // ladder whose band edges are ticks of both bands), so every positive close ≤ rejectedUpTo is
  // rejected too. (A wish that would be placed ends the run, so nothing else needs remembering.)
  const isLimit = p.isLimit
  const qty = st.qty
  const min = p.minOrderQuote
  const sellDrop = 1 - p.aggressivenessRate
  let rejectedUpTo = 0
  let k = i
  while (k < toBar) {
    // A whole block at once: no sell wish in it that could be placed, and even with the peak
    // raised by the block's highest high (the largest stop any of its bars can face) nothing
    // reaches stop or target.
    if ((k & (BLOCK - 1)) === 0 && words !== null && k + BLOCK <= toBar) {
      const b = k >> BLOCK_SHIFT
      const hm = idx.highMax[b]!
      const peakAfter = trailing && hm > peak ? hm : peak
      const stopAfter = trailing && peakAfter * keep > fixedStop ? peakAfter * keep : fixedStop
      if ((!hasStop || idx.reachLowMin[b]! > stopAfter) && idx.reachHighMax[b]! < tp) {
        const wishes = sellWishCount(words, k)
        let skip = wishes === 0
        const cMin = idx.closeMin[b]!
        const cMax = idx.closeMax[b]!
        if (
          !skip &&
          (isLimit
            ? (cMin > 0 && cMax <= rejectedUpTo) || (cMin * sellDrop >= TICK_BOUND_FROM && qty * (cMax * sellDrop * TICK_BOUND) < min)
            : marketSellRejected(st, p, cMax))
        ) {
          // Every sell wish of the block is rejected as placeSell would: count them in bulk.
          if (st.sink === null) st.rejectBelowMinimum += wishes
          else rejectSellWishes(st, signals, k)
          skip = true
        }
        if (skip) {
          peak = peakAfter
          stop = stopAfter
          k += BLOCK
          continue
        }
      }
    }
    const o = open[k]!
    if (hasStop && (o <= stop || low[k]! <= stop)) break
    const h = high[k]!
    if (o >= tp || h >= tp) break
    if (signals[k]! < 0) {
      // A sell wish. Unless it is certainly rejected, the kernel decides it (bar k is left
      // untouched for stepRange); a rejected one is counted here without leaving the run.
      const c = close[k]!
      if (!isLimit) {
        // A market sell's placement check is exact and cheap: the kernel's own.
        if (!marketSellRejected(st, p, c)) break
      } else if (!(c > 0 && c <= rejectedUpTo)) {
        const sure = c * sellDrop >= TICK_BOUND_FROM && qty * (c * sellDrop * TICK_BOUND) < min
        // The exact test is placeSell's own (same price function, same comparison).
        if (!sure && !(qty * limitSellPrice(p, c) < min)) {
          break
        }
        if (c > rejectedUpTo) rejectedUpTo = c
      }
      if (trailing && h > peak) {
        peak = h
        if (peak * keep > stop) stop = peak * keep
      }
      reject(st, k, SIDE_SELL, REJECT_BELOW_MINIMUM)
      k++
      continue
    }
    // Runs start after the entry bar, so every bar's high may move the trailing peak.
    if (trailing && h > peak) {
      peak = h
      if (peak * keep > stop) stop = peak * keep
    }
    k++
  }
  st.peak = peak
  return k
}

/** The sell wishes of the block at k, each a below-minimum rejection told to the sink in bar order. */
function rejectSellWishes(st: KernelState, signals: Int8Array, k: number): void {
  for (let t = k; t < k + BLOCK; t++) if (signals[t]! < 0) reject(st, t, SIDE_SELL, REJECT_BELOW_MINIMUM)
}

/**
 * The number of −1s among the BLOCK signals starting at k (k a multiple of BLOCK): sign bits moved
 * to the low bit of each byte, summed bytewise (at most 8 per byte), then the four byte sums added
 * by one multiplication.
 */
function sellWishCount(words: Int32Array, k: number): number {
  const w0 = k >> 2
  let sum = 0
  for (let w = w0; w < w0 + (BLOCK >> 2); w++) sum += (words[w]! >>> 7) & 0x01010101
  return Math.imul(sum, 0x01010101) >>> 24
}
