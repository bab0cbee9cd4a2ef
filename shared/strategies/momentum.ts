// Seed 000 `momentum` (bot/strategies.py _sig_momentum, period 5).
// The seed sees the last 200 closes; with period ≤ 100 that window never changes the answer.
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

/** out[t] = 0 for t < period; else +1 if close[t] − close[t−period] > 0 else −1. */
export function momentumKernel(close: Float64Array, periodParam: number, out: Int8Array): void {
  if (!Number.isInteger(periodParam) || periodParam < 1)
    throw new RangeError(`momentumKernel: period must be an integer ≥ 1, got ${periodParam}`)
  const n = close.length
  // `| 0`: resolved params may arrive as heap numbers; an int32 keeps the index arithmetic integral.
  const period = periodParam | 0
  const warm = Math.min(period, n)
  out.fill(0, 0, warm)
  // Branchless (+bool) because the comparison is a coin flip on real prices.
  for (let t = warm; t < n; t++) out[t] = +(close[t]! - close[t - period]! > 0) * 2 - 1
}

export const momentumStrategy = defineStrategy({
  id: 'momentum',
  version: 1,
  name: 'Momentum (seed 000)',
  description:
    'Seed 000 momentum: +1 if close[t] − close[t−period] > 0, else −1 (also −1 when equal); ' +
    '0 while fewer than period+1 bars exist (t < period).',
  params: [paramSpec('period', { label: 'Period', default: 5, min: 1, max: 100, step: 1, unit: 'bars', integer: true })],
  warmup: (p) => num(p, 'period'),
  compute: (series, p, out) => momentumKernel(series.close, num(p, 'period'), out),
})
