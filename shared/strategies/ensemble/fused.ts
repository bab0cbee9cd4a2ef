// Seed 000 ensemble in one pass (the hot path of ensembleStrategy.signals): all six members, the
// weighted score and the threshold per bar, no member arrays. Bit-exact with the member-by-member
// reference (reference.ts; test/shared/strategies/ensemble/fused.test.ts compares them on many
// data and param sets); it only runs on "tame" closes (all finite, in [2^-400, 2^400]: every real
// price series) — anything else returns false and the caller takes the reference, which handles
// NaN/±Infinity/≤ 0 exactly.
// Why tame data makes each member cheap:
// - scalping: prev > 0 and finite always, so the seed's guards vanish; the division stays (it is
//   cheaper here than two margin multiplications) and is the seed's own expression.
// - swing: rolling sums compared as r·sumShort vs sumLong (r = long/short), re-anchored every
//   ANCHOR bars; only when |diff| ≤ tol (swing.ts swingTolerance, a proven bound) are both means
//   recomputed in numpy's order, after the block.
// - price-action: blocks of L = window − 1 bars as in price-action.ts (the window of a bar is a
//   prefix of its block plus a suffix of the previous one). Only a prefix record can break out,
//   and a bar inside [prefix min, prefix max] is also tame and within the swing bound, so most
//   bars cost one comparison pair. A record is decided by the previous block's extremes and their
//   first offsets, an earlier breakout in the block, or a scan of the previous block from the
//   right that stops at the first close at or past the record (a witness kept for later records:
//   each close is scanned at most once per block and side). No suffix-extreme arrays: filling
//   them branched on every backward record and cost more than these scans.
// - trend and day are one comparison; the decision is one lookup in a 128-entry table indexed by
//   the members' bits, filled from the rule's 729-state table (rule.ts ensembleTable), so the
//   score and threshold are the rule's own.
// V8 notes (each measured): numbers reach the loop through typed arrays and module consts are
// copied to locals (tagged/context values were re-checked, even boxed, on every bar); no call
// is inlined into the loop body; no Math.max/min (their code branches on the operand order);
// each typed array's type and length are re-checked once per loop iteration, not hoisted (hence
// two bars per iteration and the record work in an outer loop, see runSegment).
import { numpyMean } from '../numpy-sum.ts'
import { SWING_ANCHOR as ANCHOR, swingTolerance, TAME_MAX, TAME_MIN } from '../swing.ts'
import { stateCode } from './rule.ts'

/** Member params of the fused pass (resolved ensemble params). */
export interface FusedMemberParams {
  readonly period: number
  readonly short: number
  readonly long: number
  readonly takeRatio: number
  readonly stopRatio: number
  readonly window: number
}

/** Maps the 7 member bits of the fused loop to the decision, from the 729-entry code table. */
export function fusedTable(table729: Int8Array, out: Int8Array): void {
  for (let idx = 0; idx < 128; idx++) {
    const tr = idx & 1
    const mo = (idx >> 1) & 1
    const sw = (idx >> 2) & 1
    const su = (idx >> 3) & 1
    const sd = (idx >> 4) & 1
    const pu = (idx >> 5) & 1
    const pd = (idx >> 6) & 1
    // The seed tests take first: su and sd both set (take = stop = 0, change = 0) means +1.
    const sc = su === 1 ? 1 : sd === 1 ? -1 : 0
    // Past their warm-ups trend, momentum and swing say +1 or −1; trend and day are one bit.
    const trend = 2 * tr - 1
    out[idx] = pu & pd ? 0 : table729[stateCode(trend, 2 * mo - 1, 2 * sw - 1, sc, trend, pu - pd)]!
  }
}

/** First bar of the fused pass: every member is past its warm-up and both swing sums have a
 * close before their window (so the loop updates them on every bar). */
export function fusedStart(p: FusedMemberParams): number {
  return Math.max(2, p.period, p.short, p.long)
}

/**
 * Fills out[from..n) with the ensemble decision; needs close[0..from) for the look-back and
 * from ≥ fusedStart(p). Returns false (out[from..n) then undefined) when the
 * closes are not tame or the params are outside the shapes this pass proves exact for.
 */
export function fusedEnsembleInto(close: Float64Array, p: FusedMemberParams, table128: Int8Array, from: number, out: Int8Array): boolean {
  const n = close.length
  const { period, short, long, window } = p
  const maxSL = Math.max(short, long)
  if (!(Number.isInteger(period) && period >= 1 && Number.isInteger(short) && short >= 1)) return false
  if (!(Number.isInteger(long) && long >= 1 && maxSL <= ANCHOR)) return false
  if (!(Number.isInteger(window) && window >= 3)) return false
  if (from < Math.max(2, period, maxSL) || from >= n) return false
  if (!(Number.isFinite(p.takeRatio) && Number.isFinite(p.stopRatio))) return false
  if (!tameRange(close, 0, from)) return false
  const L = window - 1
  // Numbers go to the block loop through typed arrays: V8 then keeps them as raw float64/int32
  // in the loop; plain number arguments (Smi or heap number) were re-checked on every bar.
  const f = new Float64Array(F_SIZE)
  f[F_R] = long / short
  f[F_TAKE] = Math.abs(p.takeRatio)
  f[F_STOP] = -Math.abs(p.stopRatio)
  f[F_TAME_MIN] = TAME_MIN
  const iv = new Int32Array(I_SIZE)
  iv[I_PERIOD] = period
  iv[I_SHORT] = short
  iv[I_LONG] = long
  iv[I_L] = L
  // Price-action state at `from`: block [paStart, paStart + L) holds from. The previous block's
  // extremes and their first offsets (none before the series start: 0 and NO_MIN, which every
  // tame close breaks), then this block's prefix [paStart, from) as the current one.
  const paStart = from - (from % L)
  iv[I_PA_START] = paStart
  f[F_PRE_MAX] = 0
  f[F_PRE_MIN] = NO_MIN
  if (paStart >= L) blockExtremes(close, paStart - L, paStart - L, paStart, f, iv)
  nextBlock(f, iv)
  blockExtremes(close, paStart, paStart, from, f, iv)
  const savedF = new Float64Array(F_SIZE)
  const savedI = new Int32Array(I_SIZE)
  // (bar, member bits) of the near-tie swing bars of one block.
  const pending = new Int32Array(2 * ANCHOR)
  for (let b0 = from; b0 < n; b0 += ANCHOR) {
    const b1 = Math.min(n, b0 + ANCHOR)
    iv[I_B0] = b0
    iv[I_B1] = b1
    // Optimistic bound on the closes this block's rolling sums touch: 8× the look-back's max. The
    // block loop checks it (and tameness) on price-action records; if it fails, the block is redone
    // with the exact max. Both bounds are raised to the price-action prefix max if lower (a larger
    // bound only widens the tolerance): a bar up to that max is then within it unchecked.
    let lookMax = 0
    for (let i = b0 - maxSL; i <= b0; i++) if (close[i]! > lookMax) lookMax = close[i]!
    f[F_X_HI] = Math.max(8 * lookMax, f[F_PRE_MAX]!)
    f[F_TOL] = swingTolerance(short, long, f[F_X_HI]!)
    savedF.set(f)
    savedI.set(iv)
    if (runBlock(close, table128, pending, out, f, iv)) continue
    if (!tameRange(close, b0, b1)) return false
    let xMax = 0
    for (let i = b0 - maxSL; i < b1; i++) if (close[i]! > xMax) xMax = close[i]!
    f.set(savedF)
    iv.set(savedI)
    f[F_X_HI] = Math.max(xMax, f[F_PRE_MAX]!)
    f[F_TOL] = swingTolerance(short, long, f[F_X_HI]!)
    if (!runBlock(close, table128, pending, out, f, iv)) {
      throw new Error('fusedEnsembleInto: a tame block failed its exact bound (bug)')
    }
  }
  return true
}

/** Folds close[a..b) into the prefix extremes (and their first offsets) of the block that
 * starts at blockStart (a multiple of L, ≤ a). */
function blockExtremes(close: Float64Array, blockStart: number, a: number, b: number, f: Float64Array, iv: Int32Array): void {
  let preMax = f[F_PRE_MAX]!
  let preMin = f[F_PRE_MIN]!
  for (let i = a; i < b; i++) {
    const v = close[i]!
    if (v > preMax) {
      preMax = v
      iv[I_J_MAX] = i - blockStart
    }
    if (v < preMin) {
      preMin = v
      iv[I_J_MIN] = i - blockStart
    }
  }
  f[F_PRE_MAX] = preMax
  f[F_PRE_MIN] = preMin
}

/** The current block becomes the previous one: its extremes and their first offsets; nothing of
 * it scanned yet (no witness) and no breakout known in the new block. */
function nextBlock(f: Float64Array, iv: Int32Array): void {
  const L = iv[I_L]!
  f[F_PREV_MAX] = f[F_PRE_MAX]!
  f[F_PREV_MIN] = f[F_PRE_MIN]!
  iv[I_PREV_J_MAX] = iv[I_J_MAX]!
  iv[I_PREV_J_MIN] = iv[I_J_MIN]!
  f[F_PRE_MAX] = 0
  f[F_PRE_MIN] = NO_MIN
  iv[I_J_MAX] = 0
  iv[I_J_MIN] = 0
  iv[I_LO_MAX] = L
  iv[I_LO_MIN] = L
  f[F_W_MAX] = 0
  f[F_W_MIN] = NO_MIN
  iv[I_UP_DONE] = 0
  iv[I_DOWN_DONE] = 0
}

/** +∞ for minima of tame closes. */
const NO_MIN = 1e300
// Float state/params of runBlock.
const F_R = 0
const F_TAKE = 1
const F_STOP = 2
const F_TOL = 3
const F_X_HI = 4
const F_PRE_MAX = 5
const F_PRE_MIN = 6
const F_TAME_MIN = 8
const F_PREV_MAX = 9
const F_PREV_MIN = 10
const F_SUM_S = 12
const F_SUM_L = 13
const F_W_MAX = 14
const F_W_MIN = 15
const F_SIZE = 16
// Integer state/params of runBlock.
const I_PERIOD = 0
const I_SHORT = 1
const I_LONG = 2
const I_L = 3
const I_PA_START = 4
const I_B0 = 5
const I_B1 = 6
const I_J_MAX = 7
const I_J_MIN = 8
const I_PREV_J_MAX = 9
const I_PREV_J_MIN = 10
const I_T0 = 11
const I_T1 = 12
const I_LO_MAX = 13
const I_LO_MIN = 14
const I_UP_DONE = 15
const I_DOWN_DONE = 16
const I_SIZE = 17

function tameRange(close: Float64Array, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const v = close[i]!
    if (!(v >= TAME_MIN && v <= TAME_MAX)) return false
  }
  return true
}

/**
 * One anchor block [b0, b1): price-action block switches here, the bars in runSegment. Returns
 * false as soon as a close is above xHi or not tame (the swing tolerance would not be proven);
 * the caller then restores the state and redoes the block.
 */
function runBlock(close: Float64Array, table: Int8Array, pending: Int32Array, out: Int8Array, f: Float64Array, iv: Int32Array): boolean {
  const L = iv[I_L]!
  const b0 = iv[I_B0]!
  const b1 = iv[I_B1]!
  const short = iv[I_SHORT]!
  const long = iv[I_LONG]!
  // Sums of the windows ending at b0 − 1: the segments then update them on every bar.
  let sS = 0
  for (let i = b0 - short; i < b0; i++) sS += close[i]!
  let sL = 0
  for (let i = b0 - long; i < b0; i++) sL += close[i]!
  f[F_SUM_S] = sS
  f[F_SUM_L] = sL
  let t = b0
  while (t < b1) {
    const paStart = iv[I_PA_START]!
    const paNext = paStart + L
    if (t === paNext) {
      nextBlock(f, iv)
      iv[I_PA_START] = paNext
      continue
    }
    const end = b1 < paNext ? b1 : paNext
    iv[I_T0] = t
    iv[I_T1] = end
    if (!runSegment(close, table, pending, out, f, iv)) return false
    t = end
  }
  return true
}

/**
 * Bars [t0, t1) inside one anchor block and one price-action block. Returns false when a close
 * breaks the block's bound or is not tame (the state is then partly updated: the caller redoes
 * the block). Near-tie swing bars are redone before returning.
 * Two nested loops: the outer one does the price action of a record bar (bars outside the prefix
 * range), the inner one the bar itself and the plain bars after it, two per iteration. Keeping the
 * record work out of the inner loop left V8 registers for the bar work (−0.4 ns/bar); two bars
 * per iteration share V8's per-iteration type and length checks of close, table and out (−0.3).
 */
function runSegment(close: Float64Array, table: Int8Array, pending: Int32Array, out: Int8Array, f: Float64Array, iv: Int32Array): boolean {
  const r = f[F_R]!
  const take = f[F_TAKE]!
  const stop = f[F_STOP]!
  const tol = f[F_TOL]!
  const xHi = f[F_X_HI]!
  // Module-level consts are context loads (with a TDZ check) in V8's optimized code: locals.
  const tameMin = f[F_TAME_MIN]!
  const prevMax = f[F_PREV_MAX]!
  const prevMin = f[F_PREV_MIN]!
  let wMax = f[F_W_MAX]!
  let wMin = f[F_W_MIN]!
  let preMax = f[F_PRE_MAX]!
  let preMin = f[F_PRE_MIN]!
  let sS = f[F_SUM_S]!
  let sL = f[F_SUM_L]!
  const period = iv[I_PERIOD]!
  const short = iv[I_SHORT]!
  const long = iv[I_LONG]!
  const t1 = iv[I_T1]!
  const paStart = iv[I_PA_START]!
  const prevStart = paStart - iv[I_L]!
  const prevJMax = iv[I_PREV_J_MAX]!
  const prevJMin = iv[I_PREV_J_MIN]!
  let loMax = iv[I_LO_MAX]!
  let loMin = iv[I_LO_MIN]!
  let jMax = iv[I_J_MAX]!
  let jMin = iv[I_J_MIN]!
  let upDone = iv[I_UP_DONE]!
  let downDone = iv[I_DOWN_DONE]!
  let inBound = true
  let np = 0
  let t = iv[I_T0]!
  let prev = close[t - 1]!
  while (t < t1) {
    let c = close[t]!
    let pa = 0
    // A close inside [preMin, preMax] (this block's prefix range) is no price-action record (so
    // no breakout), tame (as the prefix closes) and ≤ xHi (≥ preMax, see fusedEnsembleInto): one
    // comparison pair on most bars; the rest of this is only done on records.
    if (!(c <= preMax && c >= preMin)) {
      if (!(c <= xHi && c >= tameMin)) {
        inBound = false
        break
      }
      // ---- price action. The window is this block's prefix plus the previous block from offset
      // j; only a prefix record can break out. It does if: an earlier one in this block did (c >
      // that close > the previous block's closes from there on); c is above the previous block's
      // max; or j is past the scanned witness (the closes above it are below an earlier, lower
      // record). It does not if j is up to the previous max's first offset or the witness is ≥ c.
      // Else the previous block is scanned down from below the witness (offsets above it are all
      // < c) to the first close ≥ c at offset ≥ j, the new witness; none: the bar breaks out.
      const j = t - paStart
      if (c > preMax) {
        if (upDone === 0 && c <= prevMax && j <= loMax && j > prevJMax && c > wMax) {
          let i = loMax - 1
          while (i >= j && close[prevStart + i]! < c) i--
          loMax = i
          if (i >= j) wMax = close[prevStart + i]!
        }
        if (upDone === 1 || c > prevMax || j > loMax) {
          upDone = 1
          pa = 32
        }
        preMax = c
        jMax = j
      }
      if (c < preMin) {
        if (downDone === 0 && c >= prevMin && j <= loMin && j > prevJMin && c < wMin) {
          let i = loMin - 1
          while (i >= j && close[prevStart + i]! > c) i--
          loMin = i
          if (i >= j) wMin = close[prevStart + i]!
        }
        if (downDone === 1 || c < prevMin || j > loMin) {
          downDone = 1
          pa |= 64
        }
        preMin = c
        jMin = j
      }
    }
    // Bar t (price action pa), then the plain bars after it until the next record, two per
    // iteration. The second bar's body is a copy of the first's with pa = 0: V8 checks each typed
    // array once per loop iteration, and a shared helper (inlined or not) lost the gain.
    for (;;) {
      sS += c - close[t - short]!
      sL += c - close[t - long]!
      let diff = sS * r - sL // swing (near-ties are decided after the segment, from `pending`)
      let change = (c - prev) / prev // scalping: the seed's expression (prev > 0 and finite)
      let idx =
        +(c > prev) | (+(c > close[t - period]!) << 1) | (+(diff > 0) << 2) | (+(change >= take) << 3) | (+(change <= stop) << 4) | pa
      out[t] = table[idx]!
      if (!(Math.abs(diff) > tol)) {
        // Out of line: the numpy recomputation inlined here slowed every bar by ~1 ns.
        pending[np++] = t
        pending[np++] = idx & ~4
      }
      prev = c
      t++
      if (t >= t1) break
      c = close[t]!
      if (!(c <= preMax && c >= preMin)) break
      sS += c - close[t - short]!
      sL += c - close[t - long]!
      diff = sS * r - sL
      change = (c - prev) / prev
      idx = +(c > prev) | (+(c > close[t - period]!) << 1) | (+(diff > 0) << 2) | (+(change >= take) << 3) | (+(change <= stop) << 4)
      out[t] = table[idx]!
      if (!(Math.abs(diff) > tol)) {
        pending[np++] = t
        pending[np++] = idx & ~4
      }
      prev = c
      t++
      if (t >= t1) break
      c = close[t]!
      if (!(c <= preMax && c >= preMin)) break
      pa = 0
    }
  }
  for (let k = 0; k < np; k += 2) {
    const tt = pending[k]!
    const sw = +(numpyMean(close, tt - short + 1, short) > numpyMean(close, tt - long + 1, long))
    out[tt] = table[pending[k + 1]! | (sw << 2)]!
  }
  f[F_PRE_MAX] = preMax
  f[F_PRE_MIN] = preMin
  f[F_SUM_S] = sS
  f[F_SUM_L] = sL
  f[F_W_MAX] = wMax
  f[F_W_MIN] = wMin
  iv[I_J_MAX] = jMax
  iv[I_J_MIN] = jMin
  iv[I_UP_DONE] = upDone
  iv[I_DOWN_DONE] = downDone
  iv[I_LO_MAX] = loMax
  iv[I_LO_MIN] = loMin
  return inBound
}
