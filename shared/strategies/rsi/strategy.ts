// Seed 001 RSI cross as a strategy: its params, signals() = the rule (rule.ts) on RSI(close,
// period), and its optimizer fast path (sweep-source.ts).
import { rsi } from '../../indicators/index.ts'
import { defineStrategy } from '../define.ts'
import { num, paramSpec } from '../params.ts'
import { rsiCrossInto } from './rule.ts'
import { rsiSweepSource } from './sweep-source.ts'

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
  sweepSource: (ctx, def) => rsiSweepSource(ctx, def),
})
