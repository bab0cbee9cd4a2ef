// Seed 001 `RSIStrategy`: "RSI crossing up through oversold (30) → BUY, crossing down through
// overbought (70) → SELL", on TA-Lib's Wilder RSI.
import { rsi } from '../indicators/index.ts'
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

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
    const lo = num(p, 'oversold')
    const hi = num(p, 'overbought')
    const r = rsi(series.close, num(p, 'period'))
    const n = out.length
    if (n > 0) out[0] = 0
    for (let t = 1; t < n; t++) {
      const r0 = r[t - 1]!
      const r1 = r[t]!
      out[t] = r0 < lo && lo <= r1 ? 1 : r0 > hi && hi >= r1 ? -1 : 0
    }
  },
})
