// The minimal cases of the backtest-exactness review (design §7.3's rounding, cost, entry-bar and
// placement rules), each worked out by hand in its comments: exact trades, rejections and equity.
import { describe, expect, it } from 'vitest'
import { runBacktest, type BacktestResult } from '../../../shared/backtest/run.ts'
import { floorTo8 } from '../../../shared/engine/rounding.ts'
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../../shared/engine/types.ts'
import { roundKrwPrice } from '../../../shared/upbit/ticks.ts'
import { seriesOf, sig } from '../../helpers/series.ts'

type Row = readonly [number, number, number, number]
const flat = (x: number): Row => [x, x, x, x]

const limit: ExecConfig = {
  ...DEFAULT_EXEC_CONFIG,
  initialCash: 1_000_000,
  feeRate: 0,
  orderType: 'limit',
  aggressivenessRate: 0,
  sizing: { kind: 'fixed-quote', notionalQuote: 1_000_000 },
}
const market: ExecConfig = { ...limit, orderType: 'market', slippageRate: 0 }

function rejections(r: BacktestResult): string[] {
  return r.rejected.map((x) => `${x.bar} ${x.side} ${x.reason}`)
}

describe('volumes round down, never up (defect 1)', () => {
  it('a 5,000 KRW limit buy at 0.00042 is 11,904,761.90476190 units, worth under 5,000: rejected', () => {
    // 5000 / 0.00042 = 11,904,761.904761904…; 8 decimals down: 11,904,761.90476190, worth
    // 4,999.9999999999998 < 5,000 → below the minimum at the decision bar (bar 0).
    const s = seriesOf([flat(0.00042), flat(0.00042)])
    const r = runBacktest(s, sig('+.'), { ...limit, sizing: { kind: 'fixed-quote', notionalQuote: 5000 } })
    expect(r.trades).toEqual([])
    expect(rejections(r)).toEqual(['0 buy below-minimum'])
    expect(Array.from(r.equity)).toEqual([1_000_000, 1_000_000])
  })

  it('the same 5,000 KRW as a market buy passes at placement and fills at 11,904,761.9047619 units', () => {
    // Placement checks the quote (5,000 ≥ 5,000); the fill sizes 5000 / 0.00042 down to 8 decimals.
    const s = seriesOf([flat(0.00042), flat(0.00042)])
    const r = runBacktest(s, sig('+.'), { ...market, sizing: { kind: 'fixed-quote', notionalQuote: 5000 } })
    expect(rejections(r)).toEqual([])
    expect(r.trades[0]!.qtyBase).toBe(11_904_761.9047619)
    expect(r.trades[0]!.entryBar).toBe(1)
  })

  it('fraction 0.5 of 1,000,000 at 0.126 buys 3,968,253.96825396 units (not …97)', () => {
    // 500,000 / 0.126 = 3,968,253.968253968…; down to 8 decimals: 3,968,253.96825396.
    const s = seriesOf([flat(0.126), flat(0.126)])
    const r = runBacktest(s, sig('+.'), { ...limit, sizing: { kind: 'fraction', fractionRate: 0.5 } })
    expect(r.trades[0]!.qtyBase).toBe(3_968_253.96825396)
    // No fee: cash 1,000,000 − 3,968,253.96825396 × 0.126, equity back to that + qty × 0.126.
    const cash = 1_000_000 - 3_968_253.96825396 * 0.126
    expect(r.equity[1]).toBe(cash + 3_968_253.96825396 * 0.126)
  })
})

describe('prices round to the tick in the right direction (defect 2)', () => {
  it('close 150,001,000 with aggressiveness 0.0001: buy at 150,017,000, sell at 149,985,000', () => {
    // 150,001,000 × 1.0001 = 150,016,000.1 → up to the 1,000 tick: 150,017,000.
    // 150,001,000 × 0.9999 = 149,985,999.9 → down: 149,985,000.
    expect(roundKrwPrice(150_001_000 * 1.0001, 'up')).toBe(150_017_000)
    expect(roundKrwPrice(150_001_000 * 0.9999, 'down')).toBe(149_985_000)
    const s = seriesOf([
      flat(150_001_000),
      // opens above the buy limit, trades down through it: in-bar fill at 150,017,000
      [150_020_000, 150_030_000, 150_010_000, 150_001_000],
      // opens under the sell limit, trades up through it: in-bar fill at 149,985,000
      [149_980_000, 149_990_000, 149_970_000, 149_980_000],
    ])
    const r = runBacktest(s, sig('+-.'), { ...limit, aggressivenessRate: 0.0001 })
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]!.entryPrice).toBe(150_017_000)
    expect(r.trades[0]!.exitPrice).toBe(149_985_000)
    expect(r.trades[0]!.exitBar).toBe(2)
  })
})

describe('one cost expression (defect 3)', () => {
  it('all-in with no buffer at 0.456: the volume is affordable at the fill, never rejected there', () => {
    // cash 1,862,962.9064, fee 0.001: 1,862,962.9064 / (0.456 × 1.001) → 4,081,363.60656887 units,
    // whose cost notional + notional × fee exceeds the cash by 2.1e-10 (exactly, not only in
    // floats); one unit less, 4,081,363.60656886, costs 4.35e-9 under the cash.
    const cash = 1_862_962.9064
    expect(floorTo8(cash / (0.456 * 1.001))).toBe(4_081_363.60656887)
    const s = seriesOf([flat(0.456), flat(0.456)])
    const r = runBacktest(s, sig('+.'), { ...limit, initialCash: cash, feeRate: 0.001, sizing: { kind: 'all-in', feeBufferRate: 0 } })
    expect(rejections(r)).toEqual([])
    const t = r.trades[0]!
    expect(t.qtyBase).toBe(4_081_363.60656886)
    const notional = 4_081_363.60656886 * 0.456
    expect(t.entryFeeQuote).toBe(notional * 0.001)
    expect(r.equity[1]).toBe(cash - (notional + notional * 0.001) + 4_081_363.60656886 * 0.456)
    expect(r.equity[1]).toBeGreaterThan(0)
  })
})

describe('exits in the entry bar (rule 4)', () => {
  const entryRows: Row[] = [flat(10_000), [10_050, 10_100, 9_700, 9_800]]

  it('a limit buy filled in-bar at 10,020 exits in that bar at its 2% stop, 9,819.6', () => {
    // close 10,000 × 1.002 = 10,020 (on the 10 tick). Bar 1 opens 10,050 > 10,020 (no open fill),
    // its low 9,700 reaches 10,020 → fill at 10,020; the stop 10,020 × 0.98 = 9,819.6 is reached
    // by the same low → exit at 9,819.6 in bar 1 (min(level, open) = level).
    const s = seriesOf(entryRows)
    const r = runBacktest(s, sig('+.'), { ...limit, aggressivenessRate: 0.002, stopLossRate: 0.02 })
    const t = r.trades[0]!
    expect(t.entryPrice).toBe(10_020)
    expect(t.entryBar).toBe(1)
    expect(t.exitBar).toBe(1)
    expect(t.exitPrice).toBe(10_020 * (1 - 0.02))
    expect(t.exitReason).toBe('stop-loss')
    // qty = 1,000,000 / 10,020 = 99.800399201…→ 99.8003992; no fee: equity = cash after the exit.
    expect(t.qtyBase).toBe(99.8003992)
    expect(r.equity[1]).toBe(1_000_000 - 99.8003992 * 10_020 + 99.8003992 * (10_020 * 0.98))
  })

  it('a trailing stop applies in the in-bar entry bar too, its peak being the entry price', () => {
    const s = seriesOf(entryRows)
    const r = runBacktest(s, sig('+.'), { ...limit, aggressivenessRate: 0.002, trailingStopRate: 0.01 })
    expect(r.trades[0]!.exitBar).toBe(1)
    expect(r.trades[0]!.exitPrice).toBe(10_020 * (1 - 0.01))
    expect(r.trades[0]!.exitReason).toBe('trailing-stop')
  })

  it('an in-bar entry does not take profit in its own bar (the high may have come first)', () => {
    // Bar 1 fills the limit at 10,020 in-bar and reaches the 2% target 10,220.4 with its high
    // 10,500: no exit in bar 1. Bar 2 opens at 10,300 ≥ target → take-profit at that open.
    const s = seriesOf([flat(10_000), [10_050, 10_500, 10_000, 10_100], [10_300, 10_310, 10_290, 10_300]])
    const r = runBacktest(s, sig('+..'), { ...limit, aggressivenessRate: 0.002, takeProfitRate: 0.02 })
    const t = r.trades[0]!
    expect(t.entryBar).toBe(1)
    expect(t.exitBar).toBe(2)
    expect(t.exitPrice).toBe(10_300)
    expect(t.exitReason).toBe('take-profit')
  })

  it('an entry at the open takes profit in its own bar', () => {
    // Market buy at bar 1's open 10,000; target 10,200 reached by the high 10,300 → exit at 10,200.
    const s = seriesOf([flat(10_000), [10_000, 10_300, 9_990, 10_100]])
    const r = runBacktest(s, sig('+.'), { ...market, takeProfitRate: 0.02 })
    expect(r.trades[0]!.exitBar).toBe(1)
    expect(r.trades[0]!.exitPrice).toBe(10_000 * 1.02)
    expect(r.trades[0]!.exitReason).toBe('take-profit')
  })

  it('a stop lifted above the open by slippage sells at the open, never at a level that did not trade', () => {
    // Market buy at 10,000 × 1.03 = 10,300; stop 1% = 10,197 > open 10,000 → exit at 10,000.
    const s = seriesOf([flat(10_000), [10_000, 10_050, 9_990, 10_020]])
    const r = runBacktest(s, sig('+.'), { ...market, slippageRate: 0.03, stopLossRate: 0.01 })
    const t = r.trades[0]!
    expect(t.entryPrice).toBe(10_000 * 1.03)
    expect(t.exitBar).toBe(1)
    expect(t.exitPrice).toBe(10_000)
    expect(t.exitReason).toBe('stop-loss')
  })
})

describe('checks at placement (rule 5)', () => {
  it('a market buy accepted at placement fills even when its value at the open is under 5,000', () => {
    // Fixed quote 5,000 passes at bar 0's close. Bar 1 opens at 999.9: 5000 / 999.9 =
    // 5.000500050005… → 5.00050005 units, worth 4,999.99999… < 5,000: it fills all the same.
    const s = seriesOf([flat(1000), flat(999.9)])
    const r = runBacktest(s, sig('+.'), { ...market, sizing: { kind: 'fixed-quote', notionalQuote: 5000 } })
    expect(rejections(r)).toEqual([])
    expect(r.trades[0]!.entryPrice).toBe(999.9)
    expect(r.trades[0]!.qtyBase).toBe(5.00050005)
    expect(r.trades[0]!.qtyBase * 999.9).toBeLessThan(5000)
  })

  it('a market buy under the minimum is rejected at its decision bar, also on the last bar', () => {
    const s = seriesOf([flat(1000), flat(1000), flat(1000)])
    const r = runBacktest(s, sig('+.+'), { ...market, sizing: { kind: 'fixed-quote', notionalQuote: 4999 } })
    expect(rejections(r)).toEqual(['0 buy below-minimum', '2 buy below-minimum'])
    expect(r.pendingAtEnd).toBeNull()
  })

  it('an order failing both the minimum and the cash check is under the minimum', () => {
    // Cash 5,000, fraction 0.999 → quote 4,995 < 5,000, and 4,995 × 1.0025 > 5,000.
    const s = seriesOf([flat(1000), flat(1000)])
    const cfg = { ...market, initialCash: 5000, feeRate: 0.0025, sizing: { kind: 'fraction', fractionRate: 0.999 } } as const
    expect(rejections(runBacktest(s, sig('+.'), cfg))).toEqual(['0 buy below-minimum'])
    expect(rejections(runBacktest(s, sig('+.'), { ...cfg, orderType: 'limit' }))).toEqual(['0 buy below-minimum'])
  })

  it('an all-in market buy is checked by its quote, cash / (1 + fee + buffer)', () => {
    // 5,004 / 1.001 = 4,999.0… < 5,000 → rejected at bar 0; 5,006 / 1.001 = 5,001.0… passes.
    const s = seriesOf([flat(1000), flat(1000)])
    const cfg = (cash: number): ExecConfig => ({
      ...market,
      initialCash: cash,
      feeRate: 0.0005,
      sizing: { kind: 'all-in', feeBufferRate: 0.0005 },
    })
    expect(rejections(runBacktest(s, sig('+.'), cfg(5004)))).toEqual(['0 buy below-minimum'])
    const ok = runBacktest(s, sig('+.'), cfg(5006))
    expect(rejections(ok)).toEqual([])
    expect(ok.trades[0]!.qtyBase).toBe(floorTo8(5006 / (1000 * 1.001)))
  })

  it('a market sell is checked by volume × the decision close, and fills at the next open whatever its value', () => {
    // Buy 5.00050005 units at bar 1's open 999.9 (as above). Bar 1 closes at 990 with a sell
    // wish: 5.00050005 × 990 = 4,950.5 < 5,000 → rejected at bar 1. Bar 2 closes at 1,000:
    // 5,000.5 ≥ 5,000 → placed; bar 3 opens at 900 → sold there (worth 4,500.45).
    const s = seriesOf([flat(1000), [999.9, 999.9, 990, 990], flat(1000), flat(900)])
    const r = runBacktest(s, sig('+--.'), { ...market, sizing: { kind: 'fixed-quote', notionalQuote: 5000 } })
    expect(rejections(r)).toEqual(['1 sell below-minimum'])
    const t = r.trades[0]!
    expect(t.exitBar).toBe(3)
    expect(t.exitPrice).toBe(900)
    expect(t.exitReason).toBe('signal')
  })
})

describe('all-in never places an unaffordable order (rule 6)', () => {
  it('at 2.49e9 units and 0.000401, where subtracting 1e-8 does not change the float, it steps to the next double', () => {
    // cash 998,000, fee 0.0005, no buffer: 998,000 / (0.000401 × 1.0005) → 2,487,534,287.7189837
    // units (doubles are 4.8e-7 apart there), which costs 1.2e-10 more than the cash in floats.
    const cash = 998_000
    const q0 = floorTo8(cash / (0.000401 * 1.0005))
    const n0 = q0 * 0.000401
    expect(n0 + n0 * 0.0005).toBeGreaterThan(cash)
    expect(q0 - 1e-8).toBe(q0)
    const s = seriesOf([flat(0.000401), flat(0.000401)])
    const r = runBacktest(s, sig('+.'), { ...limit, initialCash: cash, feeRate: 0.0005, sizing: { kind: 'all-in', feeBufferRate: 0 } })
    expect(rejections(r)).toEqual([])
    const t = r.trades[0]!
    expect(t.qtyBase).toBeLessThan(q0)
    expect(t.qtyBase).toBe(2_487_534_287.718983)
    const n = t.qtyBase * 0.000401
    expect(n + n * 0.0005).toBeLessThanOrEqual(cash)
    expect(r.equity[1]).toBe(cash - (n + n * 0.0005) + n)
  })
})
