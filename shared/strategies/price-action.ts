// Seed 000 `price_action` (bot/strategies.py _sig_price_action) on the last `window` closes
// (the seed bot fetched 200): a breakout of the previous closes' max or min.
// Window max/min in O(1) per bar without data-dependent branches (van Herk / Gil-Werman): the
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
  const n = close.length
  const L = window - 1
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
  params: [
    paramSpec('window', { label: 'Window', default: 200, min: 3, max: 2000, step: 10, unit: 'bars', integer: true }),
  ],
  warmup: () => 2,
  compute: (series, p, out) => {
    priceActionKernel(series.close, num(p, 'window'), out)
  },
})
