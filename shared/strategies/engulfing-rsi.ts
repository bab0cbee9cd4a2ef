// Seed 004 "Strategy ② (Custom) — Engulfing candle + RSI": an engulfing pattern (TA-Lib
// CDLENGULFING) confirmed by RSI: a bullish engulfing only counts when RSI is low, a bearish
// one only when RSI is high.
import { engulfing, rsi } from '../indicators/index.ts'
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

export const engulfingRsiStrategy = defineStrategy({
  id: 'engulfing-rsi',
  version: 1,
  name: 'Engulfing + RSI (seed 004)',
  description:
    'Seed 004 custom: e = CDLENGULFING(open, high, low, close) (±100/±80/0), r = RSI(close, rsiPeriod). ' +
    '+1 if e[t] > 0 (bullish engulfing) and r[t] < rsiBuy; −1 if e[t] < 0 (bearish engulfing) and ' +
    'r[t] > rsiSell; else 0.',
  params: [
    paramSpec('rsiPeriod', { label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true }),
    paramSpec('rsiBuy', { label: 'RSI buy below', default: 40, min: 10, max: 90, step: 5, unit: 'points', integer: false }),
    paramSpec('rsiSell', { label: 'RSI sell above', default: 60, min: 10, max: 90, step: 5, unit: 'points', integer: false }),
  ],
  warmup: (p) => Math.max(num(p, 'rsiPeriod'), 2),
  compute: (series, p, out) => {
    const { open, high, low, close } = series
    const e = engulfing(open, high, low, close)
    const r = rsi(close, num(p, 'rsiPeriod'))
    const rsiBuy = num(p, 'rsiBuy')
    const rsiSell = num(p, 'rsiSell')
    const n = out.length
    for (let t = 0; t < n; t++) {
      const et = e[t]!
      const rt = r[t]!
      out[t] = et > 0 && rt < rsiBuy ? 1 : et < 0 && rt > rsiSell ? -1 : 0
    }
  },
})
