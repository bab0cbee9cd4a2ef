// Seed 004 "Strategy ① (Basic) — RSI + MACD + CCI" (YBIGTA Binance bot). The seed names the three
// indicators but not the rule, so this is our documented reading: a mean-reversion entry when
// RSI and CCI agree the market is oversold and MACD momentum has turned up (histogram rising),
// and the mirror image for the exit. All three are TA-Lib-exact (shared/indicators).
import { cci, macd, rsi } from '../indicators/index.ts'
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

export const rsiMacdCciStrategy = defineStrategy({
  id: 'rsi-macd-cci',
  version: 1,
  name: 'RSI + MACD + CCI (seed 004)',
  description:
    'Seed 004 basic: r = RSI(close, rsiPeriod), h = MACD histogram (macdFast, macdSlow, macdSignal), ' +
    'c = CCI(high, low, close, cciPeriod). +1 if r[t] < rsiBuy and c[t] < −cciLevel and h[t] > h[t−1]; ' +
    '−1 if r[t] > rsiSell and c[t] > cciLevel and h[t] < h[t−1]; else 0 (0 while any input is NaN).',
  params: [
    paramSpec('rsiPeriod', { label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true }),
    paramSpec('rsiBuy', { label: 'RSI buy below', default: 35, min: 10, max: 50, step: 5, unit: 'points', integer: false }),
    paramSpec('rsiSell', { label: 'RSI sell above', default: 65, min: 50, max: 90, step: 5, unit: 'points', integer: false }),
    paramSpec('macdFast', { label: 'MACD fast', default: 12, min: 2, max: 50, step: 1, unit: 'bars', integer: true }),
    paramSpec('macdSlow', { label: 'MACD slow', default: 26, min: 3, max: 100, step: 1, unit: 'bars', integer: true }),
    paramSpec('macdSignal', { label: 'MACD signal', default: 9, min: 2, max: 50, step: 1, unit: 'bars', integer: true }),
    paramSpec('cciPeriod', { label: 'CCI period', default: 20, min: 2, max: 100, step: 1, unit: 'bars', integer: true }),
    paramSpec('cciLevel', { label: 'CCI level', default: 100, min: 0, max: 300, step: 25, unit: 'points', integer: false }),
  ],
  warmup: (p) =>
    Math.max(num(p, 'rsiPeriod'), Math.max(num(p, 'macdFast'), num(p, 'macdSlow')) + num(p, 'macdSignal') - 1, num(p, 'cciPeriod') - 1),
  compute: (series, p, out) => {
    const { high, low, close } = series
    const r = rsi(close, num(p, 'rsiPeriod'))
    const h = macd(close, num(p, 'macdFast'), num(p, 'macdSlow'), num(p, 'macdSignal')).hist
    const c = cci(high, low, close, num(p, 'cciPeriod'))
    const rsiBuy = num(p, 'rsiBuy')
    const rsiSell = num(p, 'rsiSell')
    const level = num(p, 'cciLevel')
    const n = out.length
    if (n > 0) out[0] = 0
    for (let t = 1; t < n; t++) {
      const rt = r[t]!
      const ct = c[t]!
      const rising = h[t]! > h[t - 1]!
      const falling = h[t]! < h[t - 1]!
      out[t] = rt < rsiBuy && ct < -level && rising ? 1 : rt > rsiSell && ct > level && falling ? -1 : 0
    }
  },
})
