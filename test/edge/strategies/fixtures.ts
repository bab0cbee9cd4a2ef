// User-strategy sources for the sandbox and promotion tests.
export const RSI_CROSS = `// An RSI cross: buy below 30, sell above 70.
interface P { period: number; low: number; high: number }
export default {
  id: 'user.rsi-cross',
  version: 1,
  name: 'RSI cross',
  params: [
    { name: 'period', label: 'RSI period', default: 14, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'low', default: 30, min: 1, max: 50, step: 1, unit: 'points' },
    { name: 'high', default: 70, min: 50, max: 99, step: 1, unit: 'points' },
  ],
  warmup: (p: P) => p.period + 1,
  signals(s, p: P, ta) {
    const r = ta.rsi(s.close, p.period)
    const out = new Int8Array(s.close.length)
    for (let t = p.period + 1; t < out.length; t++) out[t] = r[t] < p.low ? 1 : r[t] > p.high ? -1 : 0
    return out
  },
}
`

/** Reads the next bar's close: fails the look-ahead audit. */
export const PEEKS = `export default {
  id: 'user.peeks', version: 1, params: [], warmup: () => 1,
  signals(s) {
    const out = new Int8Array(s.close.length)
    for (let t = 1; t < out.length - 1; t++) out[t] = s.close[t + 1] > s.close[t] ? 1 : -1
    return out
  },
}
`

/** Fine on the audit series (2024), an endless loop on bars after 2025 (a live run today). */
export const LOOPS_LIVE = `export default {
  id: 'user.loops-live', version: 1, params: [], warmup: () => 0,
  signals(s) {
    if (s.time.length > 0 && s.time[s.time.length - 1] > 1.75e12) for (;;) {}
    return new Int8Array(s.close.length)
  },
}
`
