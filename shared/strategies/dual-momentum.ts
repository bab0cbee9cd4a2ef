// Seed 001 `DualMomentumStrategy` ("absolute + relative momentum") on a single series.
// Absolute momentum: the asset's own return over the lookback is positive. Relative momentum
// needs something to compare with; with one series the alternative is holding cash, whose
// return over the lookback is the `benchmarkReturnRate` param (0 = cash earning nothing).
import { defineStrategy } from './define.ts'
import { num, paramSpec } from './params.ts'

export const dualMomentumStrategy = defineStrategy({
  id: 'dual-momentum',
  version: 1,
  name: 'Dual momentum (seed 001)',
  description:
    'Seed 001 dual momentum on one series: ret = close[t] / close[t−lookback] − 1. Absolute momentum: ' +
    'ret > 0. Relative momentum against the alternative (cash, whose return over the lookback is ' +
    'benchmarkReturnRate): ret > benchmarkReturnRate. +1 when both hold, else −1; 0 while t < lookback ' +
    'or when close[t−lookback] ≤ 0 or a close is not finite.',
  params: [
    paramSpec('lookback', { label: 'Lookback', default: 60, min: 5, max: 2000, step: 5, unit: 'bars', integer: true }),
    paramSpec('benchmarkReturnRate', {
      label: 'Benchmark return over lookback',
      default: 0,
      min: -0.05,
      max: 0.05,
      step: 0.0025,
      unit: 'ratio',
      integer: false,
    }),
  ],
  warmup: (p) => num(p, 'lookback'),
  compute: (series, p, out) => {
    const close = series.close
    const lookback = num(p, 'lookback')
    const bench = num(p, 'benchmarkReturnRate')
    const n = close.length
    out.fill(0, 0, Math.min(lookback, n))
    for (let t = lookback; t < n; t++) {
      const base = close[t - lookback]!
      const c = close[t]!
      if (!(base > 0) || !Number.isFinite(base) || !Number.isFinite(c)) {
        out[t] = 0
        continue
      }
      const ret = c / base - 1
      out[t] = ret > 0 && ret > bench ? 1 : -1
    }
  },
})
