// A user-written strategy that states the built-in `rsi` rule (shared/strategies/rsi/rule.ts) in
// the user API: the same params, warm-up and crossing rule, computed with the `ta` the sandbox
// hands in. Used to show that a user strategy is not an approximation of a built-in: its signals
// (and so its backtests) are bit-identical, in-process and in edge's SES sandbox.
export const RSI_AS_BUILTIN = `// The built-in RSI cross, written as a user strategy.
interface P { period: number; oversold: number; overbought: number }
export default {
  id: 'user.rsi-as-builtin',
  version: 1,
  name: 'RSI cross (as the built-in)',
  params: [
    { name: 'period', label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'oversold', default: 30, min: 5, max: 50, step: 5, unit: 'points' },
    { name: 'overbought', default: 70, min: 50, max: 95, step: 5, unit: 'points' },
  ],
  warmup: (p: P) => p.period + 1,
  signals(s, p: P, ta) {
    const r = ta.rsi(s.close, p.period)
    const out = new Int8Array(s.close.length)
    for (let t = 1; t < out.length; t++) {
      const r0 = r[t - 1], r1 = r[t]
      out[t] = r0 < p.oversold && p.oversold <= r1 ? 1 : r0 > p.overbought && p.overbought >= r1 ? -1 : 0
    }
    return out
  },
}
`
