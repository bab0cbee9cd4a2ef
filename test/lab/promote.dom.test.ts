// Promote (issue 14 item 4): the checklist's levels from the figures (sweep evidence, trades,
// look-ahead, data range and venue, a user strategy's audits), the body sent to edge (exactly
// edge's shape: the 13 exec fields, null for a missing metric, the checklist and the typed
// confirmation), the dialog (nothing is sent until the market is typed when an item is amber or
// red) and the promotions list (version, short hash, diff to the previous version of the lineage).
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Metrics } from '../../shared/metrics/types.ts'
import { METRIC_NAMES } from '../../shared/metrics/types.ts'
import { defaultBacktestParams, type BacktestOrigin, type BacktestParams } from '../../lab/notebook/cells/backtest/params.ts'
import { backtestOn, type BacktestOutput } from '../../lab/notebook/cells/backtest/run.ts'
import type { SeriesValue } from '../../lab/notebook/cells/types.ts'
import type { Promotion, PromotionsApi } from '../../lab/promote/api.ts'
import { setPromotionsApi } from '../../lab/promote/api.ts'
import { dataFacts, defaultRisk, promotionBody, riskProblem, type PromotionBody } from '../../lab/promote/body.ts'
import { buildChecklist, confirmed, flagged, levelCounts, type ChecklistFacts, type Level } from '../../lab/promote/checklist.ts'
import PromoteDialog from '../../lab/promote/PromoteDialog.svelte'
import { changeText, PromotionsList, rowOf } from '../../lab/promote/promotions.svelte.ts'
import PromotionsListView from '../../lab/promote/PromotionsList.svelte'
import { memorySourceStore, setUserStrategyLibrary, UserStrategyLibrary } from '../../lab/strategies/index.ts'
import { randomWalk } from '../helpers/series.ts'

afterEach(() => {
  setPromotionsApi(null)
  setUserStrategyLibrary(null)
})

const DAY = 86_400_000
const metrics = (patch: Partial<Metrics> = {}): Metrics => ({
  totalReturn: 0.12,
  cagr: 0.5,
  sharpe: 1.4,
  sortino: 2,
  calmar: 1,
  maxDrawdown: -0.08,
  winRate: 0.55,
  profitFactor: 1.6,
  expectancy: 100,
  trades: 64,
  exposure: 0.4,
  feesPaid: 1234,
  buyHoldReturn: 0.05,
  ...patch,
})
const origin = (patch: Partial<BacktestOrigin> = {}): BacktestOrigin => ({
  kind: 'sweep',
  cellId: 'opt',
  sweepLabel: 'rsi · 1,200 combos · 90 days',
  rank: 1,
  combos: 1200,
  objective: 'sharpe',
  score: 1.4,
  oosReturn: 0.04,
  oosSharpe: 1.1,
  deflatedSharpe: 1.2,
  dsrProbability: 0.97,
  pbo: 0.1,
  plateau: 1.3,
  verdict: 'robust',
  ...patch,
})
const facts = (patch: Partial<ChecklistFacts> = {}): ChecklistFacts => ({
  origin: origin(),
  metrics: metrics(),
  lookahead: { kind: 'passed', cuts: Array.from({ length: 20 }, (_, i) => i), skipped: 0, elapsedMs: 3 },
  data: { venue: 'upbit', market: 'KRW-BTC', timeframe: '15m', fromMs: 0, toMs: 90 * DAY, bars: 8640, coveredShare: 1 },
  audits: null,
  ...patch,
})
const levels = (f: ChecklistFacts): Record<string, Level> => Object.fromEntries(buildChecklist(f).map((i) => [i.id, i.level]))

describe('promote checklist: levels from the figures', () => {
  it('all green for a robust sweep result on 90 days of Upbit data', () => {
    const items = buildChecklist(facts())
    expect(items.map((i) => i.id)).toEqual(['result', 'oos', 'dsr', 'pbo', 'trades', 'lookahead', 'data'])
    expect(items.every((i) => i.level === 'green')).toBe(true)
    expect(items.find((i) => i.id === 'oos')!.detail).toBe('+4.00% out of sample, Sharpe 1.10')
    expect(items.find((i) => i.id === 'dsr')!.detail).toMatch(/= 0\.97.*survives/)
    expect(confirmed(items, '', 'KRW-BTC')).toBe(true)
  })

  it('no sweep evidence: out-of-sample, deflated Sharpe and PBO are amber and say why', () => {
    const items = buildChecklist(facts({ origin: null }))
    for (const id of ['oos', 'dsr', 'pbo']) {
      const it = items.find((i) => i.id === id)!
      expect(it.level).toBe('amber')
      expect(it.detail).toMatch(/^no sweep evidence/)
    }
  })

  it('each figure moves its item between green, amber and red', () => {
    expect(levels(facts({ origin: origin({ oosReturn: -0.01 }) })).oos).toBe('red')
    expect(levels(facts({ origin: origin({ oosSharpe: 0.2 }) })).oos).toBe('amber')
    expect(levels(facts({ origin: origin({ oosReturn: null, oosSharpe: null }) })).oos).toBe('amber')
    expect(levels(facts({ origin: origin({ dsrProbability: 0.7 }) })).dsr).toBe('amber')
    expect(levels(facts({ origin: origin({ dsrProbability: 0.3 }) })).dsr).toBe('red')
    expect(levels(facts({ origin: origin({ dsrProbability: null }) })).dsr).toBe('amber')
    expect(levels(facts({ origin: origin({ pbo: 0.3 }) })).pbo).toBe('amber')
    expect(levels(facts({ origin: origin({ pbo: 0.55 }) })).pbo).toBe('red')
    expect(levels(facts({ metrics: metrics({ trades: 9 }) })).trades).toBe('red')
    expect(levels(facts({ metrics: metrics({ trades: 29 }) })).trades).toBe('amber')
    expect(levels(facts({ metrics: metrics({ trades: 30 }) })).trades).toBe('green')
    expect(levels(facts({ metrics: metrics({ totalReturn: -0.02 }) })).result).toBe('red')
    expect(levels(facts({ metrics: metrics({ totalReturn: 0.02, buyHoldReturn: 0.05 }) })).result).toBe('amber')
    expect(levels(facts({ metrics: metrics({ totalReturn: Number.NaN }) })).result).toBe('red')
    expect(levels(facts({ lookahead: { kind: 'checking' } })).lookahead).toBe('amber')
    const found = buildChecklist(
      facts({
        lookahead: {
          kind: 'found',
          found: { kind: 'lookahead', cutAt: 500, bar: 480, barTimeMs: Date.UTC(2024, 6, 1, 8), fullValue: 1, cutValue: 0, passedCuts: 3 },
          elapsedMs: 4,
        },
      }),
    ).find((i) => i.id === 'lookahead')!
    expect(found.level).toBe('red')
    expect(found.detail).toBe('looks ahead: bar 480 (2024-07-01 08:00 UTC) is +1 with all bars but 0 with the bars after 500 removed')
  })

  it('data range and venue: the sim venue and a short range are amber; too few bars or a mostly missing range are red', () => {
    const sim = buildChecklist(
      facts({ data: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m', fromMs: 0, toMs: 2 * DAY, bars: 2880, coveredShare: 1 } }),
    )
    const d = sim.find((i) => i.id === 'data')!
    expect(d.level).toBe('amber')
    expect(d.detail).toBe(
      "sim KRW-BTC 1m, 1970-01-01 00:00 → 1970-01-03 00:00 UTC, 2,880 bars (2.0 days), 100% of the range stored: the sim venue's prices, not Upbit's; under 30 days: one market regime at most",
    )
    expect(levels(facts({ data: { ...facts().data, bars: 150 } })).data).toBe('red')
    expect(levels(facts({ data: { ...facts().data, coveredShare: 0.4 } })).data).toBe('red')
    expect(levels(facts({ data: { ...facts().data, coveredShare: 0.9 } })).data).toBe('amber')
  })

  it('a user strategy adds its audits: none here is amber, a look-ahead failure red (a reason is needed), others red (edge refuses)', () => {
    const audit = (fail: string | null) => ({
      ok: fail === null,
      results: ['shape', 'determinism', 'warmup', 'lookahead', 'speed'].map((name) => ({
        name,
        ok: name !== fail,
        detail: `${name} detail`,
      })),
      bars: 2977,
      synthetic: true,
      atMs: 0,
    })
    expect(buildChecklist(facts({ audits: undefined })).at(-1)).toMatchObject({ id: 'audits', level: 'amber' })
    expect(buildChecklist(facts({ audits: audit(null) })).at(-1)).toMatchObject({ id: 'audits', level: 'green' })
    expect(buildChecklist(facts({ audits: audit('lookahead') })).at(-1)!.detail).toMatch(/only with a reason/)
    expect(buildChecklist(facts({ audits: audit('determinism') })).at(-1)).toMatchObject({
      level: 'red',
      detail: expect.stringMatching(/refuses/),
    })
  })

  it('amber or red items need the exact market name typed', () => {
    const items = buildChecklist(facts({ origin: null }))
    expect(flagged(items).map((i) => i.id)).toEqual(['oos', 'dsr', 'pbo'])
    expect(levelCounts(items)).toEqual({ green: 4, amber: 3, red: 0 })
    expect(confirmed(items, '', 'KRW-BTC')).toBe(false)
    expect(confirmed(items, 'krw-btc', 'KRW-BTC')).toBe(false)
    expect(confirmed(items, ' KRW-BTC ', 'KRW-BTC')).toBe(true)
  })
})

const series = randomWalk(3, 2880, 90_000_000)
const source: SeriesValue = {
  key: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' },
  fromMs: series.time[0]!,
  toMs: series.time[2879]! + 60_000,
  series,
  covered: [[series.time[0]!, series.time[2879]! + 60_000]],
}
const rsiParams: BacktestParams = { ...defaultBacktestParams(), strategy: 'rsi', values: { period: 9 } }
function result(): BacktestOutput {
  const out = backtestOn(source, rsiParams)
  out.lookahead.state = { kind: 'passed', cuts: [1, 2, 3], skipped: 0, elapsedMs: 1 }
  return out
}

describe('promotion body', () => {
  it("is edge's shape: resolved params, the 13 exec fields, the range, null for missing metrics, the checklist", () => {
    const out = result()
    const items = buildChecklist({
      ...facts(),
      origin: null,
      data: dataFacts(out),
      metrics: out.result.metrics,
      lookahead: out.lookahead.state,
    })
    const body = promotionBody({ out, risk: defaultRisk(out.config), items, confirmation: ' KRW-BTC' })
    expect(body.strategy).toEqual({ id: 'rsi', version: out.strategy.version })
    expect(body.params).toEqual(out.params)
    expect(body.params.period).toBe(9)
    expect(body).toMatchObject({ market: 'KRW-BTC', timeframe: '1m' })
    expect(Object.keys(body.exec).sort()).toEqual(
      [
        'initialCash',
        'feeRate',
        'slippageRate',
        'orderType',
        'aggressivenessRate',
        'buyRounding',
        'sellRounding',
        'orderTtlBars',
        'sizing',
        'stopLossRate',
        'takeProfitRate',
        'trailingStopRate',
        'minOrderQuote',
      ].sort(),
    )
    expect(body.risk).toEqual({ maxPositionQuote: 1_000_000, dailyLossLimitRate: 0.03, maxDrawdownRate: 0.1 })
    expect(body.backtest.range).toEqual({ source: 'sim', fromMs: series.time[0], toMs: series.time[2879]! + 60_000, bars: 2880 })
    expect(Object.keys(body.backtest.metrics)).toEqual([...METRIC_NAMES])
    expect(body.checklist.confirmation).toBe('KRW-BTC')
    expect(body.checklist.items.map((i) => i.id)).toEqual(items.map((i) => i.id))
    // Infinite or NaN metrics travel as null; an all-green checklist carries no confirmation.
    const inf = { ...out, result: { ...out.result, metrics: { ...out.result.metrics, profitFactor: Infinity, sharpe: Number.NaN } } }
    const green = buildChecklist(facts())
    const b2 = promotionBody({ out: inf, risk: defaultRisk(out.config), items: green, confirmation: 'whatever' })
    expect(b2.backtest.metrics.profitFactor).toBeNull()
    expect(b2.backtest.metrics.sharpe).toBeNull()
    expect(b2.checklist.confirmation).toBeNull()
    // A user strategy goes with its source and, when given, the look-ahead reason.
    const u = promotionBody({
      out,
      risk: defaultRisk(out.config),
      items,
      confirmation: 'KRW-BTC',
      user: { source: 'src', lookaheadReason: ' ok because ' },
    })
    expect(u.strategy).toMatchObject({ source: 'src', lookaheadOverride: { reason: 'ok because' } })
  })

  it('risk limits are checked before sending', () => {
    const out = result()
    expect(riskProblem(defaultRisk(out.config), out.config)).toBeNull()
    expect(riskProblem({ ...defaultRisk(out.config), maxPositionQuote: 4000 }, out.config)).toMatch(/at least the minimum order, 5,000 KRW/)
    expect(riskProblem({ ...defaultRisk(out.config), dailyLossLimitRate: 0 }, out.config)).toMatch(/daily loss limit/)
    expect(riskProblem({ ...defaultRisk(out.config), maxDrawdownRate: 1.5 }, out.config)).toMatch(/drawdown limit/)
  })
})

/** Promotions as edge would answer, with the diffs it would compute. */
function fakeApi(): PromotionsApi & { sent: PromotionBody[]; diffs: [number, number][]; store: Promotion[] } {
  const store: Promotion[] = []
  const sent: PromotionBody[] = []
  const diffs: [number, number][] = []
  return {
    store,
    sent,
    diffs,
    list: async () => [...store].reverse(),
    promote: async (body) => {
      sent.push(body)
      const version = store.filter((p) => p.strategy.id === body.strategy.id && p.market === body.market).length + 1
      const p: Promotion = {
        id: store.length + 1,
        version,
        strategy: { id: body.strategy.id, version: body.strategy.version },
        market: body.market,
        timeframe: body.timeframe,
        hash: (store.length + 1).toString(16).padStart(64, 'a'),
        createdAtMs: Date.UTC(2024, 6, 3, 12, store.length),
        retired: false,
        retiredAtMs: null,
        config: { strategy: body.strategy, params: body.params, risk: body.risk, backtest: body.backtest, checklist: body.checklist },
      }
      store.push(p)
      return { promotion: p, created: true }
    },
    diff: async (from, to) => {
      diffs.push([from, to])
      const a = store.find((p) => p.id === from)!
      const b = store.find((p) => p.id === to)!
      return {
        from,
        to,
        changes: Object.keys(b.config.params)
          .filter((k) => a.config.params[k] !== b.config.params[k])
          .map((k) => ({ path: `params.${k}`, before: a.config.params[k], after: b.config.params[k] })),
      }
    },
  }
}

describe('promote dialog', () => {
  it('shows the checklist, sends nothing until the market is typed, then promotes with the checklist and lists it', async () => {
    const api = fakeApi()
    setPromotionsApi(api)
    setUserStrategyLibrary(new UserStrategyLibrary(async () => memorySourceStore()))
    const onclose = vi.fn()
    render(PromoteDialog, { props: { out: result(), params: rsiParams, onclose } })
    const items = screen.getAllByTestId('checklist-item')
    expect(items.map((e) => e.getAttribute('data-id'))).toEqual(['result', 'oos', 'dsr', 'pbo', 'trades', 'lookahead', 'data'])
    expect(items.find((e) => e.getAttribute('data-id') === 'data')!.getAttribute('data-level')).toBe('amber')
    expect(items.find((e) => e.getAttribute('data-id') === 'oos')!.textContent).toMatch(/no sweep evidence/)
    const send = screen.getByTestId('promote-send') as HTMLButtonElement
    expect(send.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('promote-confirm'), { target: { value: 'KRW-ETH' } })
    expect(send.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('promote-confirm'), { target: { value: 'KRW-BTC' } })
    await fireEvent.input(screen.getByTestId('risk-max-position'), { target: { value: '300000' } })
    await fireEvent.input(screen.getByTestId('risk-daily-loss'), { target: { value: '2' } })
    expect(send.disabled).toBe(false)
    await fireEvent.click(send)
    await waitFor(() => expect(screen.getByTestId('promote-done')).toBeTruthy())
    expect(api.sent).toHaveLength(1)
    expect(api.sent[0]!.risk).toEqual({ maxPositionQuote: 300_000, dailyLossLimitRate: 0.02, maxDrawdownRate: 0.1 })
    expect(api.sent[0]!.checklist.confirmation).toBe('KRW-BTC')
    expect(api.sent[0]!.checklist.items.find((i) => i.id === 'data')!.level).toBe('amber')
    await waitFor(() => expect(screen.getAllByTestId('promotion-row')).toHaveLength(1))
    expect(screen.getByTestId('diff-first')).toBeTruthy()
  })

  it('a user strategy that looks ahead is sent with its source only after a reason is given', async () => {
    const api = fakeApi()
    setPromotionsApi(api)
    const lib = new UserStrategyLibrary(async () => memorySourceStore())
    setUserStrategyLibrary(lib)
    const hash = 'c'.repeat(64)
    const meta = { id: 'user.peeks', version: 1, name: 'Peeks', description: '', params: [] }
    await lib.save('export default {}', hash, meta, 0)
    await lib.setAudit(hash, {
      ok: false,
      results: [
        { name: 'shape', ok: true, detail: 'ok' },
        { name: 'lookahead', ok: false, detail: 'looks ahead: with the bars after 9 removed, bar 9 gives 0 instead of 1' },
      ],
      bars: 2977,
      synthetic: true,
      atMs: 0,
    })
    const base = result()
    const out: BacktestOutput = { ...base, strategy: { id: 'user.peeks', version: 1, name: 'Peeks', description: '', sourceHash: hash } }
    render(PromoteDialog, {
      props: { out, params: { ...rsiParams, strategy: 'user.peeks', user: { hash, version: 1 } }, onclose: () => {} },
    })
    const audits = screen.getAllByTestId('checklist-item').find((e) => e.getAttribute('data-id') === 'audits')!
    expect(audits.getAttribute('data-level')).toBe('red')
    await fireEvent.input(screen.getByTestId('promote-confirm'), { target: { value: 'KRW-BTC' } })
    const send = screen.getByTestId('promote-send') as HTMLButtonElement
    expect(send.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('lookahead-reason'), { target: { value: 'the rule is only ever run at the close' } })
    expect(send.disabled).toBe(false)
    await fireEvent.click(send)
    await waitFor(() => expect(api.sent).toHaveLength(1))
    expect(api.sent[0]!.strategy).toEqual({
      id: 'user.peeks',
      version: 1,
      source: 'export default {}',
      lookaheadOverride: { reason: 'the rule is only ever run at the close' },
    })
  })

  it('a refusal from edge is shown and nothing is marked promoted', async () => {
    const api = fakeApi()
    api.promote = async () => {
      throw new Error('risk.maxPositionQuote: too small')
    }
    setPromotionsApi(api)
    setUserStrategyLibrary(new UserStrategyLibrary(async () => memorySourceStore()))
    render(PromoteDialog, { props: { out: result(), params: rsiParams, onclose: () => {} } })
    await fireEvent.input(screen.getByTestId('promote-confirm'), { target: { value: 'KRW-BTC' } })
    await fireEvent.click(screen.getByTestId('promote-send'))
    await waitFor(() => expect(screen.getByTestId('promote-error').textContent).toMatch(/risk\.maxPositionQuote/))
    expect(screen.queryByTestId('promote-done')).toBeNull()
  })
})

describe('promotions list', () => {
  it('lists version, short hash, strategy and market, and diffs each version with the previous one of its lineage', async () => {
    const api = fakeApi()
    const out = result()
    const items = buildChecklist(facts())
    const body = (period: number, market = 'KRW-BTC'): PromotionBody => ({
      ...promotionBody({ out, risk: defaultRisk(out.config), items, confirmation: '' }),
      params: { ...out.params, period },
      market,
    })
    await api.promote(body(9))
    await api.promote(body(9, 'KRW-ETH'))
    await api.promote(body(21))
    const list = new PromotionsList(api)
    await list.refresh()
    expect(list.items.map((p) => [p.id, p.market, p.version])).toEqual([
      [3, 'KRW-BTC', 2],
      [2, 'KRW-ETH', 1],
      [1, 'KRW-BTC', 1],
    ])
    expect(rowOf(list.items[0]!)).toMatchObject({
      strategy: 'rsi',
      lineageVersion: 2,
      hashShort: list.items[0]!.hash.slice(0, 8),
      retired: null,
    })
    await list.loadDiff(list.items[0]!)
    expect(api.diffs).toEqual([[1, 3]])
    expect(list.diffs[3]).toMatchObject({ kind: 'ready', diff: { changes: [{ path: 'params.period', before: 9, after: 21 }] } })
    await list.loadDiff(list.items[1]!)
    expect(list.diffs[2]).toEqual({ kind: 'first' })
    expect(changeText(0.5, true)).toBe('0.5')
    expect(changeText(undefined, false)).toBe('—')
    expect(changeText({ kind: 'all-in' }, true)).toBe('{"kind":"all-in"}')

    // On screen.
    const fresh = new PromotionsList(api)
    await fresh.refresh()
    render(PromotionsListView, { props: { list: fresh } })
    const rows = screen.getAllByTestId('promotion-row')
    expect(rows.map((r) => r.getAttribute('data-id'))).toEqual(['3', '2', '1'])
    expect(screen.getAllByTestId('promotion-version').map((e) => e.textContent)).toEqual(['v2', 'v1', 'v1'])
    expect(screen.getAllByTestId('promotion-hash')[0]!.textContent).toBe(fresh.items[0]!.hash.slice(0, 8))
    await fireEvent.click(screen.getAllByTestId('promotion-open')[0]!)
    await waitFor(() => expect(screen.getAllByTestId('diff-change')).toHaveLength(1))
    const change = screen.getAllByTestId('diff-change')[0]!
    expect(change.getAttribute('data-path')).toBe('params.period')
    expect(change.textContent).toMatch(/9.*21/)
  })

  it('says so when there are none, and when edge cannot be reached', async () => {
    const api = fakeApi()
    const empty = new PromotionsList(api)
    await empty.refresh()
    render(PromotionsListView, { props: { list: empty } })
    expect(screen.getByTestId('promotions-empty').textContent).toMatch(/No promotions yet/)
    const down = new PromotionsList({ ...api, list: async () => Promise.reject(new TypeError('fetch failed')) })
    await down.refresh()
    expect(down.status).toBe('error')
    expect(down.error).toMatch(/cannot be reached/)
  })
})
