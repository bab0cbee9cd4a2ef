// Seed 000 `trend` and `day` (bot/strategies.py _sig_trend, _sig_day): the same rule under two
// ids, as in the seed, so ensemble weights for each can be tuned separately.
import { defineStrategy } from './define.ts'

/** out[0] = 0; out[t] = +1 if close[t] > close[t−1] else −1 (a NaN comparison is false → −1). */
export function trendKernel(close: Float64Array, out: Int8Array): void {
  const n = close.length
  if (n === 0) return
  out[0] = 0
  let prev = close[0]!
  for (let t = 1; t < n; t++) {
    const c = close[t]!
    // Branchless (+bool): prices go up and down at random, a branch would mispredict half the time.
    out[t] = +(c > prev) * 2 - 1
    prev = c
  }
}

const RULE = '+1 if close[t] > close[t−1], else −1 (also −1 when equal); 0 at the first bar.'

export const trendStrategy = defineStrategy({
  id: 'trend',
  version: 1,
  name: 'Trend (seed 000)',
  description: `Seed 000 trend: ${RULE}`,
  params: [],
  warmup: () => 1,
  compute: (series, _params, out) => trendKernel(series.close, out),
})

export const dayStrategy = defineStrategy({
  id: 'day',
  version: 1,
  name: 'Day (seed 000)',
  description: `Seed 000 day (same rule as trend, kept as its own id as in the seed): ${RULE}`,
  params: [],
  warmup: () => 1,
  compute: (series, _params, out) => trendKernel(series.close, out),
})
