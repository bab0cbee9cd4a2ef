// Seed 000 ensemble in one pass (the hot path of ensembleStrategy.signals): all six members, the
// weighted score and the threshold per bar, no member arrays. Bit-exact with the member kernels +
// combineEnsemble (a test compares them on many data and param sets); it only runs on "tame"
// closes (all finite, in [2^-400, 2^400]: every real price series) — anything else returns false
// and the caller takes the member-by-member path, which handles NaN/±Infinity/≤ 0 exactly.
// Why tame data makes each member cheap:
// - scalping: prev > 0 and finite always, so the seed's guards vanish; the division stays (it is
//   cheaper here than two margin multiplications) and is the seed's own expression.
// - swing: rolling sums compared as r·sumShort vs sumLong (r = long/short), re-anchored every
//   ANCHOR bars; only when |diff| ≤ tol (swing.ts swingTolerance, a proven bound) are both means
//   recomputed in numpy's order, after the block.
// - price-action: van Herk / Gil-Werman blocks as in price-action.ts, read on prefix records only.
// - trend and day are one comparison; the decision is one lookup in a 128-entry table indexed by
//   the members' bits, filled from ensembleTable (so the score is summed in the seed's order).
// V8 notes (each measured): numbers reach the loop through typed arrays and module consts are
// copied to locals (tagged/context values were re-checked, even boxed, on every bar); no call
// is inlined into the loop body; no Math.max/min (their code branches on the operand order).
import { numpyMean } from './numpy-sum.ts'
import { SWING_ANCHOR as ANCHOR, swingTolerance, TAME_MAX, TAME_MIN } from './swing.ts'

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
    // Trend and day share the rule: digit 0 and digit 4 are the same bit.
    const code = 2 * tr + 3 * 2 * mo + 9 * 2 * sw + 27 * (sc + 1) + 81 * 2 * tr + 243 * (pu - pd + 1)
    out[idx] = pu & pd ? 0 : table729[code]!
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
export function fusedEnsembleInto(
  close: Float64Array,
  p: FusedMemberParams,
  table128: Int8Array,
  from: number,
  out: Int8Array,
): boolean {
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
  const sufMax = new Float64Array(L)
  const sufMin = new Float64Array(L)
  // Price-action state at `from`: block [paStart, paStart + L) holds from; its prefix extremes.
  const paStart = from - (from % L)
  fillSuffix(close, paStart - L, L, sufMax, sufMin)
  let preMax = 0
  let preMin = NO_MIN
  let jMax = 0
  let jMin = 0
  for (let i = paStart; i < from; i++) {
    const v = close[i]!
    if (v > preMax) {
      preMax = v
      jMax = i - paStart
    }
    if (v < preMin) {
      preMin = v
      jMin = i - paStart
    }
  }
  // Numbers go to the block loop through typed arrays: V8 then keeps them as raw float64/int32
  // in the loop; plain number arguments (Smi or heap number) were re-checked on every bar.
  const f = new Float64Array(F_SIZE)
  f[F_R] = long / short
  f[F_TAKE] = Math.abs(p.takeRatio)
  f[F_STOP] = -Math.abs(p.stopRatio)
  f[F_PRE_MAX] = preMax
  f[F_PRE_MIN] = preMin
  f[F_TAME_MIN] = TAME_MIN
  const iv = new Int32Array(I_SIZE)
  iv[I_PERIOD] = period
  iv[I_SHORT] = short
  iv[I_LONG] = long
  iv[I_L] = L
  iv[I_PA_START] = paStart
  iv[I_J_MAX] = jMax
  iv[I_J_MIN] = jMin
  setFullSuffix(f, iv, sufMax, sufMin)
  const savedF = new Float64Array(F_SIZE)
  const savedI = new Int32Array(I_SIZE)
  // (bar, member bits) of the near-tie swing bars of one block.
  const pending = new Int32Array(2 * ANCHOR)
  for (let b0 = from; b0 < n; b0 += ANCHOR) {
    const b1 = Math.min(n, b0 + ANCHOR)
    iv[I_B0] = b0
    iv[I_B1] = b1
    // Optimistic bound on the closes this block's rolling sums touch: 8× the look-back's max. The
    // block loop checks it (and tameness) per bar; if it fails, the block is redone with the exact max.
    let lookMax = 0
    for (let i = b0 - maxSL; i <= b0; i++) if (close[i]! > lookMax) lookMax = close[i]!
    f[F_X_HI] = 8 * lookMax
    f[F_TOL] = swingTolerance(short, long, f[F_X_HI]!)
    savedF.set(f)
    savedI.set(iv)
    if (runBlock(close, table128, sufMax, sufMin, pending, out, f, iv)) continue
    if (!tameRange(close, b0, b1)) return false
    let xMax = 0
    for (let i = b0 - maxSL; i < b1; i++) if (close[i]! > xMax) xMax = close[i]!
    f.set(savedF)
    iv.set(savedI)
    f[F_X_HI] = xMax
    f[F_TOL] = swingTolerance(short, long, xMax)
    // The failed pass may have refilled the suffix buffers for a later block.
    fillSuffix(close, iv[I_PA_START]! - L, L, sufMax, sufMin)
    setFullSuffix(f, iv, sufMax, sufMin)
    if (!runBlock(close, table128, sufMax, sufMin, pending, out, f, iv)) {
      throw new Error('fusedEnsembleInto: a tame block failed its exact bound (bug)')
    }
  }
  return true
}

/** State after fillSuffix filled the previous block's suffix extremes completely. */
function setFullSuffix(f: Float64Array, iv: Int32Array, sufMax: Float64Array, sufMin: Float64Array): void {
  iv[I_PREV_J_MAX] = -1
  iv[I_PREV_J_MIN] = -1
  iv[I_FILLED_MAX] = 0
  iv[I_FILLED_MIN] = 0
  f[F_PREV_MAX] = sufMax[0]!
  f[F_PREV_MIN] = sufMin[0]!
  // No breakout known yet in this block (a conservative start: the shortcut is only skipped).
  iv[I_UP_DONE] = 0
  iv[I_DOWN_DONE] = 0
}

/** +∞ for minima of tame closes (the same literal as in fillSuffix). */
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
const F_ACC_MAX = 14
const F_ACC_MIN = 15
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
const I_FILLED_MAX = 13
const I_FILLED_MIN = 14
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

/** Suffix max/min of close[start .. start + len) (neutral values before the series start). */
function fillSuffix(close: Float64Array, start: number, len: number, sufMax: Float64Array, sufMin: Float64Array): void {
  // Literal neutrals (not module consts): a context-loaded start value made V8 box `b` on updates.
  let a = 0.0
  let b = 1e300
  const lo = start < 0 ? -start : 0
  for (let i = len - 1; i >= lo; i--) {
    const v = close[start + i]!
    if (v > a) a = v
    if (v < b) b = v
    sufMax[i] = a
    sufMin[i] = b
  }
  for (let i = lo - 1; i >= 0; i--) {
    sufMax[i] = a
    sufMin[i] = b
  }
}

/**
 * One anchor block [b0, b1): price-action block switches and suffix fills here, the bars in
 * runSegment (a call-free loop). Returns false as soon as a close is above xHi or not tame (the
 * swing tolerance would not be proven); the caller then restores the state and redoes the block.
 */
function runBlock(
  close: Float64Array,
  table: Int8Array,
  sufMax: Float64Array,
  sufMin: Float64Array,
  pending: Int32Array,
  out: Int8Array,
  f: Float64Array,
  iv: Int32Array,
): boolean {
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
      // The finished block's extremes and their first offsets; its suffix extremes past those
      // offsets are filled backwards only on demand (runSegment returns NEED_SUFFIX).
      f[F_PREV_MAX] = f[F_PRE_MAX]!
      f[F_PREV_MIN] = f[F_PRE_MIN]!
      iv[I_PREV_J_MAX] = iv[I_J_MAX]!
      iv[I_PREV_J_MIN] = iv[I_J_MIN]!
      f[F_PRE_MAX] = 0
      f[F_PRE_MIN] = NO_MIN
      iv[I_J_MAX] = 0
      iv[I_J_MIN] = 0
      iv[I_FILLED_MAX] = L
      iv[I_FILLED_MIN] = L
      f[F_ACC_MAX] = 0
      f[F_ACC_MIN] = NO_MIN
      iv[I_UP_DONE] = 0
      iv[I_DOWN_DONE] = 0
      iv[I_PA_START] = paNext
      continue
    }
    const end = b1 < paNext ? b1 : paNext
    iv[I_T0] = t
    iv[I_T1] = end
    const status = runSegment(close, table, sufMax, sufMin, pending, out, f, iv)
    if (status === SEGMENT_OUT_OF_BOUND) return false
    if (status === SEGMENT_DONE) {
      t = end
      continue
    }
    // NEED_SUFFIX: bar iv[I_T0] needs the previous block's suffix max (if it is a prefix-max
    // record) or min from its offset on: fill that side backwards down to the offset.
    t = iv[I_T0]!
    const j = t - paStart
    const start = paStart - L
    if (close[t]! > f[F_PRE_MAX]!) {
      let filled = iv[I_FILLED_MAX]!
      let acc = f[F_ACC_MAX]!
      for (; filled > j; filled--) {
        const v = close[start + filled - 1]!
        if (v > acc) acc = v
        sufMax[filled - 1] = acc
      }
      iv[I_FILLED_MAX] = filled
      f[F_ACC_MAX] = acc
    } else {
      let filled = iv[I_FILLED_MIN]!
      let acc = f[F_ACC_MIN]!
      for (; filled > j; filled--) {
        const v = close[start + filled - 1]!
        if (v < acc) acc = v
        sufMin[filled - 1] = acc
      }
      iv[I_FILLED_MIN] = filled
      f[F_ACC_MIN] = acc
    }
  }
  return true
}

const SEGMENT_DONE = 0
const SEGMENT_OUT_OF_BOUND = 1
const SEGMENT_NEED_SUFFIX = 2

/**
 * Bars [t0, t1) inside one anchor block and one price-action block. Returns SEGMENT_DONE, or
 * SEGMENT_OUT_OF_BOUND when a close breaks the block's bound or is not tame, or
 * SEGMENT_NEED_SUFFIX with iv[I_T0] = the bar (not yet processed) that needs more of the
 * previous block's suffix extremes. Near-tie swing bars are redone before returning.
 */
function runSegment(
  close: Float64Array,
  table: Int8Array,
  sufMax: Float64Array,
  sufMin: Float64Array,
  pending: Int32Array,
  out: Int8Array,
  f: Float64Array,
  iv: Int32Array,
): number {
  const r = f[F_R]!
  const take = f[F_TAKE]!
  const stop = f[F_STOP]!
  const tol = f[F_TOL]!
  const xHi = f[F_X_HI]!
  // Module-level consts are context loads (with a TDZ check) in V8's optimized code: locals.
  const tameMin = f[F_TAME_MIN]!
  const prevMax = f[F_PREV_MAX]!
  const prevMin = f[F_PREV_MIN]!
  let preMax = f[F_PRE_MAX]!
  let preMin = f[F_PRE_MIN]!
  let sS = f[F_SUM_S]!
  let sL = f[F_SUM_L]!
  const period = iv[I_PERIOD]!
  const short = iv[I_SHORT]!
  const long = iv[I_LONG]!
  const t0 = iv[I_T0]!
  const t1 = iv[I_T1]!
  const paStart = iv[I_PA_START]!
  const prevJMax = iv[I_PREV_J_MAX]!
  const prevJMin = iv[I_PREV_J_MIN]!
  const filledMax = iv[I_FILLED_MAX]!
  const filledMin = iv[I_FILLED_MIN]!
  let jMax = iv[I_J_MAX]!
  let jMin = iv[I_J_MIN]!
  let upDone = iv[I_UP_DONE]!
  let downDone = iv[I_DOWN_DONE]!
  let status = 0 // SEGMENT_DONE (literals in here: module consts are context loads)
  let np = 0
  let prev = close[t0 - 1]!
  let t = t0
  for (; t < t1; t++) {
    const c = close[t]!
    let pa = 0
    // A close inside [preMin, preMax] (this block's prefix range) is no price-action record (so
    // no breakout), tame and below xHi (the prefix closes passed those checks): one comparison
    // pair per bar; the rest is only done on records.
    if (!(c <= preMax && c >= preMin)) {
      if (!(c <= xHi && c >= tameMin)) {
        status = 1 // SEGMENT_OUT_OF_BOUND
        break
      }
      // ---- price action, first (it may stop the segment before this bar changes any state).
      // The window is this block's prefix plus the previous block from offset j. Only a
      // prefix record can break out. Then, in order: an earlier breakout in this block implies
      // this one (c > that close > the suffix max from there ≥ the one from j); c above the
      // previous block's max decides; for j up to that max's first offset the suffix max is
      // that max (so: no); else sufMax[j], filled on demand (most blocks never need it).
      const j = t - paStart
      if (c > preMax) {
        if (upDone === 1 || c > prevMax) {
          upDone = 1
          pa = 32
        } else if (j > prevJMax) {
          if (j < filledMax) {
            status = 2 // SEGMENT_NEED_SUFFIX
            break
          }
          if (c > sufMax[j]!) {
            upDone = 1
            pa = 32
          }
        }
        preMax = c
        jMax = j
      }
      if (c < preMin) {
        if (downDone === 1 || c < prevMin) {
          downDone = 1
          pa |= 64
        } else if (j > prevJMin) {
          if (j < filledMin) {
            status = 2 // SEGMENT_NEED_SUFFIX
            break
          }
          if (c < sufMin[j]!) {
            downDone = 1
            pa |= 64
          }
        }
        preMin = c
        jMin = j
      }
    }
    sS += c - close[t - short]!
    sL += c - close[t - long]!
    // ---- swing (near-ties are decided after the segment, from `pending`)
    const diff = sS * r - sL
    // ---- scalping: the seed's expression (prev > 0 and finite on tame data)
    const change = (c - prev) / prev
    const idx =
      +(c > prev) |
      (+(c > close[t - period]!) << 1) |
      (+(diff > 0) << 2) |
      (+(change >= take) << 3) |
      (+(change <= stop) << 4) |
      pa
    out[t] = table[idx]!
    if (!(Math.abs(diff) > tol)) {
      // Out of line: the numpy recomputation inlined here slowed every bar by ~1 ns.
      pending[np++] = t
      pending[np++] = idx & ~4
    }
    prev = c
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
  iv[I_J_MAX] = jMax
  iv[I_J_MIN] = jMin
  iv[I_UP_DONE] = upDone
  iv[I_DOWN_DONE] = downDone
  iv[I_T0] = t
  return status
}
