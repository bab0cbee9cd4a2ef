// A user strategy that states the built-in `rsi` rule gives bit-identical signals to the
// registered `rsi` strategy on random series and params (NaN warm-up, coarse ticks with equal
// closes, and gaps included), and so bit-identical backtests. The evaluation is a plain Function here; edge's SES
// sandbox is held to the same identity in test/edge/strategies/sandbox.test.ts.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../../shared/backtest/index.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/index.ts'
import { createRng } from '../../../../shared/random.ts'
import { rsi } from '../../../../shared/indicators/index.ts'
import { getStrategy } from '../../../../shared/strategies/index.ts'
import { loadUserStrategy, type Evaluate } from '../../../../shared/strategies/user/source.ts'
import { randomWalkSeries } from '../lookahead.ts'
import { RSI_AS_BUILTIN } from './rsi-as-builtin.ts'

const plainEvaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))

function userDef() {
  const r = loadUserStrategy(RSI_AS_BUILTIN, plainEvaluate)
  if (!r.ok) throw new Error(r.error.message)
  return r.value.def
}

describe('a user-written RSI cross against the built-in rsi', () => {
  const user = userDef()
  const builtin = getStrategy('rsi')

  it('has the same schema and warm-up', () => {
    expect(user.params.map((p) => [p.name, p.default, p.min, p.max, p.step])).toEqual(
      builtin.params.map((p) => [p.name, p.default, p.min, p.max, p.step]),
    )
    for (const period of [2, 14, 100]) expect(user.warmup({ period })).toBe(builtin.warmup({ period }))
  })

  it('gives bit-identical signals on random series and params', () => {
    const rng = createRng(20261206)
    const pick = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1))
    let nonZero = 0
    for (let c = 0; c < 120; c++) {
      // A coarse tick makes equal closes (flat RSI stretches, exact touches of a level) frequent.
      const coarse = c % 2 === 0
      const s = randomWalkSeries(pick(1, 1e6), pick(0, 1_500), coarse ? { tick: 1_000, startPrice: 20_000 } : {})
      const params = { period: pick(2, 100), oversold: 5 * pick(1, 10), overbought: 5 * pick(10, 19) }
      const a = user.signals(s, params)
      const b = builtin.signals(s, params)
      expect(a).toBeInstanceOf(Int8Array)
      expect(Array.from(a), JSON.stringify(params)).toEqual(Array.from(b))
      nonZero += b.filter((v) => v !== 0).length
    }
    expect(nonZero).toBeGreaterThan(500)
  })

  it('agrees where the RSI touches a level exactly (levels set to RSI values the series reaches)', () => {
    // Random levels almost never equal an RSI value, so the ≤ / ≥ of the crossing rule would go
    // untested: here the levels are RSI values the series reaches, approached from below and above.
    const rng = createRng(7)
    let touches = 0
    for (let c = 0; c < 60; c++) {
      const s = randomWalkSeries(1 + c, 800)
      const period = 2 + (c % 12)
      const r = rsi(s.close, period)
      const ups: number[] = []
      const downs: number[] = []
      for (let t = 1; t < r.length; t++) {
        if (r[t - 1]! < r[t]! && r[t]! >= 5 && r[t]! <= 50) ups.push(t)
        if (r[t - 1]! > r[t]! && r[t]! >= 50 && r[t]! <= 95) downs.push(t)
      }
      if (ups.length === 0 || downs.length === 0) continue
      const params = {
        period,
        oversold: r[ups[Math.floor(rng.next() * ups.length)]!]!,
        overbought: r[downs[Math.floor(rng.next() * downs.length)]!]!,
      }
      const b = builtin.signals(s, params)
      expect(Array.from(user.signals(s, params)), JSON.stringify(params)).toEqual(Array.from(b))
      touches += b.filter((v, t) => (v === 1 && r[t] === params.oversold) || (v === -1 && r[t] === params.overbought)).length
    }
    expect(touches).toBeGreaterThan(60)
  })

  it('gives a bit-identical backtest', () => {
    const s = randomWalkSeries(77, 5_000)
    const params = { period: 6, oversold: 35, overbought: 65 }
    const a = runBacktest(s, user.signals(s, params), DEFAULT_EXEC_CONFIG)
    const b = runBacktest(s, builtin.signals(s, params), DEFAULT_EXEC_CONFIG)
    expect(b.trades.length).toBeGreaterThan(5)
    expect(a.metrics).toEqual(b.metrics)
    expect(a.trades).toEqual(b.trades)
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity))
  })
})
