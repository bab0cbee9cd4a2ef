// The backtest worker's engine and its owner (runner.svelte.ts), in process: results equal the
// main-thread computation; candles are loaded once per series and freed when a lane moves on;
// the latest request wins (a superseded run never resolves to its result, a waiting one is
// replaced, the engine never queues them up); the look-ahead check reports after the run,
// finds a peeking strategy, and stops when a newer run comes; a dead worker is replaced.
import { describe, expect, it, vi } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/index.ts'
import { tradeColumnsOf } from '../../../shared/backtest/index.ts'
import { defineStrategy, registerStrategy } from '../../../shared/strategies/index.ts'
import { computeBacktest } from '../../../lab/notebook/cells/backtest/compute.ts'
import { createBacktestEngine, type BacktestEngineApi, type RunReply } from '../../../lab/notebook/cells/backtest/engine.ts'
import { packResult, unpackResult } from '../../../lab/notebook/cells/backtest/pack.ts'
import { defaultBacktestParams, type BacktestParams } from '../../../lab/notebook/cells/backtest/params.ts'
import {
  BacktestRunner,
  inProcessEngine,
  sharedCopy,
  type EngineClient,
  type EngineFactory,
} from '../../../lab/notebook/cells/backtest/runner.svelte.ts'
import { randomWalk } from '../../helpers/series.ts'

const series = randomWalk(11, 3000, 90_000_000)
const other = randomWalk(12, 2000, 90_000_000)
const params = (patch: Partial<BacktestParams> = {}): BacktestParams => ({ ...defaultBacktestParams(), ...patch })
const rsi = (period: number): BacktestParams => params({ strategy: 'rsi', values: { period } })
const signal = (): AbortSignal => new AbortController().signal

/** The in-process engine with every call counted. */
function counted(api: BacktestEngineApi = createBacktestEngine()): { factory: EngineFactory; calls: string[] } {
  const calls: string[] = []
  const inner = inProcessEngine(api)()
  const client: EngineClient = {
    load: (id, s) => (calls.push(`load ${id}`), inner.api.load(id, s)),
    unload: (id) => (calls.push(`unload ${id}`), inner.api.unload(id)),
    run: (lane, id, p) => (calls.push(`run ${lane}`), inner.api.run(lane, id, p)),
    lookahead: (lane, id, p) => inner.api.lookahead(lane, id, p),
  }
  return { factory: () => ({ ...inner, api: client }), calls }
}

const settled = async (r: BacktestRunner, lane: string, s: CandleSeries, p: BacktestParams) => {
  const out = await r.run(lane, s, p, signal())
  await vi.waitFor(() => expect(out.lookahead.state.kind).not.toBe('checking'))
  return out
}

describe('backtest engine and runner', () => {
  it('gives the main-thread result; loads each series once and frees the one a lane left', async () => {
    const { factory, calls } = counted()
    const r = new BacktestRunner(factory)
    const a = await r.run('cell-1', series, rsi(14), signal())
    expect(a.run.result.metrics).toEqual(computeBacktest(series, rsi(14)).result.metrics)
    expect(Array.from(a.run.result.equity)).toEqual(Array.from(computeBacktest(series, rsi(14)).result.equity))
    await r.run('cell-1', series, rsi(20), signal())
    await r.run('cell-2', series, rsi(20), signal())
    expect(calls.filter((c) => c.startsWith('load'))).toEqual(['load d1'])
    await r.run('cell-1', other, rsi(20), signal())
    // cell-2 still uses d1: kept.
    expect(calls.filter((c) => !c.startsWith('run'))).toEqual(['load d1', 'load d2'])
    await r.run('cell-2', other, rsi(20), signal())
    expect(calls.filter((c) => !c.startsWith('run'))).toEqual(['load d1', 'load d2', 'unload d1'])
    expect(r.runs).toBe(5)
  })

  it('keeps at most 4 data ranges loaded; one dropped is loaded again when a lane needs it', async () => {
    const { factory, calls } = counted()
    const r = new BacktestRunner(factory)
    const many = [1, 2, 3, 4, 5].map((k) => randomWalk(20 + k, 300, 90_000_000))
    for (const [k, s] of many.entries()) await r.run(`cell-${k}`, s, rsi(14), signal())
    expect(calls.filter((c) => c.startsWith('unload'))).toEqual(['unload d1'])
    await r.run('cell-0', many[0]!, rsi(14), signal())
    expect(calls.filter((c) => c.startsWith('load')).at(-1)).toBe('load d1')
    expect(calls.filter((c) => c.startsWith('unload'))).toEqual(['unload d1', 'unload d2'])
  })

  it('the latest request wins: a running one that was superseded never resolves, a waiting one is replaced', async () => {
    const engine = createBacktestEngine()
    const gates: (() => void)[] = []
    const runs: number[] = []
    const base = inProcessEngine(engine)()
    const factory: EngineFactory = () => ({
      ...base,
      api: {
        ...base.api,
        // Each run waits for the test to let it finish.
        run: async (lane, id, p): Promise<RunReply> => {
          runs.push(p.values.period!)
          await new Promise<void>((go) => gates.push(go))
          return engine.run(lane, id, p)
        },
      },
    })
    const r = new BacktestRunner(factory)
    const c1 = new AbortController()
    const first = r.run('L', series, rsi(10), c1.signal)
    await vi.waitFor(() => expect(runs).toEqual([10]))
    // Two more changes while the first runs: the second waits, the third replaces it.
    c1.abort()
    const c2 = new AbortController()
    const second = r.run('L', series, rsi(11), c2.signal)
    c2.abort()
    const third = r.run('L', series, rsi(12), signal())
    await expect(second).rejects.toMatchObject({ name: 'AbortError' })
    gates.shift()!()
    await expect(first).rejects.toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(runs).toEqual([10, 12]))
    gates.shift()!()
    const won = await third
    expect(won.run.params.period).toBe(12)
    expect(runs).toEqual([10, 12])
  })

  it('bad params come back as an Error in words, not as a worker failure', async () => {
    const r = new BacktestRunner(counted().factory)
    await expect(r.run('L', series, rsi(1), signal())).rejects.toThrow(/period/)
    await expect(r.run('L', series, params({ strategy: 'nope' }), signal())).rejects.toThrow(/Unknown strategy 'nope'/)
  })

  it('the look-ahead check passes a registered strategy at 20 cut points and finds a peeking one', async () => {
    const r = new BacktestRunner(counted().factory)
    const ok = await settled(r, 'L', series, rsi(14))
    expect(ok.lookahead.state).toMatchObject({ kind: 'passed', skipped: 0 })
    if (ok.lookahead.state.kind === 'passed') expect(ok.lookahead.state.cuts).toHaveLength(20)

    registerStrategy(
      defineStrategy({
        id: 'test-peek-next',
        version: 1,
        name: 'peek',
        description: 'test only: +1 when the next close is higher',
        params: [],
        warmup: () => 0,
        compute: (s, _p, out) => {
          const c = s.close
          for (let t = 0; t < c.length; t++) out[t] = t + 1 < c.length && c[t + 1]! > c[t]! ? 1 : -1
        },
      }),
    )
    const bad = await settled(r, 'L', series, params({ strategy: 'test-peek-next' }))
    expect(bad.lookahead.state.kind).toBe('found')
    if (bad.lookahead.state.kind !== 'found') return
    const f = bad.lookahead.state.found
    expect(f.fullValue).not.toBe(f.cutValue)
    expect(f.barTimeMs).toBe(series.time[f.bar])
  })

  it('a newer run stops the previous result’s look-ahead check', async () => {
    const r = new BacktestRunner(counted().factory)
    const a = await r.run('L', series, rsi(14), signal())
    const b = await r.run('L', series, rsi(15), signal())
    await vi.waitFor(() => expect(a.lookahead.state.kind).toBe('stopped'))
    await vi.waitFor(() => expect(b.lookahead.state.kind).toBe('passed'))
  })

  it('a worker that dies fails the run in words; the next run starts a new one', async () => {
    let made = 0
    const engine = createBacktestEngine()
    const factory: EngineFactory = () => {
      made++
      const base = inProcessEngine(engine)()
      if (made > 1) return base
      let die!: (e: Error) => void
      const failed = new Promise<never>((_, reject) => (die = reject))
      failed.catch(() => undefined)
      return {
        ...base,
        failed,
        api: { ...base.api, run: () => (die(new Error('backtest worker error: boom')), new Promise<never>(() => {})) },
      }
    }
    const r = new BacktestRunner(factory)
    await expect(r.run('L', series, rsi(14), signal())).rejects.toThrow(/The backtest worker failed: backtest worker error: boom/)
    expect(r.workerState).toBe('failed')
    const ok = await r.run('L', series, rsi(14), signal())
    expect(ok.run.result.metrics.trades).toBeGreaterThanOrEqual(0)
    expect(made).toBe(2)
    expect(r.workerState).toBe('ready')
  })

  it('results travel packed: unpack(pack(result)) is the result, open trade and rejected orders included', () => {
    const base = computeBacktest(series, params()).result
    // Buying 2,000,000 KRW with 1,000,000 of cash: every buy is rejected.
    const exec = { ...defaultBacktestParams().exec, sizing: { kind: 'fixed-quote' as const, notionalQuote: 2_000_000 } }
    const refused = computeBacktest(series, params({ exec })).result
    const r = { ...base, rejected: refused.rejected, rejectedColumns: refused.rejectedColumns, rejections: refused.rejections }
    expect(r.rejected.length).toBeGreaterThan(0)
    expect(r.trades.length).toBeGreaterThan(0)
    expect(r.rejected.length).toBe(Object.values(r.rejections).reduce((a, b) => a + b, 0))
    const open = { ...r.trades[0]!, exitBar: -1, exitTimeMs: NaN, exitPrice: NaN, exitFeeQuote: 0, exitReason: 'open' as const }
    const trades = [...r.trades, open]
    const withOpen = { ...r, trades, tradeColumns: tradeColumnsOf(trades) }
    const back = unpackResult(packResult(withOpen), series.time)
    expect(back.trades).toEqual(withOpen.trades)
    expect(back.rejected).toEqual(r.rejected)
    expect({ ...back }).toEqual(withOpen)
  })

  it('a shared copy has the same values in SharedArrayBuffers', () => {
    const s = sharedCopy(series)
    expect(s.close.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(Array.from(s.close)).toEqual(Array.from(series.close))
    expect(Array.from(s.time)).toEqual(Array.from(series.time))
  })
})
