// Hand-computed backtest scenarios (design §7.3): every expected number below is worked out in the
// comments from the fill model, not read back from the engine.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../../shared/engine/types.ts'
import { seriesOf, sig, T0 } from '../../helpers/series.ts'

const base: ExecConfig = {
  ...DEFAULT_EXEC_CONFIG,
  initialCash: 1_000_000,
  feeRate: 0.0005,
  orderType: 'limit',
  aggressivenessRate: 0.01,
  sizing: { kind: 'all-in', feeBufferRate: 0 },
}
const MIN = 60_000

describe('limit orders', () => {
  it('fills a limit buy in-bar at its price and a limit sell in-bar at its price', () => {
    // bar0 close 2000, +1 → buy limit at 2000×1.01 = 2020 (tick 1, already on tick).
    //   qty = floor8(1,000,000 / (2020 × 1.0005)) = 494.80210389
    // bar1 opens 2030 (> 2020, no open fill), low 2015 ≤ 2020 → fills at 2020.
    //   notional 999,500.2498578, fee 499.7501249289, cash 0.0000172711
    // bar2 close 2100, −1 → sell limit at 2100×0.99 = 2079.
    // bar3 opens 2070 (< 2079), high 2085 ≥ 2079 → fills at 2079.
    //   notional 1,028,693.57398731, fee 514.346786993655, cash 1,028,179.227217587
    //   profit 28,179.2272175874 on cost 1,000,000 − 0.0000172711 → return 0.0281792272180741
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2030, 2040, 2015, 2035],
      [2040, 2110, 2030, 2100],
      [2070, 2085, 2060, 2080],
    ])
    const r = runBacktest(s, sig('+.-.'), base)
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]!
    expect(t.entryPrice).toBe(2020)
    expect(t.qtyBase).toBe(494.80210389)
    expect(t.entryBar).toBe(1)
    expect(t.entryTimeMs).toBe(T0 + MIN)
    expect(t.exitPrice).toBe(2079)
    expect(t.exitBar).toBe(3)
    expect(t.exitReason).toBe('signal')
    expect(t.entryFeeQuote).toBeCloseTo(499.7501249289, 9)
    expect(t.exitFeeQuote).toBeCloseTo(514.346786993655, 9)
    expect(t.profitQuote).toBeCloseTo(28179.22721758744, 6)
    expect(t.returnRate).toBeCloseTo(0.02817922721807413, 12)
    // Equity: bar0 flat = 1,000,000; bar1 = 0.0000172711 + qty × 2035; bar2 = … × 2100; bar3 = cash.
    expect(r.equity[0]).toBe(1_000_000)
    expect(r.equity[1]).toBeCloseTo(1006922.2814334211, 6)
    expect(r.equity[2]).toBeCloseTo(0.0000172711 + 494.80210389 * 2100, 6)
    expect(r.equity[3]).toBeCloseTo(1028179.2272175874, 6)
    expect(r.metrics.trades).toBe(1)
    expect(r.metrics.winRate).toBe(1)
    expect(r.metrics.feesPaid).toBeCloseTo(499.7501249289 + 514.346786993655, 9)
    expect(r.metrics.totalReturn).toBeCloseTo(0.02817922721758744, 12)
    expect(r.metrics.buyHoldReturn).toBeCloseTo(2080 / 2000 - 1, 15)
    expect(r.metrics.exposure).toBe(2 / 4)
    expect(r.pendingAtEnd).toBeNull()
  })

  it('fills at the open when the open gaps through the limit', () => {
    // Buy limit 2020; bar1 opens at 2000 ≤ 2020 → fills at 2000 with the volume fixed at placement.
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2000, 2005, 1995, 2001],
    ])
    const r = runBacktest(s, sig('+.'), base)
    const t = r.trades[0]!
    expect(t.entryPrice).toBe(2000)
    expect(t.qtyBase).toBe(494.80210389)
    expect(t.exitReason).toBe('open')
    // Cash = 1,000,000 − 494.80210389 × 2000 × 1.0005 = 9,899.09025 (cheaper than planned).
    expect(r.equity[1]).toBeCloseTo(1_000_000 - 494.80210389 * 2000 * 1.0005 + 494.80210389 * 2001, 6)
  })

  it('cancels a limit order after orderTtlBars and lets a later signal place a new one', () => {
    // Buy limit 2020 placed at bar0; bar1 low 2025 never reaches it → cancelled at bar1's close,
    // where the new +1 places a buy at roundUp(2030 × 1.01 = 2050.3) = 2051; bar2 low 2040 fills it.
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2030, 2040, 2025, 2030],
      [2060, 2070, 2040, 2065],
    ])
    const r = runBacktest(s, sig('++.'), base)
    expect(r.expiredOrders).toBe(1)
    expect(r.trades[0]!.entryPrice).toBe(2051)
    expect(r.trades[0]!.entryBar).toBe(2)
  })

  it('keeps an order alive for orderTtlBars bars', () => {
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2030, 2040, 2025, 2030],
      [2030, 2040, 2015, 2030],
    ])
    const r = runBacktest(s, sig('+..'), { ...base, orderTtlBars: 2 })
    expect(r.trades[0]!.entryPrice).toBe(2020)
    expect(r.trades[0]!.entryBar).toBe(2)
  })

  it('reports an order still pending at the end', () => {
    const s = seriesOf([[2000, 2010, 1990, 2000]])
    const r = runBacktest(s, sig('+'), base)
    expect(r.pendingAtEnd).toMatchObject({ side: 'buy', type: 'limit', price: 2020, placedBar: 0 })
  })

  it('rounds limit prices exactly on the tick ladder (3.00 ± 1% → 3.03 / 2.97)', () => {
    // 3.00 × 1.01 = 3.0300000000000002 in binary: must stay 3.03 (tick 0.01 in the 1–10 band).
    const s = seriesOf([
      [3, 3, 3, 3],
      [3.1, 3.1, 3.0, 3.1],
      [3, 3, 3, 3],
      [3, 3, 2.9, 2.95],
    ])
    const r = runBacktest(s, sig('+.-.'), { ...base, initialCash: 100_000 })
    expect(r.trades[0]!.entryPrice).toBe(3.03)
    // Sell limit at 3.00 × 0.99 = 2.97: bar3 opens at 3 ≥ 2.97 → fills at the open.
    expect(r.trades[0]!.exitPrice).toBe(3)
    expect(r.pendingAtEnd).toBeNull()
  })
})

describe('market orders', () => {
  const mkt: ExecConfig = { ...base, orderType: 'market', slippageRate: 0.001 }
  it('fills at the next open adjusted by slippage, sized all-in at that price', () => {
    // bar1 open 2000 → buy at 2002 (not tick-rounded); qty = floor8(1e6 / (2002 × 1.0005)).
    // bar2 −1 at close; bar3 open 2100 → sell at 2097.9.
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1990, 2005],
      [2050, 2060, 2040, 2050],
      [2100, 2110, 2090, 2100],
    ])
    const r = runBacktest(s, sig('+.-.'), mkt)
    const t = r.trades[0]!
    expect(t.entryPrice).toBeCloseTo(2002, 12)
    expect(t.qtyBase).toBe(Math.floor((1e6 / (2002 * 1.0005)) * 1e8) / 1e8)
    expect(t.exitPrice).toBeCloseTo(2097.9, 12)
    const cost = t.qtyBase * 2002 * 1.0005
    const proceeds = t.qtyBase * 2097.9 * (1 - 0.0005)
    expect(t.profitQuote).toBeCloseTo(proceeds - cost, 6)
    expect(t.returnRate).toBeCloseTo((proceeds - cost) / cost, 12)
  })

  it('charges fees on notional at each fill and reports them in feesPaid', () => {
    const s = seriesOf([
      [1000, 1000, 1000, 1000],
      [1000, 1000, 1000, 1000],
      [1000, 1000, 1000, 1000],
    ])
    const r = runBacktest(s, sig('+-.'), {
      ...base,
      orderType: 'market',
      feeRate: 0.001,
      sizing: { kind: 'fixed-quote', notionalQuote: 100_000 },
    })
    // Buy 100 units at 1000 (fee 100), sell at 1000 on bar2 (fee 100): −200 net, a losing trade.
    const t = r.trades[0]!
    expect(t.qtyBase).toBe(100)
    expect(t.entryFeeQuote).toBeCloseTo(100, 10)
    expect(t.exitFeeQuote).toBeCloseTo(100, 10)
    expect(t.profitQuote).toBeCloseTo(-200, 10)
    expect(r.metrics.feesPaid).toBeCloseTo(200, 10)
    expect(r.metrics.winRate).toBe(0)
    expect(r.metrics.profitFactor).toBe(0)
    expect(r.equity[2]).toBeCloseTo(1_000_000 - 200, 8)
  })
})

describe('exchange minimum and cash', () => {
  it('rejects a buy under 5,000 KRW and counts it', () => {
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2000, 2010, 1990, 2000],
    ])
    const r = runBacktest(s, sig('+.'), { ...base, initialCash: 4_000 })
    expect(r.trades).toHaveLength(0)
    expect(r.rejections['below-minimum']).toBe(1)
    expect(r.rejected[0]).toMatchObject({ bar: 0, side: 'buy', reason: 'below-minimum' })
  })

  it('rejects a fixed-quote buy that needs more cash than is free (never shrinks it)', () => {
    const s = seriesOf([
      [2000, 2010, 1990, 2000],
      [2000, 2010, 1990, 2000],
    ])
    const r = runBacktest(s, sig('+.'), { ...base, initialCash: 50_000, sizing: { kind: 'fixed-quote', notionalQuote: 60_000 } })
    expect(r.rejections['insufficient-cash']).toBe(1)
    expect(r.trades).toHaveLength(0)
  })

  it('cannot sell a position worth less than the minimum', () => {
    // Buy 5,000 KRW worth at 1000 (5 units); price halves; sell signal at 500 → 2,500 < 5,000.
    const s = seriesOf([
      [1000, 1000, 1000, 1000],
      [1000, 1000, 1000, 1000],
      [500, 500, 500, 500],
      [500, 500, 500, 500],
    ])
    const r = runBacktest(s, sig('+.-.'), {
      ...base,
      orderType: 'market',
      slippageRate: 0,
      sizing: { kind: 'fixed-quote', notionalQuote: 5_000 },
    })
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]!.exitReason).toBe('open')
    expect(r.rejections['below-minimum']).toBe(1)
  })
})

describe('protective exits', () => {
  const mkt: ExecConfig = { ...base, orderType: 'market', slippageRate: 0, feeRate: 0 }
  it('assumes the stop-loss first when one bar reaches both the stop and the take-profit', () => {
    // Entry 2000 at bar1's open; SL 2% = 1960, TP 3% = 2060; bar2 low 1950 and high 2070 → exit at 1960.
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1990, 2000],
      [2000, 2070, 1950, 2000],
    ])
    const r = runBacktest(s, sig('+..'), { ...mkt, stopLossRate: 0.02, takeProfitRate: 0.03 })
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
    expect(r.trades[0]!.exitPrice).toBeCloseTo(1960, 9)
    expect(r.trades[0]!.exitBar).toBe(2)
  })

  it('exits at the open when the open gaps through the stop', () => {
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1990, 2000],
      [1900, 1950, 1850, 1900],
    ])
    const r = runBacktest(s, sig('+..'), { ...mkt, stopLossRate: 0.02 })
    expect(r.trades[0]!.exitPrice).toBe(1900)
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
  })

  it('checks the stop in the entry bar when the entry filled at the open', () => {
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1950, 2000],
    ])
    const r = runBacktest(s, sig('+.'), { ...mkt, stopLossRate: 0.02 })
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
    expect(r.trades[0]!.entryBar).toBe(1)
    expect(r.trades[0]!.exitBar).toBe(1)
  })

  it('takes profit at its level', () => {
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1990, 2000],
      [2010, 2070, 2000, 2050],
    ])
    const r = runBacktest(s, sig('+..'), { ...mkt, takeProfitRate: 0.03 })
    expect(r.trades[0]!.exitReason).toBe('take-profit')
    expect(r.trades[0]!.exitPrice).toBeCloseTo(2060, 9)
  })

  it('trails from the highs of bars after the entry bar, not the bar being checked', () => {
    // Entry 2000 at bar1's open; trailing 5%. bar1's own high 2500 is ignored (entry bar), so
    // bar2 uses peak 2000 → stop 1900 (low 1999 holds). bar2's high 2100 → bar3's stop is 1995
    // (low 2000 holds; bar3's own high 2300 must not move the stop used inside bar3, else 2185
    // would trigger there). bar4's stop is 2300 × 0.95 = 2185: low 1990 → exit at 2185.
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2500, 1990, 2000],
      [2000, 2100, 1999, 2050],
      [2050, 2300, 2000, 2200],
      [2200, 2210, 1990, 2000],
    ])
    const r = runBacktest(s, sig('+....'), { ...mkt, trailingStopRate: 0.05 })
    const t = r.trades[0]!
    expect(t.exitReason).toBe('trailing-stop')
    expect(t.exitBar).toBe(4)
    expect(t.exitPrice).toBeCloseTo(2185, 9)
  })

  it('uses the higher of the stop-loss and the trailing stop', () => {
    // SL 1% → 1980; trailing 10% of peak 2000 → 1800: the stop-loss applies.
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2010, 1990, 2000],
      [2000, 2010, 1970, 2000],
    ])
    const r = runBacktest(s, sig('+..'), { ...mkt, stopLossRate: 0.01, trailingStopRate: 0.1 })
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
    expect(r.trades[0]!.exitPrice).toBeCloseTo(1980, 9)
  })

  it('a stop exit cancels the pending limit sell of the same position', () => {
    const lim: ExecConfig = { ...base, feeRate: 0, aggressivenessRate: 0, stopLossRate: 0.02 }
    // Buy limit 2000 fills at bar1's open. −1 at bar1's close places a sell at 2000; bar2 opens at
    // 1990 (below the sell, above the stop 1960), low 1950 → stop exit at 1960, sell cancelled.
    const s = seriesOf([
      [2000, 2000, 2000, 2000],
      [2000, 2000, 1995, 2000],
      [1990, 1995, 1950, 1960],
    ])
    const r = runBacktest(s, sig('+-.'), lim)
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
    expect(r.pendingAtEnd).toBeNull()
  })
})

describe('sizing', () => {
  const s = seriesOf([
    [1000, 1000, 1000, 1000],
    [1000, 1000, 1000, 1000],
  ])
  const mkt: ExecConfig = { ...base, orderType: 'market', slippageRate: 0, feeRate: 0 }
  it('fraction of equity', () => {
    const r = runBacktest(s, sig('+.'), { ...mkt, sizing: { kind: 'fraction', fractionRate: 0.25 } })
    expect(r.trades[0]!.qtyBase).toBe(250)
  })
  it('Kelly: f* = (p·b − (1 − p)) / b times the fraction', () => {
    // p = 0.6, b = 2 → f* = (1.2 − 0.4) / 2 = 0.4; half Kelly → 0.2 of 1,000,000 = 200 units in
    // decimals. In doubles 0.6 × 2 − 0.4 is 0.7999999999999999, so the stake is 0.19999999999999998
    // and the volume 199.99999999999997 units: rounded down (never up, design §7.3) 199.99999999.
    const r = runBacktest(s, sig('+.'), { ...mkt, sizing: { kind: 'kelly', winRate: 0.6, payoffRatio: 2, kellyFraction: 0.5 } })
    expect(0.6 * 2 - 0.4).toBe(0.7999999999999999)
    expect(r.trades[0]!.qtyBase).toBe(199.99999999)
  })
  it('Kelly with no edge places no order and says so', () => {
    const r = runBacktest(s, sig('+.'), { ...mkt, sizing: { kind: 'kelly', winRate: 0.3, payoffRatio: 1, kellyFraction: 1 } })
    expect(r.trades).toHaveLength(0)
    expect(r.rejections['zero-size']).toBe(1)
  })
  it('risk per trade: risk 1% of equity with a 4% stop distance → 25% of equity', () => {
    const r = runBacktest(s, sig('+.'), { ...mkt, sizing: { kind: 'risk', riskRate: 0.01, stopDistanceRate: 0.04 } })
    expect(r.trades[0]!.qtyBase).toBe(250)
  })
  it('all-in keeps exact decimals when rounding down to 8 places', () => {
    // cash 290 at price 1000 with no fee → 0.29 units exactly (not 0.28999999).
    const r = runBacktest(s, sig('+.'), { ...mkt, initialCash: 290, minOrderQuote: 0 })
    expect(r.trades[0]!.qtyBase).toBe(0.29)
  })
})

describe('config validation', () => {
  it('rejects nonsense with a message naming the field', () => {
    const s = seriesOf([[1000, 1000, 1000, 1000]])
    expect(() => runBacktest(s, sig('.'), { ...base, feeRate: -1 })).toThrow(/feeRate/)
    expect(() => runBacktest(s, sig('.'), { ...base, orderTtlBars: 0 })).toThrow(/orderTtlBars/)
    expect(() => runBacktest(s, sig('..'), base)).toThrow(/signals length/)
  })
})
