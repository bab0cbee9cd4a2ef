// The strategy cell and the lab's user-strategy registry, in process (happy-dom has no module
// workers; the SES sandbox in real workers is covered by test/e2e/strategy-promote.test.ts):
// every template loads and passes its audits; a run saves the source by its hash and an edit
// makes a new hash (a bumped declared version a new version); audits run once per pause in
// typing; a rule that peeks at the next bar fails the look-ahead audit naming the bar and both
// values, on screen too; a syntax error names its line; the backtest cell runs a user strategy
// by hash (exactly the version it names) and a runaway one is stopped by the cell's Stop.
import 'fake-indexeddb/auto'
import { render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/index.ts'
import { loadUserStrategy, type Evaluate } from '../../../shared/strategies/user/source.ts'
import { runBacktest } from '../../../shared/backtest/index.ts'
import { createBacktestEngine, type BacktestEngineApi } from '../../../lab/notebook/cells/backtest/engine.ts'
import { defaultBacktestParams, toExecConfig, type BacktestParams } from '../../../lab/notebook/cells/backtest/params.ts'
import { BacktestRunner, inProcessEngine, type EngineFactory } from '../../../lab/notebook/cells/backtest/runner.svelte.ts'
import { userSourceOf } from '../../../lab/notebook/cells/backtest/run.ts'
import { CELL_KINDS, kindOf } from '../../../lab/notebook/cells/registry.ts'
import { auditBadges } from '../../../lab/notebook/cells/strategy/audit-view.ts'
import { apiCompletions } from '../../../lab/notebook/cells/strategy/completions.ts'
import { AUDIT_DELAY_MS, Debounced } from '../../../lab/notebook/cells/strategy/debounce.ts'
import { defaultStrategyCellParams, type StrategyCellParams } from '../../../lab/notebook/cells/strategy/params.ts'
import { sourceErrorAt, type StrategyOutput } from '../../../lab/notebook/cells/strategy/run.ts'
import StrategyCell from '../../../lab/notebook/cells/strategy/StrategyCell.svelte'
import { declaredId, TEMPLATES, withUniqueId } from '../../../lab/notebook/cells/strategy/templates.ts'
import type { CellRunView } from '../../../lab/notebook/cells/types.ts'
import type { NotebookDoc } from '../../../lab/notebook/model/types.ts'
import { NotebookSession } from '../../../lab/notebook/state/session.svelte.ts'
import { createStrategyChecker, auditSeries } from '../../../lab/strategies/checker.ts'
import { inProcessChecks } from '../../../lab/strategies/in-process.ts'
import {
  memorySourceStore,
  setStrategyChecks,
  setUserStrategyLibrary,
  sha256Hex,
  UserStrategyLibrary,
  userStrategies,
  userStrategyLibrary,
  type StrategyChecks,
} from '../../../lab/strategies/index.ts'
import { userStrategyDef } from '../../../lab/strategies/user-def.ts'
import { randomWalk } from '../../helpers/series.ts'
import { fakeServices, NOW } from './fixtures.ts'

/** A plain Function stands in for the SES compartment (no lockdown in a test realm). */
const evaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))

const PEEKS = `export default {
  id: 'user.peeks',
  version: 1,
  name: 'Peeks',
  params: [],
  warmup: () => 1,
  signals(s) {
    const out = new Int8Array(s.close.length)
    for (let t = 1; t < out.length - 1; t++) out[t] = s.close[t + 1] > s.close[t] ? 1 : -1
    return out
  },
}
`
const RSI = TEMPLATES[0]!.source

/** Counts the calls of the in-process checks. */
function countedChecks(): StrategyChecks & { calls: string[] } {
  const inner = inProcessChecks(evaluate, () => 0)
  const calls: string[] = []
  return {
    calls,
    compile: (lane, source, signal) => (calls.push('compile'), inner.compile(lane, source, signal)),
    audit: (lane, source, series, values, signal) => (calls.push('audit'), inner.audit(lane, source, series, values, signal)),
    release: (lane) => inner.release(lane),
  }
}

let checks: ReturnType<typeof countedChecks>
beforeEach(() => {
  checks = countedChecks()
  setStrategyChecks(checks)
  setUserStrategyLibrary(new UserStrategyLibrary(async () => memorySourceStore()))
})
afterEach(() => {
  setStrategyChecks(null)
  setUserStrategyLibrary(null)
  vi.useRealTimers()
})

function strategySession(source = RSI): { session: NotebookSession; id: string } {
  const doc: NotebookDoc = {
    id: 'nb',
    title: 't',
    createdMs: NOW,
    updatedMs: NOW,
    cells: [{ id: 'st', kind: 'strategy', title: '', collapsed: false, params: { source, lang: 'ts' } satisfies StrategyCellParams }],
  }
  return { session: new NotebookSession(doc, { services: fakeServices(`strategy-${Math.random()}`), onChange: () => {} }), id: 'st' }
}

const outputOf = (s: NotebookSession, id: string): StrategyOutput => s.runOf(id).output as StrategyOutput

describe('strategy cell', () => {
  it('is registered; every template loads and passes every audit on the synthetic series', () => {
    expect(CELL_KINDS.map((k) => k.def.kind)).toContain('strategy')
    expect(kindOf('strategy')!.def.consumes).toEqual(['series'])
    expect(defaultStrategyCellParams().source).toBe(RSI)
    const ids = new Set<string>()
    for (const t of TEMPLATES) {
      const c = createStrategyChecker(evaluate, () => 0)
      const meta = c.compile(t.source)
      expect(meta.ok, t.key).toBe(true)
      if (!meta.ok) continue
      ids.add(meta.value.id)
      const a = c.audit(t.source, null, {})
      expect(a.ok).toBe(true)
      if (!a.ok) continue
      expect(a.value.synthetic).toBe(true)
      expect(a.value.bars).toBe(auditSeries().time.length)
      expect(a.value.bars).toBeGreaterThan(2900) // 3,000 minutes, less those without trades
      expect(
        a.value.report.results.filter((r) => !r.ok),
        t.key,
      ).toEqual([])
      // …and actually trades on it.
      const def = loadUserStrategy(t.source, evaluate)
      if (def.ok)
        expect(
          def.value.def.signals(auditSeries(), a.value.params).some((x) => x !== 0),
          t.key,
        ).toBe(true)
    }
    expect(ids.size).toBe(TEMPLATES.length)
  })

  it('a run saves the source under its hash; an edit is a new hash; a bumped version is a new version', async () => {
    const { session, id } = strategySession()
    await session.run(id)
    expect(session.runOf(id).status).toBe('done')
    const first = outputOf(session, id)
    expect(first.hash).toBe(await sha256Hex(RSI))
    expect(first.meta).toMatchObject({ id: 'user.rsi-cross', version: 1, name: 'RSI cross' })
    expect(first.audit.report.ok).toBe(true)
    expect(first.on).toMatch(/synthetic/)
    const lib = userStrategyLibrary()
    expect(userStrategies().map((e) => [e.id, e.hash])).toEqual([['user.rsi-cross', first.hash]])
    expect(lib.entry(first.hash)?.audit?.ok).toBe(true)

    // An edit: another default → another hash, same declared version; the old one is still there.
    const edited = RSI.replace("name: 'low', default: 30", "name: 'low', default: 25")
    session.setParams(id, { source: edited, lang: 'ts' })
    expect(session.freshness.get(id)).toMatchObject({ state: 'stale' })
    await session.run(id)
    const second = outputOf(session, id)
    expect(second.hash).not.toBe(first.hash)
    expect(second.hash).toBe(await sha256Hex(edited))
    expect(second.meta.version).toBe(1)
    expect(second.audit.params.low).toBe(25)
    expect(userStrategies()[0]!.hash).toBe(second.hash)
    expect((await lib.load(first.hash))?.source).toBe(RSI)

    // A bumped declared version.
    session.setParams(id, { source: edited.replace('version: 1', 'version: 2'), lang: 'ts' })
    await session.run(id)
    expect(outputOf(session, id).meta.version).toBe(2)
    expect(userStrategies()[0]).toMatchObject({ id: 'user.rsi-cross', version: 2 })
    expect((await lib.history('user.rsi-cross')).length).toBe(3)
  })

  it('audits run once per pause in typing (debounced), not per keystroke', async () => {
    vi.useFakeTimers()
    const { session, id } = strategySession()
    const edits = new Debounced(AUDIT_DELAY_MS, () => void session.run(id))
    let src = RSI
    for (let k = 0; k < 8; k++) {
      src = src.replace(/default: (\d+), min: 1, max: 50/, (_m, d: string) => `default: ${Number(d) - 1}, min: 1, max: 50`)
      session.setParams(id, { source: src, lang: 'ts' })
      edits.poke()
      vi.advanceTimersByTime(AUDIT_DELAY_MS - 100)
    }
    expect(checks.calls).toEqual([])
    expect(edits.pending).toBe(true)
    vi.advanceTimersByTime(100)
    vi.useRealTimers()
    await vi.waitFor(() => expect(session.runOf(id).status).toBe('done'))
    expect(checks.calls).toEqual(['compile', 'audit'])
    expect(outputOf(session, id).audit.params.low).toBe(22)
  })

  it('a rule that reads the next bar fails the look-ahead audit with the bar and both values', async () => {
    const { session, id } = strategySession(PEEKS)
    await session.run(id)
    const out = outputOf(session, id)
    const la = out.audit.report.results.find((r) => r.name === 'lookahead')!
    expect(la.ok).toBe(false)
    expect(la.bar).toBeGreaterThanOrEqual(1)
    expect(la.values).toHaveLength(2)
    expect(la.values![0]).not.toBe(la.values![1])
    expect(la.detail).toMatch(new RegExp(`bar ${la.bar} gives`))
    expect(la.barTimeMs).toBe(auditSeries().time[la.bar!])
    const badge = auditBadges(out.audit).find((b) => b.key === 'lookahead')!
    expect(badge).toMatchObject({ tone: 'bad', icon: '✗', bar: la.bar, values: la.values })
    expect(badge.short).toMatch(/^bar [\d,]+: [+−]?[01] vs [+−]?[01]$/)
    expect(
      auditBadges(out.audit)
        .filter((b) => b.tone === 'bad')
        .map((b) => b.key),
    ).toEqual(['lookahead'])

    // On screen: the failing badge, opened, with the bar and the two values.
    const run: CellRunView<StrategyOutput> = { status: 'done', progress: null, output: out, error: null, rev: 1 }
    render(StrategyCell, {
      props: {
        cell: { id, kind: 'strategy', title: '', collapsed: false, params: { source: PEEKS, lang: 'ts' } },
        run,
        services: session.services,
        setParams: () => {},
        setUi: () => {},
        requestRun: () => {},
        cancelRun: () => {},
      },
    })
    expect(screen.getByTestId('audit-lookahead').getAttribute('data-tone')).toBe('bad')
    expect(screen.getByTestId('audit-shape').getAttribute('data-tone')).toBe('ok')
    expect(screen.getByTestId('audit-details').getAttribute('data-key')).toBe('lookahead')
    expect(screen.getByTestId('audit-bar').textContent).toBe(la.bar!.toLocaleString('en-US'))
    expect(Number(screen.getByTestId('audit-value-a').textContent)).toBe(la.values![0])
    expect(Number(screen.getByTestId('audit-value-b').textContent)).toBe(la.values![1])
    expect(screen.getByTestId('strategy-hash').getAttribute('data-hash')).toBe(out.hash)
  })

  it('a syntax error fails the run naming the line; a module problem names the field', async () => {
    const { session, id } = strategySession('export default {\n  id: "user.x",\n  version: 1,\n  params: [,\n}\n')
    await session.run(id)
    const e = session.runOf(id).error!.message
    expect(e).toMatch(/^Syntax error at line \d+/)
    expect(sourceErrorAt(e)?.line).toBeGreaterThanOrEqual(4)
    session.setParams(id, { source: RSI.replace("id: 'user.rsi-cross'", "id: 'RSI'"), lang: 'ts' })
    await session.run(id)
    const m = session.runOf(id).error!.message
    expect(m).toMatch(/^Not a strategy module at line 11: id must look like user\.my-strategy/)
    expect(RSI.split('\n')[10]).toMatch(/^\s*id:/)
  })

  it('templates get a unique id when one is taken; the editor completes the API names', () => {
    expect(declaredId(RSI)).toBe('user.rsi-cross')
    expect(declaredId(withUniqueId(RSI, new Set(['user.rsi-cross', 'user.rsi-cross-2'])))).toBe('user.rsi-cross-3')
    expect(withUniqueId(RSI, new Set(['user.other']))).toBe(RSI)
    expect(apiCompletions('    const r = ta.rs')).toMatchObject({ from: 17 })
    expect(apiCompletions('    const r = ta.rs')!.options.map((o) => o.label)).toContain('rsi')
    expect(apiCompletions('s.cl')!.options.map((o) => o.label)).toEqual(['time', 'open', 'high', 'low', 'close', 'volume'])
    expect(apiCompletions('Math.')!.options.map((o) => o.label)).not.toContain('random')
    expect(apiCompletions('  sig')!.options.map((o) => o.label)).toContain('signals')
    expect(apiCompletions('  foo.')).toBeNull()
  })
})

describe('user strategies in the backtest cell', () => {
  const series: CandleSeries = randomWalk(5, 2500, 90_000_000)
  const signal = (): AbortSignal => new AbortController().signal
  const engine = (): BacktestEngineApi => createBacktestEngine({ loadUser: (src) => userStrategyDef(src, evaluate) })

  async function saved(source: string): Promise<BacktestParams> {
    const hash = await sha256Hex(source)
    const meta = createStrategyChecker(evaluate, () => 0).compile(source)
    if (!meta.ok) throw new Error(meta.error.message)
    await userStrategyLibrary().save(source, hash, meta.value, NOW)
    return { ...defaultBacktestParams(), strategy: meta.value.id, values: {}, user: { hash, version: meta.value.version } }
  }

  it('runs exactly the version the params name, with the result of the same rule run in this thread', async () => {
    const p1 = await saved(RSI)
    const edited = RSI.replace("name: 'low', default: 30", "name: 'low', default: 45")
    const p2 = await saved(edited)
    expect(p2.user!.hash).not.toBe(p1.user!.hash)
    const r = new BacktestRunner(inProcessEngine(engine()))
    const a = await r.run('cell', series, p1, signal(), await userSourceOf(p1))
    const b = await r.run('cell', series, p2, signal(), await userSourceOf(p2))
    expect(a.run.strategy).toMatchObject({ id: 'user.rsi-cross', version: 1, sourceHash: p1.user!.hash })
    expect(b.run.params.low).toBe(45)
    // The same rule run in this thread gives the same result.
    const direct = loadUserStrategy(RSI, evaluate)
    if (!direct.ok) throw new Error('load')
    const config = toExecConfig(p1.exec)
    const expected = runBacktest(series, direct.value.def.signals(series, {}), config)
    expect(a.run.result.metrics).toEqual(expected.metrics)
    expect(a.run.result.metrics.trades).toBeGreaterThan(0)
    expect(b.run.result.metrics).not.toEqual(a.run.result.metrics)
    await vi.waitFor(() => expect(b.lookahead.state.kind).toBe('passed'))
    // Without the source the cell says what to do.
    await expect(userSourceOf({ ...p1, user: undefined })).rejects.toThrow(/Pick user\.rsi-cross again/)
    await expect(userSourceOf({ ...p1, user: { hash: 'f'.repeat(64), version: 1 } })).rejects.toThrow(/not in this browser/)
  })

  it('an engine without a sandbox refuses user strategies in words', async () => {
    const p = await saved(RSI)
    const r = new BacktestRunner(inProcessEngine(createBacktestEngine()))
    await expect(r.run('cell', series, p, signal(), await userSourceOf(p))).rejects.toThrow(/cannot run user strategies in a sandbox/)
  })

  it('Stop answers at once, a worker still busy after the grace is terminated, and the next run gets a fresh one', async () => {
    const p = await saved(RSI)
    const made: string[] = []
    let hang = true
    const factory: EngineFactory = () => {
      made.push('engine')
      const base = inProcessEngine(engine())()
      const stuck = hang
      return {
        ...base,
        api: { ...base.api, run: stuck ? () => new Promise<never>(() => {}) : base.api.run },
        terminate: () => made.push('terminate'),
      }
    }
    const r = new BacktestRunner(factory, { userLimits: { runMs: 60_000, checkMs: 60_000, stopGraceMs: 20 } })
    const stop = new AbortController()
    const running = r.run('cell', series, p, stop.signal, await userSourceOf(p))
    await new Promise((res) => setTimeout(res, 10))
    stop.abort()
    await expect(running).rejects.toThrow(/Superseded|abort/i)
    await vi.waitFor(() => expect(r.stops).toBe(1))
    expect(made).toEqual(['engine', 'terminate'])
    hang = false
    const again = await r.run('cell', series, p, signal(), await userSourceOf(p))
    expect(again.run.result.metrics.trades).toBeGreaterThan(0)
    expect(made).toEqual(['engine', 'terminate', 'engine'])
  })

  it('a user run over its time limit is stopped with a message; another lane caught in it runs again', async () => {
    const p = await saved(RSI)
    let n = 0
    const factory: EngineFactory = () => {
      const base = inProcessEngine(engine())()
      const k = ++n
      return {
        ...base,
        api: {
          ...base.api,
          // The first worker never answers the user lane; the built-in lane's run waits behind it.
          run: (lane, id, params) => (k === 1 ? new Promise<never>(() => {}) : base.api.run(lane, id, params)),
        },
      }
    }
    const r = new BacktestRunner(factory, { userLimits: { runMs: 50, checkMs: 60_000, stopGraceMs: 20 } })
    const user = r.run('user-cell', series, p, signal(), await userSourceOf(p))
    const builtin = r.run('other-cell', series, { ...defaultBacktestParams(), strategy: 'rsi', values: {} }, signal())
    await expect(user).rejects.toThrow(/exceeded its time limit \(0 s for one run\)|exceeded its time limit/)
    const ok = await builtin
    expect(ok.run.strategy.id).toBe('rsi')
    expect(r.stops).toBe(1)
  })
})
