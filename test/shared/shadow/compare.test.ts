// The shadow comparison: a paper run on the backtest's own fill model matches it fill for fill
// (no divergence); differences in price, volume, missing and extra fills are each reported with
// their bar and cause.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { backtestFills, compareShadow, mergeOrderFills, type ShadowFill } from '../../../shared/shadow/compare.ts'
import { randomSignals, randomWalk } from '../../helpers/series.ts'

const TF = 60_000

describe('compareShadow', () => {
  it('the backtest against itself: every fill matched, no divergence', () => {
    const s = randomWalk(3, 500)
    const r = runBacktest(s, randomSignals(5, 500, 0.1), { ...DEFAULT_EXEC_CONFIG, orderType: 'market' })
    const fills = backtestFills(r)
    expect(fills.length).toBeGreaterThan(10)
    const rep = compareShadow({ timeframeMs: TF, backtestFills: fills, runFills: fills, runOrders: [] })
    expect(rep).toEqual({ matched: fills.length, divergences: [] })
  })

  it('reports price, volume, missed (with the run order state), rejected and extra fills by bar', () => {
    const t = (m: number) => 1_700_000_000_000 - (1_700_000_000_000 % TF) + m * TF
    const bt: ShadowFill[] = [
      { side: 'buy', price: 100, volume: 1, feeQuote: 0.05, timeMs: t(1) },
      { side: 'sell', price: 110, volume: 1, feeQuote: 0.05, timeMs: t(3) },
      { side: 'buy', price: 105, volume: 1, feeQuote: 0.05, timeMs: t(5) },
      { side: 'sell', price: 104, volume: 1, feeQuote: 0.05, timeMs: t(7) },
      { side: 'buy', price: 103, volume: 2, feeQuote: 0.05, timeMs: t(9) },
    ]
    const run = mergeOrderFills([
      // Bar 1: two trades of one order, 20 seconds into the bar, averaging 100.1 (worse for a buy).
      { orderId: 'o1', side: 'buy', price: 100, volume: 0.5, feeQuote: 0.02, timeMs: t(1) + 20_000 },
      { orderId: 'o1', side: 'buy', price: 100.2, volume: 0.5, feeQuote: 0.02, timeMs: t(1) + 21_000 },
      { orderId: 'o2', side: 'sell', price: 110, volume: 1, feeQuote: 0.05, timeMs: t(3) + 5 },
      // Bar 9: half the volume.
      { orderId: 'o9', side: 'buy', price: 103, volume: 1, feeQuote: 0.05, timeMs: t(9) + 5 },
      // Bar 11: a fill the backtest does not have.
      { orderId: 'o11', side: 'sell', price: 99, volume: 1, feeQuote: 0.05, timeMs: t(11) + 5 },
    ])
    const rep = compareShadow({
      timeframeMs: TF,
      backtestFills: bt,
      runFills: run,
      runOrders: [
        { id: 'o4', side: 'buy', decisionBarMs: t(4), state: 'rejected' },
        { id: 'o6', side: 'sell', decisionBarMs: t(6), state: 'open' },
      ],
    })
    expect(rep.matched).toBe(1)
    expect(rep.divergences.map((d) => [d.kind, d.side, (d.barTimeMs - t(0)) / TF])).toEqual([
      ['price', 'buy', 1],
      ['rejected', 'buy', 5],
      ['missed', 'sell', 7],
      ['volume', 'buy', 9],
      ['extra', 'sell', 11],
    ])
    expect(rep.divergences[0]!.cause).toMatch(/10\.0 bps worse/)
    expect(rep.divergences[1]!.cause).toMatch(/o4 was rejected/)
    expect(rep.divergences[2]!.cause).toMatch(/o6 has not filled \(open\)/)
  })
})
