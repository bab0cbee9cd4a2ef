// Paper/backtest parity: the same recorded candle series through runBacktest and through a paper
// run driven bar by bar (a fake feed appending one closed bar at a time) gives identical fills,
// exits, rejections and equity, read back from the journal the paper run wrote.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { compileExecConfig } from '../../../shared/engine/params.ts'
import type { ExecConfig } from '../../../shared/engine/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { getStrategy } from '../../../shared/strategies/index.ts'
import { UPBIT_KRW_RULES } from '../../../shared/upbit/venue-rules.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { createEventLog } from '../../../edge/runner/event-log.ts'
import { PaperRun } from '../../../edge/runner/paper-run.ts'
import { sliceByIndex } from '../../../shared/candles/index.ts'
import { randomConfig } from '../../helpers/exec-configs.ts'
import { randomSignals, randomWalk } from '../../helpers/series.ts'
import { journalWithRun, NOW } from '../journal/fixtures.ts'

const WARMUP = 50

interface Case {
  readonly series: CandleSeries
  readonly signals: (s: CandleSeries) => Int8Array
  readonly cfg: ExecConfig
}

function paperRun(c: Case) {
  const journal = journalWithRun()
  const events = createEventLog(journal)
  const run = new PaperRun({
    runId: 'r1',
    params: compileExecConfig(c.cfg, UPBIT_KRW_RULES),
    signals: c.signals,
    journal,
    events,
    nowMs: () => NOW,
  })
  run.startAfterWarmup(sliceByIndex(c.series, 0, WARMUP))
  // The fake feed: one closed bar at a time, as a runner would append them.
  for (let i = WARMUP; i < c.series.time.length; i++) {
    run.series.append(sliceByIndex(c.series, i, i + 1))
    expect(run.stepClosedBars()).toBe(1)
  }
  return { journal, run }
}

function compare(c: Case): number {
  const bt = runBacktest(c.series, c.signals(c.series), c.cfg, { fromBar: WARMUP })
  const { journal } = paperRun(c)
  const fills = journal.fills.fillsOfRun('r1')
  const rows = journal.events.eventsAfter(0, 10_000)
  const closed = bt.trades.filter((t) => t.exitReason !== 'open')
  // Fills: one buy per trade, one sell per closed trade, at the backtest's times and prices.
  const expected = bt.trades.flatMap((t) => [
    { side: 'buy', timeMs: t.entryTimeMs, price: t.entryPrice, volume: t.qtyBase, feeQuote: t.entryFeeQuote },
    ...(t.exitReason === 'open'
      ? []
      : [{ side: 'sell', timeMs: t.exitTimeMs, price: t.exitPrice, volume: t.qtyBase, feeQuote: t.exitFeeQuote }]),
  ])
  expect(fills.map(({ side, timeMs, price, volume, feeQuote }) => ({ side, timeMs, price, volume, feeQuote }))).toEqual(expected)
  const exits = rows.filter((e) => e.kind === 'fill' && e.payload.side === 'sell').map((e) => e.payload.exitReason)
  expect(exits).toEqual(closed.map((t) => t.exitReason))
  const rejected = rows
    .filter((e) => e.kind === 'order_rejected')
    .map((e) => ({ timeMs: e.payload.barTimeMs, side: e.payload.side, reason: e.payload.reason }))
  expect(rejected).toEqual(bt.rejected.map((r) => ({ timeMs: r.timeMs, side: r.side, reason: r.reason })))
  const equity = journal.equity.pointsOf('r1').map((p) => p.equityQuote)
  expect(equity).toEqual(Array.from(bt.equity))
  // Seq numbers are the journal's: 1, 2, 3, … with no gap.
  expect(rows.map((e) => e.seq)).toEqual(rows.map((_, i) => i + 1))
  return fills.length
}

describe('paper run ≡ backtest', () => {
  it('random signals under random execution configs: same fills, exits, rejections, equity', () => {
    let fills = 0
    for (let seed = 1; seed <= 12; seed++) {
      const sigs = randomSignals(seed * 7, 400, 0.08)
      fills += compare({ series: randomWalk(seed, 400), signals: (s) => sigs.subarray(0, s.time.length), cfg: randomConfig(seed) })
    }
    expect(fills).toBeGreaterThan(20)
  })

  it('a registered strategy (rsi) recomputing its signals on the growing series', () => {
    const def = getStrategy('rsi')
    const params = { period: 6, oversold: 40, overbought: 60 }
    const cfg: ExecConfig = { ...DEFAULT_EXEC_CONFIG, stopLossRate: 0.01, takeProfitRate: 0.02 }
    expect(compare({ series: randomWalk(99, 300), signals: (s) => def.signals(s, params), cfg })).toBeGreaterThan(2)
  })
})
