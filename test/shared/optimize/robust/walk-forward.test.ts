import { describe, it, expect } from 'vitest'
import { runBacktest } from '../../../../shared/backtest/run.ts'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../../../shared/metrics/types.ts'
import {
  holdout,
  holdoutWindow,
  plateauOf,
  runWindows,
  runWindowsWith,
  walkForward,
  walkForwardWindows,
} from '../../../../shared/optimize/robust/index.ts'
import { runSweep } from '../../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import { strategies } from '../../../../shared/strategies/index.ts'
import { minuteSeries } from '../helpers.ts'

const spec: SweepSpec = {
  strategyId: 'ensemble',
  baseParams: { 'price-action.window': 30 },
  grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], 'w.swing': [0, 1], threshold: [0.25, 0.5] },
  exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
  objective: 'totalReturn',
}

function mutateFrom(s: CandleSeries, from: number): CandleSeries {
  const f = (a: Float64Array): Float64Array => {
    const b = a.slice()
    for (let i = from; i < b.length; i++) b[i] = b[i]! * (i % 2 === 0 ? 1.7 : 0.6)
    return b
  }
  const open = f(s.open),
    close = f(s.close)
  const high = s.high.slice(),
    low = s.low.slice()
  for (let i = from; i < high.length; i++) {
    high[i] = Math.max(open[i]!, close[i]!) * 1.01
    low[i] = Math.min(open[i]!, close[i]!) * 0.99
  }
  return { time: s.time, open, high, low, close, volume: s.volume }
}

describe('walk-forward windows', () => {
  it('rolling and anchored windows tile the test range without overlap', () => {
    expect(walkForwardWindows(100, { trainBars: 40, testBars: 20 })).toEqual([
      { trainFrom: 0, trainTo: 40, testFrom: 40, testTo: 60 },
      { trainFrom: 20, trainTo: 60, testFrom: 60, testTo: 80 },
      { trainFrom: 40, trainTo: 80, testFrom: 80, testTo: 100 },
    ])
    const anchored = walkForwardWindows(95, { trainBars: 40, testBars: 20, anchored: true, firstBar: 5 })
    expect(anchored.map((w) => [w.trainFrom, w.trainTo, w.testFrom, w.testTo])).toEqual([
      [5, 45, 45, 65],
      [5, 65, 65, 85],
    ])
    expect(holdoutWindow(100, 0.3)).toEqual({ trainFrom: 0, trainTo: 70, testFrom: 70, testTo: 100 })
  })

  it('no leakage: bars after a train window never change its choice', () => {
    const series = minuteSeries(13, 3000)
    const o = { trainBars: 1000, testBars: 500 }
    const a = walkForward(series, spec, o)
    expect(a.windows).toHaveLength(Math.floor((series.close.length - 1000) / 500))
    expect(a.windows.length).toBeGreaterThanOrEqual(3)
    for (const [k, w] of a.windows.entries()) {
      const b = walkForward(mutateFrom(series, w.bounds.trainTo), spec, o)
      expect(b.windows[k]!.chosen?.index).toBe(w.chosen?.index)
      expect(b.windows[k]!.trainScore).toBe(w.trainScore)
    }
  })

  it('stitches out-of-sample equity: compounding window by window with the real kernel', () => {
    const series = minuteSeries(17, 2500)
    const r = walkForward(series, spec, { trainBars: 1000, testBars: 500 })
    expect(r.equity.length).toBe(Math.floor((series.close.length - 1000) / 500) * 500)
    let cash = spec.exec.initialCash
    let k = 0
    for (const w of r.windows) {
      if (w.chosen === null) continue
      const bt = runBacktest(
        series,
        strategies.ensemble!.signals(series, w.chosen.params),
        { ...w.chosen.exec, initialCash: cash },
        {
          fromBar: w.bounds.testFrom,
          toBar: w.bounds.testTo,
        },
      )
      expect(Array.from(r.equity.subarray(k, k + bt.equity.length))).toEqual(Array.from(bt.equity))
      k += bt.equity.length
      cash = bt.equity.at(-1)!
    }
    expect(r.metrics.totalReturn).toBeCloseTo(r.equity.at(-1)! / spec.exec.initialCash - 1, 12)
    const h = holdout(series, spec, 0.25)
    expect(h.windows).toHaveLength(1)
    expect(h.windows[0]!.bounds.testFrom).toBe(Math.round(series.close.length * 0.75))
  })
})

describe('plateau', () => {
  it('median of the combo and its ±1 neighbours per dimension; fragility relative to the peak', () => {
    // 3 × 3 grid of sharpe values; the centre (combo 4) is a spike.
    const sharpe = [1, 1, 1, 2, 9, 1, 1, 3, 1]
    const rows = new Float64Array(9 * METRIC_COUNT)
    sharpe.forEach((s, i) => (rows[i * METRIC_COUNT + METRIC_INDEX.sharpe] = s))
    const p = plateauOf(rows, [3, 3], 4)
    // scores: 9, up 1, down 3, left 2, right 1 → median 2
    expect(p).toEqual({ peak: 9, plateau: 2, fragility: 7 / 9, neighbours: 5 })
    const corner = plateauOf(rows, [3, 3], 0)
    expect(corner.neighbours).toBe(3)
    expect(corner.plateau).toBe(1)
    expect(corner.fragility).toBe(0)
  })
})

describe('walk-forward with stepBars and an async sweep', () => {
  it('stepBars spaces the test windows; below testBars it is refused', () => {
    expect(walkForwardWindows(100, { trainBars: 30, testBars: 10, stepBars: 25 }).map((w) => [w.trainFrom, w.testFrom, w.testTo])).toEqual([
      [0, 30, 40],
      [25, 55, 65],
      [50, 80, 90],
    ])
    expect(() => walkForwardWindows(100, { trainBars: 30, testBars: 10, stepBars: 5 })).toThrow(/stepBars/)
  })

  it('runWindowsWith (any async sweep) gives exactly runWindows', async () => {
    const series = minuteSeries(19, 2500)
    const windows = walkForwardWindows(series.close.length, { trainBars: 900, testBars: 400, stepBars: 500 })
    const sync = runWindows(series, spec, windows)
    const seen: [number | undefined, number | undefined][] = []
    const viaAsync = await runWindowsWith(series, spec, windows, async (s) => {
      seen.push([s.fromBar, s.toBar])
      const r = runSweep(series, s)
      return { plan: r.plan, rows: r.rows, distinctTrials: r.stats.simulated }
    })
    // Each train sweep trades exactly its train bars.
    expect(seen).toEqual(windows.map((w) => [w.trainFrom, w.trainTo]))
    expect(viaAsync.windows.map((w) => w.chosen?.index)).toEqual(sync.windows.map((w) => w.chosen?.index))
    expect(Array.from(viaAsync.equity)).toEqual(Array.from(sync.equity))
    expect(viaAsync.metrics).toEqual(sync.metrics)
    expect(viaAsync.equity.length).toBe(windows.length * 400)
  })
})
