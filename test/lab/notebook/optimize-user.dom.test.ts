// User strategies in the optimize cell: the picker lists them beside the built-ins and the grid
// rows come from the strategy's schema; the cell names the version by its source hash (a missing
// source is said in words, on screen and by the run); a sweep of one runs on the sandboxed
// workers' API (in process here: happy-dom has no module workers; the real sandbox is covered by
// test/e2e/strategy-promote.test.ts) with its out-of-sample check, the hash in its label and sweep
// id, and "open as backtest" at that version; Cancel terminates the workers and the cell runs again.
import 'fake-indexeddb/auto'
import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as v from 'valibot'
import { METRIC_COUNT, METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { comboAt } from '../../../shared/optimize/index.ts'
import { runBacktest } from '../../../shared/backtest/run.ts'
import { loadUserStrategy } from '../../../shared/strategies/user/source.ts'
import { BacktestParams } from '../../../lab/notebook/cells/backtest/params.ts'
import { problemsOf, specOf } from '../../../lab/notebook/cells/optimize/grid.ts'
import OptimizeCell from '../../../lab/notebook/cells/optimize/OptimizeCell.svelte'
import type { OptimizeOutput } from '../../../lab/notebook/cells/optimize/output.ts'
import { defaultOptimizeParams, OptimizeParams } from '../../../lab/notebook/cells/optimize/params.ts'
import { OptimizeSweeps, setOptimizeSweeps } from '../../../lab/notebook/cells/optimize/sweeps.svelte.ts'
import { TEMPLATES } from '../../../lab/notebook/cells/strategy/templates.ts'
import type { CellRunView, SeriesValue } from '../../../lab/notebook/cells/types.ts'
import { memorySourceStore, setUserStrategyLibrary, sha256Hex, UserStrategyLibrary } from '../../../lab/strategies/index.ts'
import { directFactory, memoryStore, newLog, smallSeries } from '../../shared/optimize/coordinator/fixtures.ts'
import { sameMetric } from '../../shared/optimize/helpers.ts'
import { evaluate, userWorkers, type UserWorkerLog } from '../optimizer/user-fixtures.ts'
import { fakeServices } from './fixtures.ts'

const RSI = TEMPLATES.find((t) => t.source.includes("id: 'user.rsi-cross'"))!.source
const loaded = loadUserStrategy(RSI, evaluate)
if (!loaded.ok) throw new Error(loaded.error.message)
const META = loaded.value.meta
const DEF = loaded.value.def
let HASH = ''
let lib: UserStrategyLibrary

beforeEach(async () => {
  HASH = await sha256Hex(RSI)
  lib = new UserStrategyLibrary(async () => memorySourceStore())
  setUserStrategyLibrary(lib)
  await lib.ready()
  await lib.save(RSI, HASH, META, 1)
})
afterEach(() => {
  setUserStrategyLibrary(null)
  setOptimizeSweeps(undefined)
})

const source = (): SeriesValue => {
  const series = smallSeries()
  return {
    key: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' },
    fromMs: series.time[0]!,
    toMs: series.time.at(-1)! + 60_000,
    series,
    covered: [],
  }
}

/** 2 × 2 × 2 RSI-cross combos at the version saved above. */
const userParams = (over: Partial<OptimizeParams> = {}): OptimizeParams => ({
  ...defaultOptimizeParams(),
  strategy: 'user.rsi-cross',
  user: { hash: HASH, version: 1 },
  values: {},
  axes: { period: { mode: 'list', values: [7, 14] }, low: { mode: 'list', values: [25, 30] }, high: { mode: 'list', values: [70, 75] } },
  orderTypes: ['market'],
  exec: { ...defaultOptimizeParams().exec, orderType: 'market' },
  minTrades: 0,
  validation: { kind: 'holdout', testFraction: 0.25 },
  ...over,
})

function sweeps(log: UserWorkerLog, stallAfter = Infinity, userCallLimitMs?: number): OptimizeSweeps {
  return new OptimizeSweeps({
    workers: 2,
    factory: directFactory(newLog()),
    userFactory: userWorkers(log, stallAfter),
    ...(userCallLimitMs === undefined ? {} : { userCallLimitMs }),
    shareMemory: false,
    openStore: async () => memoryStore(),
    updateEveryMs: 0,
    checkpointEveryMs: 0,
  })
}

/** A new pool after a stuck one: fresh workers answer again and the sweep completes. */
async function expectFreshRunWorks(log: UserWorkerLog, p: OptimizeParams): Promise<void> {
  const again = await sweeps(log).run({
    cellId: 'o1',
    params: p,
    source: source(),
    signal: new AbortController().signal,
    progress: () => {},
  })
  expect(again.plan.comboCount).toBe(8)
}

const idle: CellRunView<OptimizeOutput> = { status: 'idle', progress: null, output: undefined, error: null, rev: 0 }
const cellOf = (p: OptimizeParams) => ({ id: 'o1', kind: 'optimize', title: '', collapsed: false, params: p })

describe('optimize cell: the strategy picker', () => {
  it('lists user strategies beside the built-ins; picking one names its version and builds the grid from its schema', async () => {
    setOptimizeSweeps(sweeps({ defines: 0, terminated: 0 }))
    const setParams = vi.fn()
    const props = {
      cell: cellOf(defaultOptimizeParams()),
      run: idle,
      services: fakeServices('opt-user-1'),
      setParams,
      setUi: () => {},
      requestRun: () => {},
      cancelRun: () => {},
    }
    const r = render(OptimizeCell, { props })
    const select = screen.getByTestId('opt-strategy') as HTMLSelectElement
    const groups = [...select.querySelectorAll('optgroup')].map((g) => g.label)
    expect(groups).toEqual(['Built-in', 'Your strategies'])
    expect([...select.querySelectorAll('optgroup[label="Your strategies"] option')].map((o) => o.textContent)).toEqual([
      'RSI cross (user.rsi-cross)',
    ])
    await fireEvent.change(select, { target: { value: 'user.rsi-cross' } })
    const next = setParams.mock.lastCall![0] as OptimizeParams
    expect(next).toMatchObject({ strategy: 'user.rsi-cross', user: { hash: HASH, version: 1 }, values: {}, axes: {} })
    expect(v.safeParse(OptimizeParams, next).success).toBe(true)

    await r.rerender({ ...props, cell: cellOf(next) })
    for (const k of ['period', 'low', 'high']) expect(screen.getByTestId(`fixed-${k}`)).toBeTruthy()
    expect(screen.getByTestId('opt-user-version').getAttribute('data-hash')).toBe(HASH)
    expect(screen.getByTestId('opt-user-version').textContent).toContain(`#${HASH.slice(0, 8)}`)
    // The spec names the version; the page validates it from the schema alone.
    expect(specOf(next).strategyHash).toBe(HASH)
    expect(problemsOf(next)).toEqual([])
    expect(problemsOf({ ...next, axes: { period: { mode: 'list', values: [1] } } }).join()).toMatch(/period.*outside \[2, 100\]/)

    // Back to a built-in: the version is dropped.
    await fireEvent.change(screen.getByTestId('opt-strategy'), { target: { value: 'rsi' } })
    expect(setParams.mock.lastCall![0]).not.toHaveProperty('user')
  })

  it('a version whose source is not in this browser says so in words (on screen and from a run), not a crash', async () => {
    const s = sweeps({ defines: 0, terminated: 0 })
    setOptimizeSweeps(s)
    const p = userParams({ user: { hash: 'ab'.repeat(32), version: 3 } })
    render(OptimizeCell, {
      props: {
        cell: cellOf(p),
        run: idle,
        services: fakeServices('opt-user-2'),
        setParams: () => {},
        setUi: () => {},
        requestRun: () => {},
        cancelRun: () => {},
      },
    })
    await vi.waitFor(() => expect(screen.getByTestId('opt-problems').textContent).toMatch(/not in this browser's strategy library/))
    expect((screen.getByTestId('opt-run') as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId('opt-strategy') as HTMLSelectElement).value).toBe('user.rsi-cross')
    await expect(
      s.run({ cellId: 'o1', params: p, source: source(), signal: new AbortController().signal, progress: () => {} }),
    ).rejects.toThrow(/The source of user\.rsi-cross #abababab is not in this browser's strategy library/)
  })
})

describe('the strategy library', () => {
  it('keeps a head saved while its store was still opening (the pickers list it)', async () => {
    const fresh = new UserStrategyLibrary(async () => memorySourceStore())
    await fresh.save(RSI, HASH, META, 2)
    await fresh.ready()
    expect(fresh.heads.map((h) => h.hash)).toEqual([HASH])
  })
})

describe('optimize cell: sweeping a user strategy', () => {
  it('sweeps on the sandboxed workers: rows equal single backtests, holdout checked, hash in the label; open as backtest keeps the version', async () => {
    const log = { defines: 0, terminated: 0 }
    const s = sweeps(log)
    const out = await s.run({
      cellId: 'o1',
      params: userParams(),
      source: source(),
      signal: new AbortController().signal,
      progress: () => {},
    })
    expect(out.plan.comboCount).toBe(8)
    expect(out.plan.strategy.name).toBe('RSI cross')
    expect(out.label.strategy).toEqual({ id: 'user.rsi-cross', version: 1, hash: HASH })
    expect(out.labelText).toContain(`user.rsi-cross v1 #${HASH.slice(0, 8)}`)
    expect(out.spec.strategyHash).toBe(HASH)
    expect(log.defines).toBeGreaterThanOrEqual(2)
    // The in-sample rows (train bars) equal single backtests over the same window.
    const series = smallSeries()
    for (let c = 0; c < 8; c++) {
      const combo = comboAt(out.plan, c)
      const single = runBacktest(series, DEF.signals(series, combo.params), combo.exec, {
        fromBar: out.spec.fromBar,
        toBar: out.spec.toBar,
      })
      METRIC_NAMES.forEach((name, m) =>
        expect(sameMetric(out.rows[c * METRIC_COUNT + m]!, single.metrics[name]), `${c} ${name}`).toBe(true),
      )
    }
    // The holdout: stitched from the sandbox's signals.
    expect(out.validation?.kind).toBe('holdout')
    expect(out.robustness).not.toBeNull()

    const bt = await s.backtestFor(out, out.top.combos[0]!)
    expect(v.safeParse(BacktestParams, bt).success).toBe(true)
    expect(bt).toMatchObject({ strategy: 'user.rsi-cross', user: { hash: HASH, version: 1 }, origin: { kind: 'sweep', rank: 1 } })
    expect(bt.values).toEqual(comboAt(out.plan, out.top.combos[0]!).params)
  })

  it('Cancel terminates the sandboxed workers (stuck user code cannot be interrupted otherwise) and the next run works', async () => {
    const log = { defines: 0, terminated: 0 }
    const stuck = sweeps(log, 1)
    const ac = new AbortController()
    const p = userParams({ validation: { kind: 'none' } })
    const running = stuck.run({ cellId: 'o1', params: p, source: source(), signal: ac.signal, progress: () => {} })
    await vi.waitFor(() => expect(stuck.cell('o1').phase).toBe('sweep'))
    await new Promise((r) => setTimeout(r, 30))
    ac.abort()
    await expect(running).rejects.toThrow(/cancelled/)
    expect(log.terminated).toBe(2)
    expect(stuck.cell('o1').phase).toBe('cancelled')
    // A fresh pool (the stalling fake stalls per worker: new workers answer their first call again).
    await expectFreshRunWorks(log, p)
  })

  it('a call that never returns is stopped at the time limit: the workers are ended and the sweep fails saying why', async () => {
    const log = { defines: 0, terminated: 0 }
    const stuck = sweeps(log, 1, 150)
    const p = userParams({ validation: { kind: 'none' } })
    const running = stuck.run({ cellId: 'o1', params: p, source: source(), signal: new AbortController().signal, progress: () => {} })
    await expect(running).rejects.toThrow(/ran for over 0\.15 s in one call of the sweep and was stopped/)
    expect(log.terminated).toBeGreaterThanOrEqual(1)
    // The next run starts fresh workers and works.
    await expectFreshRunWorks(log, p)
  })
})
