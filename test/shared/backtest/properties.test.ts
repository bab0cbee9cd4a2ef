// Property tests of the kernel and backtest on seeded random data: accounting identities hold at
// every bar, cash never goes negative, no fill is under the exchange minimum, results are
// reproducible, and the metrics-only path equals the full backtest.
import { describe, expect, it } from 'vitest'
import { backtestMetricsInto, createWorkspace } from '../../../shared/backtest/fast.ts'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { simulateReference } from '../../../shared/backtest/reference.ts'
import { simulate } from '../../../shared/backtest/simulate.ts'
import { equityAt, stepBar } from '../../../shared/engine/kernel.ts'
import { compileExecConfig as compileFor } from '../../../shared/engine/params.ts'
import { KernelState, type KernelSink } from '../../../shared/engine/state.ts'
import { UPBIT_KRW_RULES } from '../../../shared/upbit/venue-rules.ts'
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../../shared/engine/types.ts'
import { MetricsAccumulator } from '../../../shared/metrics/accumulator.ts'
import { METRIC_COUNT, METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { createRng } from '../../../shared/random.ts'
import { randomConfig } from '../../helpers/exec-configs.ts'
import { randomSignals, randomWalk } from '../../helpers/series.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'

const compileExecConfig = (cfg: ExecConfig) => compileFor(cfg, UPBIT_KRW_RULES)

/** The reference (shared/backtest/reference.ts): a plain stepBar loop over every bar. */
function plainLoop(
  series: CandleSeries,
  signals: Int8Array,
  cfg: ExecConfig,
): { st: KernelState; equity: Float64Array; row: Float64Array } {
  const p = compileExecConfig(cfg)
  const n = series.close.length
  const st = new KernelState()
  st.reset(p.initialCash, null)
  const acc = new MetricsAccumulator()
  const equity = new Float64Array(n)
  simulateReference(series, signals, p, 0, n, st, acc, equity)
  const row = new Float64Array(METRIC_COUNT)
  acc.finish(st, series.close[0]!, series.close[n - 1]!, row, 0)
  return { st, equity, row }
}

const CASES = 40

describe('kernel invariants on random data', () => {
  it('equity = cash + qty × close at every bar, cash ≥ 0, every protective exit ≥ the minimum', () => {
    let totalFills = 0
    for (let k = 0; k < CASES; k++) {
      const series = randomWalk(1000 + k, 3000, k % 2 ? 50_000 : 3.5)
      const signals = randomSignals(2000 + k, 3000, 0.03)
      const cfg = randomConfig(3000 + k)
      const p = compileExecConfig(cfg)
      const fills: number[] = []
      const sink: KernelSink = {
        onEntry: () => {},
        // Orders are checked against the minimum when placed (a market order may fill under it at
        // the next open); protective exits are checked at their own price.
        onExit: (_b, price, qty, _f, _p, _r, reason) => void (reason !== 0 && fills.push(price * qty)),
        onReject: () => {},
      }
      const st = new KernelState()
      st.reset(p.initialCash, sink)
      const broken: string[] = []
      for (let i = 0; i < series.close.length; i++) {
        stepBar(st, p, series, signals, i)
        const eq = equityAt(st, series, i)
        if (eq !== st.cash + st.qty * series.close[i]!) broken.push(`bar ${i}: equity ${eq}`)
        if (st.cash < 0 || st.qty < 0) broken.push(`bar ${i}: cash ${st.cash} qty ${st.qty}`)
      }
      expect(broken).toEqual([])
      for (const v of fills) expect(v).toBeGreaterThanOrEqual(cfg.minOrderQuote)
      totalFills += fills.length
    }
    expect(totalFills).toBeGreaterThan(CASES)
  })

  it('the sum of closed trade profits equals the change in equity when flat at the end', () => {
    let checked = 0
    for (let k = 0; k < CASES; k++) {
      const series = randomWalk(5000 + k, 2000)
      const signals = randomSignals(6000 + k, 2000, 0.05)
      const cfg = randomConfig(7000 + k)
      const r = runBacktest(series, signals, cfg)
      if (r.trades.some((t) => t.exitReason === 'open')) continue
      const sum = r.trades.reduce((a, t) => a + t.profitQuote, 0)
      expect(r.equity[r.equity.length - 1]! - cfg.initialCash).toBeCloseTo(sum, 4)
      expect(r.metrics.trades).toBe(r.trades.length)
      checked++
    }
    expect(checked).toBeGreaterThan(5)
  })

  it('is deterministic and the metrics-only path equals runBacktest exactly', () => {
    const ws = createWorkspace()
    const row = new Float64Array(METRIC_COUNT)
    for (let k = 0; k < CASES; k++) {
      const series = randomWalk(9000 + k, 2500)
      const signals = randomSignals(9100 + k, 2500, 0.04)
      const cfg = randomConfig(9200 + k)
      const from = k % 3 === 0 ? 500 : 0
      const a = runBacktest(series, signals, cfg, { fromBar: from })
      const b = runBacktest(series, signals, cfg, { fromBar: from })
      expect(b.equity).toEqual(a.equity)
      expect(b.trades).toEqual(a.trades)
      backtestMetricsInto(series, signals, compileExecConfig(cfg), from, series.close.length, ws, row, 0)
      METRIC_NAMES.forEach((name, i) => expect(Object.is(row[i], a.metrics[name]) || row[i] === a.metrics[name]).toBe(true))
    }
  })

  it('ignores bars before fromBar except as history: same trades as a cut series', () => {
    const series = randomWalk(42, 3000)
    const signals = randomSignals(43, 3000, 0.05)
    const cfg = randomConfig(44)
    const r = runBacktest(series, signals, cfg, { fromBar: 1000, toBar: 2000 })
    expect(r.equity.length).toBe(1000)
    for (const t of r.trades) {
      expect(t.entryBar).toBeGreaterThanOrEqual(1001)
      expect(t.entryBar).toBeLessThan(2000)
    }
    expect(r.equity[0]).toBe(cfg.initialCash)
  })

  it('max drawdown and total return agree with a direct computation on the equity curve', () => {
    for (let k = 0; k < CASES; k++) {
      const series = randomWalk(11_000 + k, 2000)
      const r = runBacktest(series, randomSignals(11_100 + k, 2000, 0.05), randomConfig(11_200 + k))
      let peak = -Infinity
      let mdd = 0
      for (const e of r.equity) {
        peak = Math.max(peak, e)
        mdd = Math.min(mdd, e / peak - 1)
      }
      expect(r.metrics.maxDrawdown).toBe(mdd)
      expect(r.metrics.totalReturn).toBe(r.equity[r.equity.length - 1]! / r.config.initialCash - 1)
    }
  })

  it('the bulk runs in simulate equal a plain stepBar loop bar for bar', () => {
    for (let k = 0; k < CASES; k++) {
      const series = randomWalk(12_000 + k, 3000)
      const signals = randomSignals(12_100 + k, 3000, k % 2 ? 0.003 : 0.05)
      const base = randomConfig(12_200 + k)
      // Half the cases without protective exits, so the holding run is exercised too.
      const cfg = k % 2 ? { ...base, stopLossRate: 0, takeProfitRate: 0, trailingStopRate: 0 } : base
      const { st, equity: eq, row } = plainLoop(series, signals, cfg)
      const r = runBacktest(series, signals, cfg)
      expect(r.equity).toEqual(eq)
      METRIC_NAMES.forEach((name, i) => expect(r.metrics[name]).toBe(row[i]))
      expect(r.rejections['below-minimum']).toBe(st.rejectBelowMinimum)
      expect(r.rejections['insufficient-cash']).toBe(st.rejectInsufficientCash)
    }
  })

  it('simulate equals the plain loop event for event across sizings, order types, price scales, dust and NaN closes', () => {
    // Every fill, exit and rejection (with its bar, price and amounts), the whole equity curve and
    // the final state, from an arbitrary first bar; half the cases blow the account to dust.
    type Log = { events: string[]; sink: KernelSink }
    const logger = (): Log => {
      const events: string[] = []
      return {
        events,
        sink: {
          onEntry: (...a) => void events.push(`E${a.join(',')}`),
          onExit: (...a) => void events.push(`X${a.join(',')}`),
          onReject: (...a) => void events.push(`R${a.join(',')}`),
        },
      }
    }
    for (let k = 0; k < 160; k++) {
      const rng = createRng(15_000 + k)
      const n = 300 + rng.int(2500)
      const series = randomWalk(15_100 + k, n, [60_000, 150, 2.5, 0.00003, 100_000_000][k % 5]!)
      if (k % 7 === 3) series.close[rng.int(n)] = NaN
      const signals = randomSignals(15_200 + k, n, [0.0005, 0.002, 0.02, 0.2, 0.6][k % 5]!)
      const base = randomConfig(15_300 + k)
      const cfg: ExecConfig = k % 2 ? { ...base, initialCash: [5_200, 12_000][k % 4 === 1 ? 0 : 1]!, feeRate: 0.01 } : base
      const p = compileExecConfig(cfg)
      const from = k % 3 === 0 ? rng.int(n >> 1) : 0
      const a = logger()
      const ref = new KernelState()
      ref.reset(p.initialCash, a.sink)
      const refEquity = new Float64Array(n - from)
      let refThrew = ''
      try {
        simulateReference(series, signals, p, from, n, ref, new MetricsAccumulator(), refEquity)
      } catch (e) {
        refThrew = String(e)
      }
      const b = logger()
      const st = new KernelState()
      st.reset(p.initialCash, b.sink)
      const equity = new Float64Array(n - from)
      let threw = ''
      try {
        simulate(series, signals, p, from, n, st, new MetricsAccumulator(), equity)
      } catch (e) {
        threw = String(e)
      }
      expect(threw, `case ${k}`).toBe(refThrew)
      if (threw !== '') continue
      expect(b.events, `case ${k}`).toEqual(a.events)
      expect(Array.from(equity), `case ${k}`).toEqual(Array.from(refEquity))
      expect({ ...st, sink: null }, `case ${k}`).toEqual({ ...ref, sink: null })
    }
  })

  it('block skipping on long multi-day runs (and NaN bars) equals the plain loop, metrics-only path', () => {
    const ws = createWorkspace()
    const row = new Float64Array(METRIC_COUNT)
    for (let k = 0; k < 12; k++) {
      const n = 20_000
      const series = randomWalk(13_000 + k, n, k % 3 === 0 ? 2.5 : 60_000)
      if (k % 4 === 1) {
        // A few poisoned bars: summaries must not let a block skip past them.
        for (const b of [777, 5_000, 12_345]) {
          series.low[b] = NaN
          series.high[b + 3] = NaN
          series.close[b + 7] = NaN
        }
      }
      const signals = randomSignals(13_100 + k, n, [0.0005, 0.002, 0.02][k % 3]!)
      const base = randomConfig(13_200 + k)
      const cfg =
        k % 2 ? { ...base, stopLossRate: 0, takeProfitRate: 0 } : { ...base, stopLossRate: 0.03, trailingStopRate: k % 4 === 0 ? 0.05 : 0 }
      const { st, row: plain } = plainLoop(series, signals, cfg)
      backtestMetricsInto(series, signals, compileExecConfig(cfg), 0, n, ws, row, 0)
      METRIC_NAMES.forEach((name, i) => expect(Object.is(row[i], plain[i]), `${name}: ${row[i]} vs ${plain[i]} (case ${k})`).toBe(true))
      expect(ws.state.barsInPosition).toBe(st.barsInPosition)
      expect(ws.state.peak).toBe(st.peak)
      expect(ws.state.rejectBelowMinimum).toBe(st.rejectBelowMinimum)
    }
  })

  it('a position under the minimum: every limit sell wish is rejected and listed, in bulk as bar by bar', () => {
    // Buy 6,000 KRW worth, then the price halves: the position (~3,000 KRW) cannot be sold, and
    // each sell wish is a rejected order in the list, with the bar it happened on.
    const n = 400
    const series = randomWalk(77, n, 60_000)
    for (let i = 10; i < n; i++) {
      series.open[i]! /= 2
      series.high[i]! /= 2
      series.low[i]! /= 2
      series.close[i]! /= 2
    }
    const signals = new Int8Array(n)
    signals[2] = 1
    for (let i = 20; i < n; i += 3) signals[i] = -1
    const cfg: ExecConfig = { ...DEFAULT_EXEC_CONFIG, sizing: { kind: 'fixed-quote', notionalQuote: 6_000 }, aggressivenessRate: 0.001 }
    const r = runBacktest(series, signals, cfg)
    const p = compileExecConfig(cfg)
    const rejected: number[] = []
    const st = new KernelState()
    st.reset(p.initialCash, { onEntry: () => {}, onExit: () => {}, onReject: (bar) => void rejected.push(bar) })
    for (let i = 0; i < n; i++) stepBar(st, p, series, signals, i)
    expect(rejected.length).toBeGreaterThan(100)
    expect(r.rejected.map((x) => x.bar)).toEqual(rejected)
    expect(r.rejected.every((x) => x.side === 'sell' && x.reason === 'below-minimum')).toBe(true)
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]!.exitReason).toBe('open')
  })

  it('blown accounts (cash or position under the minimum) count the same rejections as the plain loop', () => {
    const ws = createWorkspace()
    const row = new Float64Array(METRIC_COUNT)
    for (let k = 0; k < 24; k++) {
      const n = 3000
      const start = [60_000, 150, 2.5, 0.00003, 0.000012][k % 5]!
      const series = randomWalk(14_000 + k, n, start)
      const signals = randomSignals(14_100 + k, n, 0.2)
      const cfg: ExecConfig = {
        ...DEFAULT_EXEC_CONFIG,
        // Dust cash from the start, or enough for a few trades that fees then grind down.
        initialCash: [3_000, 4_999, 5_200, 12_000][k % 4]!,
        feeRate: 0.01,
        aggressivenessRate: [0, 0.0015, 0.05][k % 3]!,
        buyRounding: (['up', 'down', 'nearest'] as const)[k % 3]!,
        sellRounding: (['down', 'up', 'nearest'] as const)[k % 3]!,
        stopLossRate: k % 5 === 0 ? 0.02 : 0,
      }
      const { st, row: plain } = plainLoop(series, signals, cfg)
      backtestMetricsInto(series, signals, compileExecConfig(cfg), 0, n, ws, row, 0)
      METRIC_NAMES.forEach((name, i) => expect(Object.is(row[i], plain[i]), `${name} case ${k}`).toBe(true))
      expect(ws.state.rejectBelowMinimum, `case ${k}`).toBe(st.rejectBelowMinimum)
      expect(ws.state.rejectZeroSize, `case ${k}`).toBe(st.rejectZeroSize)
      expect(ws.state.rejectInsufficientCash, `case ${k}`).toBe(st.rejectInsufficientCash)
      const r = runBacktest(series, signals, cfg)
      expect(r.rejected.length).toBe(st.rejectBelowMinimum + st.rejectZeroSize + st.rejectInsufficientCash)
    }
  })
})
