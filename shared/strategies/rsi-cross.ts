// Seed 001 `RSIStrategy`: "RSI crossing up through oversold (30) → BUY, crossing down through
// overbought (70) → SELL", on TA-Lib's Wilder RSI.
import { rsi } from '../indicators/index.ts'
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

/** The rule on a precomputed RSI: +1 crossing up through lo, −1 crossing down through hi, else 0 (NaN compares false). */
export function rsiCrossInto(r: Float64Array, lo: number, hi: number, out: Int8Array): void {
  const n = out.length
  if (n > 0) out[0] = 0
  for (let t = 1; t < n; t++) {
    const r0 = r[t - 1]!
    const r1 = r[t]!
    out[t] = r0 < lo && lo <= r1 ? 1 : r0 > hi && hi >= r1 ? -1 : 0
  }
}

export const rsiStrategy = defineStrategy({
  id: 'rsi',
  version: 1,
  name: 'RSI cross (seed 001)',
  description:
    'Seed 001 RSI: r = RSI(close, period) (TA-Lib Wilder). +1 if r[t−1] < oversold ≤ r[t] (crossing up ' +
    'through oversold); −1 if r[t−1] > overbought ≥ r[t] (crossing down through overbought); else 0.',
  params: [
    paramSpec('period', { label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true }),
    paramSpec('oversold', { label: 'Oversold', default: 30, min: 5, max: 50, step: 5, unit: 'points', integer: false }),
    paramSpec('overbought', { label: 'Overbought', default: 70, min: 50, max: 95, step: 5, unit: 'points', integer: false }),
  ],
  warmup: (p) => num(p, 'period') + 1,
  compute: (series, p, out) => {
    rsiCrossInto(rsi(series.close, num(p, 'period')), num(p, 'oversold'), num(p, 'overbought'), out)
  },
})
