// The backtest cell's pure parts and its place in the notebook: forms generated from schemas, the
// run → headline figures (equal to runBacktest's metrics, formatted by the ui.md rules, with the
// worse-than-buy-and-hold flag), the CSV/JSON exports, the chart data, and staleness under a
// data cell. The component is rendered for its form and its debounced re-run.
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runBacktest, tradeColumnsOf } from '../../../shared/backtest/index.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/index.ts'
import type { Metrics } from '../../../shared/metrics/types.ts'
import { getStrategy, resolveParams, strategyIds } from '../../../shared/strategies/index.ts'
import BacktestCell from '../../../lab/notebook/cells/backtest/BacktestCell.svelte'
import { drawdownOf } from '../../../lab/notebook/cells/backtest/compute.ts'
import {
  candleData,
  needsReplan,
  planWindow,
  rangeAround,
  tradeLevels,
  windowData,
} from '../../../lab/notebook/cells/backtest/chart-data.ts'
import { planMarks } from '../../../lab/notebook/cells/backtest/trade-marks.ts'
import { csvCell, equityCsv, metricsCsv, resultJson, TRADE_COLUMNS, tradesCsv } from '../../../lab/notebook/cells/backtest/export.ts'
import { fmtKrw, fmtPct, fmtRatio } from '../../../lab/notebook/cells/backtest/format.ts'
import {
  EXEC_SPECS,
  execFields,
  parseField,
  SIZING_SPECS,
  sizingFields,
  strategyFields,
  typedValue,
} from '../../../lab/notebook/cells/backtest/form.ts'
import { backtestKind } from '../../../lab/notebook/cells/backtest/index.ts'
import { BacktestParams, defaultBacktestParams, defaultSizing, toExecConfig } from '../../../lab/notebook/cells/backtest/params.ts'
import { backtestOn, NO_SERIES_MESSAGE, type BacktestOutput } from '../../../lab/notebook/cells/backtest/run.ts'
import { headline, tradeOrder, tradeRow } from '../../../lab/notebook/cells/backtest/view-model.ts'
import { defaultDataParams } from '../../../lab/notebook/cells/data/index.ts'
import { CELL_KINDS, kindOf } from '../../../lab/notebook/cells/registry.ts'
import type { CellRunView, SeriesValue } from '../../../lab/notebook/cells/types.ts'
import type { NotebookDoc } from '../../../lab/notebook/model/types.ts'
import { NotebookSession } from '../../../lab/notebook/state/session.svelte.ts'
import { randomWalk } from '../../helpers/series.ts'
import { fakeServices, NOW } from './fixtures.ts'
import * as v from 'valibot'

const series = randomWalk(7, 2880, 90_000_000)
const source: SeriesValue = {
  key: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' },
  fromMs: series.time[0]!,
  toMs: series.time[2879]! + 60_000,
  series,
  covered: [[series.time[0]!, series.time[2879]! + 60_000]],
}
const params = (patch: Partial<BacktestParams> = {}): BacktestParams => ({ ...defaultBacktestParams(), ...patch })
const metrics = (patch: Partial<Metrics>): Metrics => ({
  totalReturn: 0.01,
  cagr: 0,
  sharpe: 1,
  sortino: 1,
  calmar: 1,
  maxDrawdown: -0.05,
  winRate: 0.5,
  profitFactor: 1.2,
  expectancy: 0,
  trades: 10,
  exposure: 0.3,
  feesPaid: 1234.5,
  buyHoldReturn: 0.02,
  ...patch,
})

describe('backtest cell: forms from schemas', () => {
  it('one field per strategy parameter with the schema bounds, defaults and given values', () => {
    const def = getStrategy('rsi')
    const f = strategyFields(def, { period: 21 })
    expect(f.map((x) => x.key)).toEqual(def.params.map((p) => p.name))
    const period = f.find((x) => x.key === 'period')!
    expect(period).toMatchObject({ value: 21, default: 14, min: 2, max: 100, step: 1, integer: true, slider: true, scale: 1 })
    expect(f.find((x) => x.key === 'oversold')!.value).toBe(30)
    expect(strategyFields(getStrategy('trend'), {})).toEqual([])
  })

  it('parsing typed values clamps to [min, max], rounds integers, refuses NaN, undoes percent scale', () => {
    const period = strategyFields(getStrategy('rsi'), {}).find((x) => x.key === 'period')!
    expect(parseField(period, 500)).toBe(100)
    expect(parseField(period, 7.6)).toBe(8)
    expect(parseField(period, NaN)).toBeNull()
    const fee = execFields(defaultBacktestParams().exec).find((x) => x.key === 'feeRate')!
    expect(fee.scale).toBe(100)
    expect(parseField(fee, 0.07)).toBe(0.0007)
  })

  it("one schema: the form's bounds are exactly what the params accept, for every execution and sizing number", () => {
    const base = defaultBacktestParams()
    const accepts = (patch: (p: BacktestParams) => void): boolean => {
      const p = structuredClone(base)
      patch(p)
      return v.safeParse(BacktestParams, p).success
    }
    for (const [k, spec] of Object.entries(EXEC_SPECS)) {
      const set = (x: number) => (p: BacktestParams) => void ((p.exec as unknown as Record<string, number>)[k] = x)
      expect(accepts(set(spec.min)), `${k} = min`).toBe(true)
      expect(accepts(set(spec.max)), `${k} = max`).toBe(true)
      expect(accepts(set(spec.min - Math.max(1e-9, Math.abs(spec.min) * 1e-9))), `${k} < min`).toBe(false)
      expect(accepts(set(spec.max * (1 + 1e-9))), `${k} > max`).toBe(false)
    }
    const kinds = ['all-in', 'fixed-quote', 'fraction', 'kelly', 'risk'] as const
    let checked = 0
    for (const kind of kinds) {
      const sizing = defaultSizing(kind) as unknown as Record<string, number>
      for (const k of Object.keys(sizing).filter((x) => x !== 'kind')) {
        const spec = SIZING_SPECS[k as keyof typeof SIZING_SPECS]
        const set = (x: number) => (p: BacktestParams) =>
          void (p.exec.sizing = { ...sizing, [k]: x } as unknown as BacktestParams['exec']['sizing'])
        expect(accepts(set(spec.min)), `${kind}.${k} = min`).toBe(true)
        expect(accepts(set(spec.max)), `${kind}.${k} = max`).toBe(true)
        expect(accepts(set(spec.min - Math.max(1e-9, Math.abs(spec.min) * 1e-9))), `${kind}.${k} < min`).toBe(false)
        expect(accepts(set(spec.max * (1 + 1e-9))), `${kind}.${k} > max`).toBe(false)
        checked++
      }
    }
    expect(checked).toBe(Object.keys(SIZING_SPECS).length)
    expect(accepts((p) => void (p.exec.orderTtlBars = 2.5))).toBe(false)
  })

  it('a value typed so far is saved only when complete and valid: no clamping or rewriting under the typist', () => {
    const period = strategyFields(getStrategy('rsi'), {}).find((x) => x.key === 'period')!
    expect(typedValue(period, '21', 21)).toBe(21)
    // "1" on the way to "14" is under the minimum of 2: not saved (Enter or blur would clamp it).
    expect(typedValue(period, '1', 1)).toBeNull()
    expect(typedValue(period, '500', 500)).toBeNull()
    expect(typedValue(period, '7.5', 7.5)).toBeNull()
    expect(typedValue(period, '', NaN)).toBeNull()
    const fee = execFields(defaultBacktestParams().exec).find((x) => x.key === 'feeRate')!
    expect(typedValue(fee, '0.07', 0.07)).toBe(0.0007)
    // Decimals in progress read back differently: wait for more digits.
    expect(typedValue(fee, '0.', 0)).toBeNull()
    expect(typedValue(fee, '0.0', 0)).toBeNull()
    expect(typedValue(fee, '0', 0)).toBe(0)
  })

  it('execution fields follow the order type and the sizing kind; defaults come from DEFAULT_EXEC_CONFIG', () => {
    const e = defaultBacktestParams().exec
    expect(toExecConfig(e)).toEqual(DEFAULT_EXEC_CONFIG)
    const limit = execFields(e).map((f) => f.key)
    expect(limit).toContain('aggressivenessRate')
    expect(limit).toContain('orderTtlBars')
    expect(limit).not.toContain('slippageRate')
    const market = execFields({ ...e, orderType: 'market' }).map((f) => f.key)
    expect(market).toContain('slippageRate')
    expect(market).not.toContain('aggressivenessRate')
    expect(sizingFields(defaultSizing('kelly'), defaultSizing('kelly')).map((f) => f.key)).toEqual([
      'winRate',
      'payoffRatio',
      'kellyFraction',
    ])
  })

  it('the default params pass the kind schema; a bad sizing does not', () => {
    expect(v.safeParse(backtestKind.def.params, defaultBacktestParams()).success).toBe(true)
    const bad = { ...defaultBacktestParams(), exec: { ...defaultBacktestParams().exec, sizing: { kind: 'fraction', fractionRate: 2 } } }
    expect(v.safeParse(backtestKind.def.params, bad).success).toBe(false)
  })
})

describe('backtest cell: run and view model', () => {
  it('the headline figures are runBacktest metrics, for every registered strategy', () => {
    for (const id of strategyIds) {
      const o = backtestOn(source, params({ strategy: id }))
      const def = getStrategy(id)
      const direct = runBacktest(series, def.signals(series, resolveParams(def)), DEFAULT_EXEC_CONFIG)
      expect(o.result.metrics).toEqual(direct.metrics)
      const figs = headline(o.result.metrics)
      expect(figs.map((f) => f.key)).toEqual([
        'totalReturn',
        'buyHoldReturn',
        'maxDrawdown',
        'sharpe',
        'trades',
        'winRate',
        'profitFactor',
        'exposure',
        'feesPaid',
      ])
      for (const f of figs)
        expect(Object.is(f.value, direct.metrics[f.key as keyof Metrics]) || f.value === direct.metrics[f.key as keyof Metrics]).toBe(true)
      for (const f of figs) expect(f.title.length).toBeGreaterThan(10)
    }
  })

  it('fails in plain words without data above, with an unknown strategy or bad params', async () => {
    await expect(
      backtestKind.def.run({
        cellId: 'b',
        params: params(),
        inputs: {},
        signal: new AbortController().signal,
        progress: () => {},
        services: fakeServices('bt-none'),
      }),
    ).rejects.toThrow(NO_SERIES_MESSAGE)
    expect(() => backtestOn(source, params({ strategy: 'nope' }))).toThrow(/Unknown strategy 'nope'/)
    expect(() => backtestOn(source, params({ strategy: 'rsi', values: { period: 1 } }))).toThrow(/period/)
  })

  it('formats: signed percentages with two decimals, KRW separators without decimals from 100, "—" for no value', () => {
    expect(fmtPct(0.012345, true)).toBe('+1.23%')
    expect(fmtPct(-0.5, true)).toBe('−50.00%')
    expect(fmtPct(-0.00001, true)).toBe('0.00%')
    expect(fmtKrw(1234567.89)).toBe('1,234,568')
    expect(fmtKrw(-1500, true)).toBe('−1,500')
    expect(fmtKrw(12.345)).toBe('12.35')
    expect(fmtRatio(Infinity)).toBe('—')
    expect(fmtPct(NaN)).toBe('—')
  })

  it('tones and the worse-than-buy-and-hold flag (sign and arrow come with the tone)', () => {
    const worse = headline(metrics({ totalReturn: 0.01, buyHoldReturn: 0.02 }))
    expect(worse[0]).toMatchObject({ key: 'totalReturn', text: '+1.00%', tone: 'up', worseThanBuyHold: true })
    const better = headline(metrics({ totalReturn: -0.01, buyHoldReturn: -0.05, profitFactor: 0.8, sharpe: -1.234 }))
    expect(better[0]).toMatchObject({ text: '−1.00%', tone: 'down', worseThanBuyHold: false })
    expect(better.find((f) => f.key === 'profitFactor')!.tone).toBe('down')
    expect(better.find((f) => f.key === 'sharpe')!.text).toBe('−1.23')
    expect(better.find((f) => f.key === 'maxDrawdown')).toMatchObject({ text: '−5.00%', tone: 'down' })
    expect(headline(metrics({ profitFactor: Infinity })).find((f) => f.key === 'profitFactor')!.text).toBe('—')
    expect(headline(metrics({ feesPaid: 1234.5 })).find((f) => f.key === 'feesPaid')!.text).toBe('1,235 KRW')
    // A position open at the end is not a round trip: shown beside the count, not in it.
    expect(headline(metrics({ trades: 5708 }), 1).find((f) => f.key === 'trades')!.text).toBe('5,708 + 1 open')
    expect(headline(metrics({ trades: 5708 })).find((f) => f.key === 'trades')!.text).toBe('5,708')
  })

  it('the trades table order: stable by any column, NaN last; rows built for the trades shown', () => {
    const o = backtestOn(source, params())
    const n = o.result.trades.length
    expect(n).toBeGreaterThan(3)
    expect(Array.from(tradeOrder(o, 'n', 'asc'))).toEqual([...Array(n).keys()])
    expect(Array.from(tradeOrder(o, 'n', 'desc'))).toEqual([...Array(n).keys()].reverse())
    const byProfit = Array.from(tradeOrder(o, 'profitQuote', 'desc'), (i) => o.result.trades[i]!.profitQuote)
    for (let i = 1; i < byProfit.length; i++) expect(byProfit[i - 1]!).toBeGreaterThanOrEqual(byProfit[i]!)
    // Ties keep trade order.
    const byReason = Array.from(tradeOrder(o, 'exitReason', 'asc'))
    for (let i = 1; i < byReason.length; i++)
      if (o.result.trades[byReason[i]!]!.exitReason === o.result.trades[byReason[i - 1]!]!.exitReason)
        expect(byReason[i]!).toBeGreaterThan(byReason[i - 1]!)
    // NaN last in both directions (an open trade has no exit time).
    const trades = [{ ...o.result.trades[0]!, exitBar: -1, returnRate: NaN }, ...o.result.trades]
    const withOpen = { ...o, result: { ...o.result, trades, tradeColumns: tradeColumnsOf(trades) } }
    for (const dir of ['asc', 'desc'] as const) expect(tradeOrder(withOpen, 'returnRate', dir).at(-1)).toBe(0)
    expect(tradeRow(withOpen, 0)).toMatchObject({ n: 1, open: true, barsHeld: 2879 - o.result.trades[0]!.entryBar })
    expect(tradeRow(o, 1)).toMatchObject({ n: 2, open: false, barsHeld: o.result.trades[1]!.exitBar - o.result.trades[1]!.entryBar })
  })

  it('two days of 1m bars run well under 50 ms in the main thread', () => {
    backtestOn(source, params())
    const o = backtestOn(source, params())
    expect(o.elapsedMs).toBeLessThan(50)
  })
})

describe("backtest cell: the selected trade's levels", () => {
  it('the trailing stop drawn for a trade is the level the engine sold it at', () => {
    const exec = { ...defaultBacktestParams().exec, orderType: 'market' as const, trailingStopRate: 0.002, stopLossRate: 0.01 }
    const o = backtestOn(source, params({ exec }))
    const trailed = o.result.trades.flatMap((t, i) => (t.exitReason === 'trailing-stop' ? [i] : []))
    expect(trailed.length).toBeGreaterThan(3)
    let atLevel = 0
    for (const i of trailed) {
      const lv = tradeLevels(o, i)
      const trail = lv.find((l) => l.label === 'trail at exit')!
      const t = o.result.trades[i]!
      // Sold at the level when the bar reached it, at the open when it opened below it.
      expect(t.exitPrice).toBeLessThanOrEqual(trail.price)
      if (t.exitPrice === trail.price) atLevel++
      else expect(t.exitPrice).toBe(o.source.series.open[t.exitBar])
      expect(lv.find((l) => l.label === 'stop')!.price).toBe(t.entryPrice * (1 - 0.01))
    }
    expect(atLevel).toBeGreaterThan(0)
    expect(tradeLevels(o, -1)).toEqual([])
    expect(tradeLevels(o, o.result.trades.length)).toEqual([])
  })
})

describe('backtest cell: exports and chart data', () => {
  const o: BacktestOutput = backtestOn(source, params())

  it('trades CSV has a header, ISO UTC times, plain numbers and parses back; never bare NaN/Infinity', () => {
    const text = tradesCsv(o)
    const [head, ...lines] = text.trimEnd().split('\n')
    expect(head).toBe(TRADE_COLUMNS.join(','))
    expect(lines).toHaveLength(o.result.trades.length)
    const cells = lines.map((l) => l.split(','))
    for (const row of cells) expect(row).toHaveLength(TRADE_COLUMNS.length)
    const t0 = o.result.trades[0]!
    expect(cells[0]![1]).toBe(new Date(t0.entryTimeMs).toISOString())
    expect(Number(cells[0]![2])).toBe(t0.entryPrice)
    expect(Number(cells[0]![8])).toBe(t0.profitQuote)
    expect(text).not.toMatch(/NaN|Infinity/)
    for (const csv of [equityCsv(o), metricsCsv(o)]) expect(csv).not.toMatch(/NaN|Infinity/)
  })

  it('an open trade leaves its exit cells empty; text with commas or quotes is quoted', () => {
    expect(csvCell(NaN)).toBe('')
    expect(csvCell(-Infinity)).toBe('')
    expect(csvCell('a,"b"')).toBe('"a,""b"""')
    const open = {
      ...o,
      result: {
        ...o.result,
        trades: [{ ...o.result.trades[0]!, exitBar: -1, exitTimeMs: NaN, exitPrice: NaN, exitReason: 'open' as const }],
      },
    }
    const row = tradesCsv(open).trimEnd().split('\n')[1]!.split(',')
    expect(row[3]).toBe('')
    expect(row[4]).toBe('')
  })

  it('the JSON has what reproduces the run: strategy, params, config, engine version, data range', () => {
    const j = JSON.parse(resultJson(o)) as Record<string, unknown> & { metrics: Record<string, unknown>; trades: unknown[] }
    expect(j).toMatchObject({ format: 'upbit-lab-backtest', version: 1, strategy: { id: 'ensemble' }, config: DEFAULT_EXEC_CONFIG })
    expect(typeof j.engineVersion).toBe('number')
    expect(j.data).toMatchObject({ venue: 'sim', market: 'KRW-BTC', timeframe: '1m', bars: 2880 })
    expect(j.metrics.totalReturn).toBe(o.result.metrics.totalReturn)
    expect(j.trades).toHaveLength(o.result.trades.length)
  })

  it('chart data: a candle per bar; the results chart a window of buckets that keeps every bar and the deepest drawdown', () => {
    const c = candleData(o)
    expect(c).toHaveLength(2880)
    const eq = o.result.equity
    const t = o.source.series.time
    const dd = drawdownOf(eq)
    expect(Math.min(...dd)).toBeCloseTo(o.result.metrics.maxDrawdown, 12)
    expect(Math.max(...dd)).toBeLessThanOrEqual(0)
    // Zoomed out over everything: buckets of 2 bars, all bars covered.
    const all = planWindow(2880, 0, 2879)
    expect(all).toEqual({ first: 0, step: 2, count: 1440 })
    const w = windowData(o, all)
    expect(w.equity).toHaveLength(1440)
    for (let j = 0; j < 1440; j++) {
      expect(w.equity[j]!.time).toBe(t[2 * j]! / 1000)
      expect(w.equity[j]!.value).toBe(eq[2 * j + 1])
      expect(w.drawdown[j]!.value).toBe(Math.min(dd[2 * j]!, dd[2 * j + 1]!) * 100)
    }
    expect(Math.min(...w.drawdown.map((p) => p.value)) / 100).toBeCloseTo(o.result.metrics.maxDrawdown, 12)
    expect(w.buyHold.at(-1)!.value).toBeCloseTo((o.config.initialCash * o.source.series.close[2879]!) / o.source.series.close[0]!, 6)
    // Zoomed in on 100 bars: every bar, the visible range and as much again on each side.
    const zoom = planWindow(2880, 1000, 1100)
    expect(zoom).toEqual({ first: 900, step: 1, count: 301 })
    const zw = windowData(o, zoom)
    expect(zw.equity[100]!.value).toBe(eq[1000])
    // A window that starts later takes the peak of the bars before it: the same drawdown per bar.
    for (let j = 0; j < zoom.count; j++) expect(zw.drawdown[j]!.value).toBe(dd[900 + j]! * 100)
    expect(needsReplan(zoom, 2880, 1020, 1120)).toBe(false)
    expect(needsReplan(zoom, 2880, 1150, 1250)).toBe(true)
    expect(needsReplan(zoom, 2880, 900, 1200)).toBe(false)
    expect(needsReplan(zoom, 2880, 0, 2879)).toBe(true)
    expect(needsReplan(all, 2880, 0, 2879)).toBe(false)
    // A plan at the end of the data stays valid when the view runs past the last bar.
    const end = planWindow(2880, 2800, 2900)
    expect(end.first + end.count * end.step - 1).toBeGreaterThanOrEqual(2879)
    expect(needsReplan(end, 2880, 2820, 2920)).toBe(false)
    // Trade markers over all bars: every entry and exit represented, the selected trade's labelled.
    const m = planMarks(o.result.tradeColumns, o.source.series, 0, 2879, 1000, 0)
    const closed = o.result.trades.filter((t) => t.exitBar >= 0).length
    expect(m.events).toBe(o.result.trades.length + closed)
    expect(m.marks.reduce((s, x) => s + x.count, 0)).toBe(m.events)
    expect(m.marks.filter((x) => x.selected)).toHaveLength(o.result.trades[0]!.exitBar >= 0 ? 2 : 1)
    const r = rangeAround(o, 0)!
    expect(r.from).toBeLessThanOrEqual(o.result.trades[0]!.entryBar)
    expect(r.from).toBeGreaterThanOrEqual(0)
    expect(r.to).toBeGreaterThan(o.result.trades[0]!.exitBar)
  })
})

describe('backtest cell in the notebook', () => {
  it('is registered; below a data cell it runs on its series and turns stale when the data cell re-runs', async () => {
    expect(CELL_KINDS.map((k) => k.def.kind)).toContain('backtest')
    expect(kindOf('backtest')).toBe(backtestKind)
    const dataParams = { ...defaultDataParams(), range: { mode: 'last' as const, days: 1 } }
    const cells = [
      { id: 'd', kind: 'data', title: '', collapsed: false, params: dataParams },
      { id: 'b', kind: 'backtest', title: '', collapsed: false, params: defaultBacktestParams() },
    ]
    const doc: NotebookDoc = { id: 'nb', title: 't', createdMs: NOW, updatedMs: NOW, cells }
    const s = new NotebookSession(doc, { services: fakeServices('bt-session'), onChange: () => {}, now: () => NOW })
    await s.runAll()
    expect(s.runOf('b').status).toBe('done')
    const out = s.runOf('b').output as BacktestOutput
    expect(out.source.series.time.length).toBe(1440)
    expect(s.freshness.get('b')!.state).toBe('fresh')
    await s.run('d')
    expect(s.freshness.get('b')).toMatchObject({ state: 'stale', reason: 'the data above changed' })
    s.setParams('b', { ...defaultBacktestParams(), strategy: 'rsi' })
    await s.run('b')
    expect(s.freshness.get('b')!.state).toBe('fresh')
  })

  it('without a data cell above it fails with the "add or run a data cell above" message', async () => {
    const doc: NotebookDoc = {
      id: 'nb',
      title: 't',
      createdMs: NOW,
      updatedMs: NOW,
      cells: [{ id: 'b', kind: 'backtest', title: '', collapsed: false, params: defaultBacktestParams() }],
    }
    const s = new NotebookSession(doc, { services: fakeServices('bt-alone'), onChange: () => {}, now: () => NOW })
    await s.run('b')
    expect(s.runOf('b').error?.message).toBe(NO_SERIES_MESSAGE)
  })
})

describe('BacktestCell component', () => {
  afterEach(() => vi.useRealTimers())
  const idle: CellRunView<BacktestOutput> = { status: 'idle', progress: null, output: undefined, error: null, rev: 0 }
  const cellOf = (p: BacktestParams) => ({ id: 'b1', kind: 'backtest', title: '', collapsed: false, params: p })

  it('renders a field per parameter of the chosen strategy and the empty state', () => {
    render(BacktestCell, {
      props: {
        cell: cellOf(params({ strategy: 'rsi' })),
        run: idle,
        services: fakeServices('bt-c1'),
        setParams: () => {},
        setUi: () => {},
        requestRun: () => {},
        cancelRun: () => {},
      },
    })
    for (const p of getStrategy('rsi').params) expect(screen.getByTestId(`bt-param-${p.name}`)).toBeTruthy()
    expect(screen.getByTestId('bt-state').textContent).toMatch(/add or run a data cell above/)
  })

  it('a change sets the params; after a first run every change re-runs at once (no debounce: the worker keeps the latest)', async () => {
    const setParams = vi.fn()
    const requestRun = vi.fn()
    const ran: CellRunView<BacktestOutput> = { ...idle, status: 'error', error: { message: 'x' } }
    const props = {
      cell: cellOf(params({ strategy: 'rsi' })),
      run: ran,
      services: fakeServices('bt-c2'),
      setParams,
      setUi: () => {},
      requestRun,
      cancelRun: () => {},
    }
    const r = render(BacktestCell, { props })
    await fireEvent.input(screen.getByTestId('bt-slider-period'), { target: { value: '20' } })
    expect(setParams).toHaveBeenLastCalledWith(expect.objectContaining({ strategy: 'rsi', values: { period: 20 } }))
    expect(requestRun).not.toHaveBeenCalled()
    await r.rerender({ ...props, cell: cellOf(params({ strategy: 'rsi', values: { period: 20 } })) })
    expect(requestRun).toHaveBeenCalledTimes(1)
    await r.rerender({ ...props, cell: cellOf(params({ strategy: 'rsi', values: { period: 21 } })) })
    expect(requestRun).toHaveBeenCalledTimes(2)
    // A cell that never ran does not start by itself.
    const fresh = render(BacktestCell, { props: { ...props, run: idle, requestRun: vi.fn() } })
    await fresh.rerender({ ...props, run: idle, cell: cellOf(params({ strategy: 'rsi', values: { period: 30 } })) })
    expect(requestRun).toHaveBeenCalledTimes(2)
  })

  it('shows the result with its look-ahead badge; tabs, sort and a clicked trade go to the view settings', async () => {
    const o = backtestOn(source, params())
    const done: CellRunView<BacktestOutput> = { status: 'done', progress: null, output: o, error: null, rev: 1 }
    const setUi = vi.fn()
    const props = {
      cell: cellOf(params()),
      run: done,
      services: fakeServices('bt-c3'),
      setParams: () => {},
      setUi,
      requestRun: () => {},
      cancelRun: () => {},
    }
    const r = render(BacktestCell, { props })
    o.lookahead.state = { kind: 'passed', cuts: [0, 1, 2, 100], skipped: 0, elapsedMs: 3 }
    await waitFor(() => expect(screen.getByTestId('bt-lookahead').textContent).toMatch(/no look-ahead found at 4 cut points/))
    // Only the rows in and near view are rendered.
    expect(o.result.trades.length).toBeGreaterThan(40)
    expect(screen.getAllByTestId('bt-trade-row').length).toBe(17)
    await fireEvent.click(screen.getAllByTestId('bt-trade-row')[1]!)
    expect(setUi).toHaveBeenLastCalledWith({ selected: 1 })
    await fireEvent.click(screen.getByRole('button', { name: 'Profit KRW' }))
    expect(setUi).toHaveBeenLastCalledWith({ sortKey: 'profitQuote', sortDir: 'desc' })
    await fireEvent.click(screen.getByTestId('bt-tab-lookahead'))
    expect(setUi).toHaveBeenLastCalledWith({ tab: 'lookahead' })
    await fireEvent.click(screen.getByTestId('bt-lookahead'))
    expect(setUi).toHaveBeenLastCalledWith({ tab: 'lookahead' })
    // The view settings drive what is shown: the look-ahead tab with a failure in words.
    await r.rerender({ ...props, cell: { ...cellOf(params()), ui: { tab: 'lookahead', selected: 1 } } })
    o.lookahead.state = {
      kind: 'found',
      found: { kind: 'lookahead', cutAt: 50, bar: 42, barTimeMs: series.time[42]!, fullValue: 1, cutValue: -1, passedCuts: 3 },
      elapsedMs: 2,
    }
    await waitFor(() =>
      expect(screen.getByTestId('bt-lookahead-detail').textContent).toMatch(/bar 42 .* is \+1 \(long\) with all bars but −1 \(flat\)/),
    )
    expect(screen.getByTestId('bt-lookahead').textContent).toMatch(/look-ahead at bar 42: \+1 \(long\) vs −1 \(flat\)/)
  })
})
