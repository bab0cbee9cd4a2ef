// Seed 000 `scalping` (bot/strategies.py _sig_scalping, take_ratio = stop_ratio = 0.001).
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

/**
 * out[0] = 0; for t ≥ 1 with prev = close[t−1], last = close[t]: 0 if prev ≤ 0 or either is not
 * finite; else change = (last − prev) / prev; +1 if change ≥ takeRatio, −1 if change ≤ −stopRatio,
 * else 0 (the take test comes first, as in the seed).
 */
export function scalpingKernel(close: Float64Array, takeRatio: number, stopRatio: number, out: Int8Array): void {
  const n = close.length
  if (n === 0) return
  // The seed takes abs() of both ratios.
  const take = Math.abs(takeRatio)
  const stop = -Math.abs(stopRatio)
  out[0] = 0
  let prev = close[0]!
  for (let t = 1; t < n; t++) {
    const last = close[t]!
    let s = 0
    if (prev > 0 && Number.isFinite(prev) && Number.isFinite(last)) {
      const change = (last - prev) / prev
      // Branchless form of: change ≥ take → +1, else change ≤ −stop → −1, else 0.
      const up = +(change >= take)
      s = up - (+(change <= stop) & (1 - up))
    }
    out[t] = s
    prev = last
  }
}

export const scalpingStrategy = defineStrategy({
  id: 'scalping',
  version: 1,
  name: 'Scalping (seed 000)',
  description:
    'Seed 000 scalping: change = (close[t] − close[t−1]) / close[t−1]; +1 if change ≥ takeRatio, ' +
    '−1 if change ≤ −stopRatio, else 0; 0 at the first bar and when close[t−1] ≤ 0 or a close is not finite.',
  params: [
    paramSpec('takeRatio', { label: 'Take ratio', default: 0.001, min: 0, max: 0.05, step: 0.0005, unit: 'ratio', integer: false }),
    paramSpec('stopRatio', { label: 'Stop ratio', default: 0.001, min: 0, max: 0.05, step: 0.0005, unit: 'ratio', integer: false }),
  ],
  warmup: () => 1,
  compute: (series, p, out) => scalpingKernel(series.close, num(p, 'takeRatio'), num(p, 'stopRatio'), out),
})
