// Seed 001 `RSIStrategy`: "RSI crossing up through oversold (30) → BUY, crossing down through
// overbought (70) → SELL", on TA-Lib's Wilder RSI. The per-bar rule, written once: the strategy
// (strategy.ts) runs it on each RSI it computes, and the optimizer's sweep source
// (sweep-source.ts) runs it or rebuilds it from crossing lists.

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
