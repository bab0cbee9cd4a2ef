// Seed 000 `price_action` (bot/strategies.py _sig_price_action) on the last `window` closes
// (the seed bot fetched 200): a breakout of the previous closes' max or min.
// Fast path (no NaN in the closes, the usual case): van Herk / Gil-Werman blocks of L = window − 1
// read only on prefix records (a breakout needs one), plain `if (v > a) a = v` updates that branch
// on records only, and a backward suffix pass over the part of each block after its max/min
// (before it the suffix max is the block max). A NaN anywhere → the exact NaN-propagating pass below.
// NaN-propagating pass: window max/min in O(1) per bar (van Herk / Gil-Werman): the
// bars are cut into blocks of L = window − 1; the window of the L closes before t is a suffix of
// the previous block plus a prefix of the current one, so its max is max(suffix max, running
// prefix max), with block suffix maxima filled by one backward pass per completed block. Two
// plain loops per block (not one loop with a nested pass) keep V8's code tight: ~2× faster.
// Math.max/min propagate NaN exactly like np.max/np.min (a NaN in the window → 0).
// (A monotonic deque was measured ~10× slower here: its pop loops mispredict on every bar.)
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

/**
 * out[t] = 0 for t < 2; else with prev = close[max(0, t−window+1) .. t−1]:
 * +1 if close[t] > max(prev), −1 if close[t] < min(prev), else 0
 * (0 as well when prev holds a NaN, as np.max/np.min then give NaN). window ≥ 3.
 */
export function priceActionKernel(close: Float64Array, window: number, out: Int8Array): void {
  if (!Number.isInteger(window) || window < 3) throw new RangeError(`priceActionKernel: window must be an integer ≥ 3, got ${window}`)
  if (!priceActionNoNaN(close, window, out)) priceActionNaN(close, window, out)
}

/** The kernel for closes without NaN; returns false (out partly written) at the first NaN. */
function priceActionNoNaN(close: Float64Array, window: number, out: Int8Array): boolean {
  const n = close.length
  // `| 0`: resolved params may arrive as heap numbers; a float L made the loops ~50% slower.
  const L = (window | 0) - 1
  const sufMax = new Float64Array(L)
  const sufMin = new Float64Array(L)
  // Literal neutrals (a module const here would be a context load and box the loop variables).
  const negInf = -1 / 0
  const posInf = 1 / 0
  // The block before the first has no closes: its "max" −∞ covers every offset.
  let prevMax = negInf
  let prevMin = posInf
  let prevJMax = L
  let prevJMin = L
  for (let blockStart = 0; blockStart < n; blockStart += L) {
    const blockEnd = Math.min(n, blockStart + L)
    let preMax = negInf
    let preMin = posInf
    let jMax = 0
    let jMin = 0
    for (let t = blockStart; t < blockEnd; t++) {
      const c = close[t]!
      if (c !== c) return false
      const j = t - blockStart
      let s = 0
      // A breakout needs a prefix record; the previous block's suffix max from j is its max for
      // j ≤ its max's first offset, else sufMax[j].
      if (c > preMax) {
        preMax = c
        jMax = j
        s = +(c > (j <= prevJMax ? prevMax : sufMax[j]!))
      }
      if (c < preMin) {
        preMin = c
        jMin = j
        s -= +(c < (j <= prevJMin ? prevMin : sufMin[j]!))
      }
      out[t] = s
    }
    prevMax = preMax
    prevMin = preMin
    prevJMax = jMax
    prevJMin = jMin
    // An incomplete last block has no successor (and no closes past n to read).
    if (blockEnd - blockStart < L) break
    let a = negInf
    for (let i = L - 1; i > jMax; i--) {
      const v = close[blockStart + i]!
      if (v > a) a = v
      sufMax[i] = a
    }
    let b = posInf
    for (let i = L - 1; i > jMin; i--) {
      const v = close[blockStart + i]!
      if (v < b) b = v
      sufMin[i] = b
    }
  }
  // The seed needs 3 closes (len(prices) < 3 → 0).
  out.fill(0, 0, Math.min(2, n))
  return true
}

function priceActionNaN(close: Float64Array, window: number, out: Int8Array): void {
  const n = close.length
  const L = (window | 0) - 1
  // Suffix max/min of the previous block; the first block has none (neutral ±Infinity).
  const sufMax = new Float64Array(L).fill(Number.NEGATIVE_INFINITY)
  const sufMin = new Float64Array(L).fill(Number.POSITIVE_INFINITY)
  for (let blockStart = 0; blockStart < n; blockStart += L) {
    const blockEnd = Math.min(n, blockStart + L)
    let preMax = Number.NEGATIVE_INFINITY
    let preMin = Number.POSITIVE_INFINITY
    // Window of bar t = previous block from index t − L (suffix j = t − blockStart) + this block before t.
    for (let t = blockStart; t < blockEnd; t++) {
      const c = close[t]!
      const j = t - blockStart
      const mx = Math.max(sufMax[j]!, preMax)
      const mn = Math.min(sufMin[j]!, preMin)
      // c cannot be both above the max and below the min.
      out[t] = +(c > mx) - +(c < mn)
      preMax = Math.max(preMax, c)
      preMin = Math.min(preMin, c)
    }
    if (blockEnd - blockStart === L) {
      let a = Number.NEGATIVE_INFINITY
      let b = Number.POSITIVE_INFINITY
      for (let i = L - 1; i >= 0; i--) {
        const v = close[blockStart + i]!
        a = Math.max(a, v)
        b = Math.min(b, v)
        sufMax[i] = a
        sufMin[i] = b
      }
    }
  }
  // The seed needs 3 closes (len(prices) < 3 → 0).
  out.fill(0, 0, Math.min(2, n))
}

export const priceActionStrategy = defineStrategy({
  id: 'price-action',
  version: 1,
  name: 'Price action (seed 000)',
  description:
    'Seed 000 price action: with prev = the min(t, window−1) closes before bar t, +1 if close[t] > ' +
    'max(prev), −1 if close[t] < min(prev), else 0; 0 while fewer than 3 bars exist.',
  params: [paramSpec('window', { label: 'Window', default: 200, min: 3, max: 2000, step: 10, unit: 'bars', integer: true })],
  warmup: () => 2,
  compute: (series, p, out) => {
    priceActionKernel(series.close, num(p, 'window'), out)
  },
})
