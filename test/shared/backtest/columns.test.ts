// The backtest records trades and rejected orders as columns (shared/backtest/columns.ts) and
// builds the lists on first read. Checked against a plain recorder that makes one object per
// event, as the engine's sink contract describes them, on a plain stepBar loop.
import { describe, expect, it } from 'vitest'
import {
  rejectedColumnsOf,
  rejectedOrders,
  runBacktest,
  tradeColumnsOf,
  tradesOf,
  type RejectedOrder,
} from '../../../shared/backtest/index.ts'
import { simulateReference } from '../../../shared/backtest/reference.ts'
import { compileExecConfig } from '../../../shared/engine/params.ts'
import { EXIT_REASON_NAMES, KernelState, REJECT_REASON_NAMES, SIDE_BUY, type KernelSink } from '../../../shared/engine/state.ts'
import { DEFAULT_EXEC_CONFIG, EXIT_REASONS, REJECT_REASONS, type ExecConfig, type Trade } from '../../../shared/engine/types.ts'
import { MetricsAccumulator } from '../../../shared/metrics/accumulator.ts'
import { UPBIT_KRW_RULES } from '../../../shared/upbit/venue-rules.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { randomConfig } from '../../helpers/exec-configs.ts'
import { randomSignals, randomWalk } from '../../helpers/series.ts'

/** One object per kernel event, then the open position at the end (as run.ts documents it). */
function plainLists(series: CandleSeries, signals: Int8Array, cfg: ExecConfig): { trades: Trade[]; rejected: RejectedOrder[] } {
  const p = compileExecConfig(cfg, UPBIT_KRW_RULES)
  const trades: Trade[] = []
  const rejected: RejectedOrder[] = []
  let entry = { bar: -1, price: 0, fee: 0 }
  const sink: KernelSink = {
    onEntry: (bar, price, _qty, fee) => void (entry = { bar, price, fee }),
    onExit: (bar, price, qty, fee, profit, ret, reason) =>
      void trades.push({
        entryBar: entry.bar,
        entryTimeMs: series.time[entry.bar]!,
        entryPrice: entry.price,
        qtyBase: qty,
        entryFeeQuote: entry.fee,
        exitBar: bar,
        exitTimeMs: series.time[bar]!,
        exitPrice: price,
        exitFeeQuote: fee,
        profitQuote: profit,
        returnRate: ret,
        exitReason: EXIT_REASON_NAMES[reason]!,
      }),
    onReject: (bar, side, reason) =>
      void rejected.push({
        bar,
        timeMs: series.time[bar]!,
        side: side === SIDE_BUY ? 'buy' : 'sell',
        reason: REJECT_REASON_NAMES[reason]!,
      }),
  }
  const st = new KernelState()
  st.reset(p.initialCash, sink)
  const n = series.close.length
  simulateReference(series, signals, p, 0, n, st, new MetricsAccumulator(), null)
  if (st.qty > 0) {
    const cost = st.entryNotional + st.entryFee
    const profit = st.qty * series.close[n - 1]! - cost
    trades.push({
      entryBar: entry.bar,
      entryTimeMs: series.time[entry.bar]!,
      entryPrice: entry.price,
      qtyBase: st.qty,
      entryFeeQuote: entry.fee,
      exitBar: -1,
      exitTimeMs: NaN,
      exitPrice: NaN,
      exitFeeQuote: 0,
      profitQuote: profit,
      returnRate: profit / cost,
      exitReason: 'open',
    })
  }
  return { trades, rejected }
}

describe('trade and rejected-order columns', () => {
  it("the kernel's reason codes index the public reason lists", () => {
    expect(EXIT_REASONS.slice(0, EXIT_REASON_NAMES.length)).toEqual(EXIT_REASON_NAMES)
    expect(EXIT_REASONS.at(-1)).toBe('open')
    expect([...REJECT_REASONS]).toEqual(REJECT_REASON_NAMES)
  })

  it('the lists built from the columns equal one object per event, on random runs', () => {
    let trades = 0
    let rejected = 0
    let open = 0
    for (let k = 0; k < 40; k++) {
      const series = randomWalk(500 + k, 2500, k % 2 ? 50_000 : 3.5)
      const signals = randomSignals(600 + k, 2500, k % 3 === 0 ? 0.3 : 0.04)
      const cfg = randomConfig(700 + k)
      const r = runBacktest(series, signals, cfg)
      const plain = plainLists(series, signals, cfg)
      expect(r.trades).toEqual(plain.trades)
      expect(r.rejected).toEqual(plain.rejected)
      // The columns and the lists convert both ways.
      expect(tradeColumnsOf(r.trades)).toEqual(r.tradeColumns)
      expect(tradesOf(r.tradeColumns)).toEqual(r.trades)
      expect(rejectedColumnsOf(r.rejected)).toEqual(r.rejectedColumns)
      expect(rejectedOrders(r.rejectedColumns, series.time)).toEqual(r.rejected)
      trades += r.trades.length
      rejected += r.rejected.length
      if (r.trades.at(-1)?.exitReason === 'open') open++
    }
    // The cases cover what they are meant to.
    expect(trades).toBeGreaterThan(500)
    expect(rejected).toBeGreaterThan(100)
    expect(open).toBeGreaterThan(3)
  })

  it('the lists are built once, and spreads, clones and JSON carry them', () => {
    const series = randomWalk(9, 2000)
    // 5,200 KRW of cash: a few losing trades take it under the 5,000 minimum, then buys are rejected.
    const r = runBacktest(series, randomSignals(10, 2000, 0.3), { ...DEFAULT_EXEC_CONFIG, initialCash: 5_200 })
    expect(r.trades.length).toBeGreaterThan(0)
    expect(r.rejected.length).toBeGreaterThan(0)
    expect(r.trades).toBe(r.trades)
    expect(r.rejected).toBe(r.rejected)
    expect({ ...r }.trades).toEqual(r.trades)
    const clone = structuredClone(r)
    expect(clone.trades).toEqual(r.trades)
    expect(clone.rejected).toEqual(r.rejected)
    const json = JSON.parse(JSON.stringify({ trades: r.trades, rejected: r.rejected, r })) as {
      r: { trades: unknown[]; rejected: unknown[] }
    }
    expect(json.r.trades).toHaveLength(r.trades.length)
    expect(json.r.rejected).toHaveLength(r.rejected.length)
  })
})
