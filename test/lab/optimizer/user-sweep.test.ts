// Sweeps of a user strategy through the shared coordinator, on workers that load the source the
// way the sandboxed worker entry does (lab/optimizer/user-sweep.ts; a plain Function stands in for
// the SES compartment, whose lockdown() would freeze this test's realm): every metric row equals a
// single backtest of the same params (the shared kernel, and the backtest cell's engine for the
// best combo, as "open as backtest" runs it); the page plans the sweep from the schema only; the
// source hash is part of the sweep id, so another version's checkpoint is never resumed; a worker
// without the source refuses in words; built-in specs are untouched by the resolver.
import { describe, expect, it } from 'vitest'
import { runBacktest } from '../../../shared/backtest/run.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_NAMES } from '../../../shared/metrics/types.ts'
import {
  builtinStrategy,
  comboAt,
  createWorkerPool,
  poolRobustness,
  runCoordinatedSweep,
  runSweep,
  sweepIdOf,
  validateSweep,
  type RemoteSweepWorker,
  type StrategyResolver,
  type SweepSpec,
  type WorkerFactory,
} from '../../../shared/optimize/index.ts'
import { loadUserStrategy } from '../../../shared/strategies/user/source.ts'
import { createBacktestEngine } from '../../../lab/notebook/cells/backtest/engine.ts'
import { execParamsOf } from '../../../lab/notebook/cells/optimize/sweeps.svelte.ts'
import { TEMPLATES } from '../../../lab/notebook/cells/strategy/templates.ts'
import type { UserWorkerFactory } from '../../../lab/optimizer/browser-workers.ts'
import { UserSignals } from '../../../lab/optimizer/user-signals.ts'
import { userSourcesApi } from '../../../lab/optimizer/user-sweep.ts'
import { sha256Hex } from '../../../lab/strategies/hash.ts'
import { schemaDef } from '../../../lab/strategies/schema-def.ts'
import { userStrategyDef } from '../../../lab/strategies/user-def.ts'
import { evaluate, userWorkers } from './user-fixtures.ts'
import { memoryStore, sameRows, smallSeries, smallSpec } from '../../shared/optimize/coordinator/fixtures.ts'
import { sameMetric } from '../../shared/optimize/helpers.ts'

const RSI = TEMPLATES.find((t) => t.source.includes("id: 'user.rsi-cross'"))!.source
const RSI_V2 = RSI.replace('version: 1,', 'version: 2,').replace('r[t] > p.high ? -1', 'r[t] > p.high - 10 ? -1')

const poolFactory =
  (user: UserWorkerFactory, sources: Map<string, string>): WorkerFactory =>
  () => {
    const h = user()
    const api: RemoteSweepWorker = userSourcesApi(h.api, (hash) => sources.get(hash))
    return { api, failed: h.failed, terminate: () => h.terminate() }
  }

async function setup(source = RSI) {
  const hash = await sha256Hex(source)
  const loaded = loadUserStrategy(source, evaluate)
  if (!loaded.ok) throw new Error(loaded.error.message)
  const meta = loaded.value.meta
  // The page's side: the schema only (its rule throws if called).
  const resolve: StrategyResolver = (id, h) => (h === hash && id === meta.id ? schemaDef(meta) : builtinStrategy(id, h))
  const spec: SweepSpec = {
    strategyId: meta.id,
    strategyHash: hash,
    grid: { period: [7, 14], low: [25, 30], high: [70, 75], stopLossRate: [0, 0.01] },
    exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
    constraints: { minTrades: 0 },
  }
  return { hash, meta, def: loaded.value.def, resolve, spec }
}

function pool(user: UserWorkerFactory, sources: Map<string, string>) {
  return createWorkerPool({ size: 2, factory: poolFactory(user, sources), shareMemory: false })
}

const deps = (p: ReturnType<typeof pool>, resolve: StrategyResolver, store = memoryStore()) => ({
  getPool: () => p,
  now: () => performance.now(),
  store,
  wallNow: () => 0,
  resolveStrategy: resolve,
})

describe('sweeps of a user strategy', () => {
  it("every row equals a single backtest of the combo's params (the kernel, and the backtest cell's engine)", async () => {
    const { hash, def, resolve, spec } = await setup()
    const series: CandleSeries = smallSeries()
    const log = { defines: 0, terminated: 0 }
    const p = pool(userWorkers(log), new Map([[hash, RSI]]))
    const out = await runCoordinatedSweep({ series, spec, chunkSize: 4, blockSums: {} }, deps(p, resolve))
    expect(out.kind).toBe('completed')
    if (out.kind !== 'completed') return
    const { plan, rows } = out.update
    expect(plan.comboCount).toBe(16)
    expect(plan.strategy.name).toBe('RSI cross')
    // Defined once per worker, before its first prepare.
    expect(log.defines).toBe(2)
    let trading = 0
    for (let c = 0; c < plan.comboCount; c++) {
      const combo = comboAt(plan, c)
      const single = runBacktest(series, def.signals(series, combo.params), combo.exec)
      if (single.metrics.trades > 0) trading++
      METRIC_NAMES.forEach((name, m) => {
        const got = rows[c * METRIC_COUNT + m]!
        if (!sameMetric(got, single.metrics[name])) throw new Error(`combo ${c} ${name}: sweep ${got} vs backtest ${single.metrics[name]}`)
      })
    }
    expect(trading).toBeGreaterThan(8)

    // The backtest cell's engine (its worker's code), as "open as backtest" runs a row.
    const engine = createBacktestEngine({ loadUser: (src) => userStrategyDef(src, evaluate) })
    expect(engine.defineUser(hash, RSI).ok).toBe(true)
    engine.load('d', series)
    for (const c of [0, 5, 15]) {
      const combo = comboAt(plan, c)
      const r = engine.run('lane', 'd', {
        strategy: 'user.rsi-cross',
        values: { ...combo.params },
        exec: execParamsOf(combo.exec),
        user: { hash, version: 1 },
      })
      expect(r.ok).toBe(true)
      if (!r.ok) continue
      METRIC_NAMES.forEach((name, m) => expect(sameMetric(rows[c * METRIC_COUNT + m]!, r.value.result.metrics[name]), name).toBe(true))
    }

    // The robustness report runs on the same workers (its backtests by hash too).
    const report = await poolRobustness(p, series, spec, out.update, { resolveStrategy: resolve })
    expect(report.best).not.toBeNull()
    await p.terminate()
  })

  it('the source hash is part of the sweep id: another version never resumes this checkpoint', async () => {
    const a = await setup()
    const b = await setup(RSI_V2)
    expect(b.hash).not.toBe(a.hash)
    const specB: SweepSpec = { ...a.spec, strategyHash: b.hash }
    expect(sweepIdOf({ spec: a.spec, chunkSize: 4, dataHash: 'x' })).not.toBe(sweepIdOf({ spec: specB, chunkSize: 4, dataHash: 'x' }))
    const store = memoryStore()
    const sources = new Map([
      [a.hash, RSI],
      [b.hash, RSI_V2],
    ])
    const log = { defines: 0, terminated: 0 }
    const p = pool(userWorkers(log), sources)
    const resolve: StrategyResolver = (id, h) => a.resolve(id, h) ?? b.resolve(id, h)
    const first = await runCoordinatedSweep({ series: smallSeries(), spec: a.spec, chunkSize: 4 }, deps(p, resolve, store))
    const again = await runCoordinatedSweep({ series: smallSeries(), spec: a.spec, chunkSize: 4 }, deps(p, resolve, store))
    const other = await runCoordinatedSweep({ series: smallSeries(), spec: specB, chunkSize: 4 }, deps(p, resolve, store))
    expect(first.kind === 'completed' && again.kind === 'completed' && other.kind === 'completed').toBe(true)
    if (first.kind !== 'completed' || again.kind !== 'completed' || other.kind !== 'completed') return
    expect(again.update.progress.resumedCombos).toBe(16)
    expect(other.update.progress.resumedCombos).toBe(0)
    expect(other.update.plan.strategy.version).toBe(2)
    // Version 2 exits 10 points earlier: its rows are its own.
    expect(sameRows(other.update.rows, first.update.rows)).not.toEqual([])
    await p.terminate()
  })

  it('refuses in words: the built-in registry does not know a hash, and a worker without the source fails the sweep', async () => {
    const { hash, resolve, spec } = await setup()
    expect(validateSweep(spec)).toEqual({
      ok: false,
      errors: [`strategy 'user.rsi-cross' #${hash.slice(0, 8)} is not loaded here (its source is unknown)`],
    })
    expect(validateSweep({ ...spec, strategyId: 'user.other' }, resolve).ok).toBe(false)
    const p = pool(userWorkers({ defines: 0, terminated: 0 }), new Map())
    const out = await runCoordinatedSweep({ series: smallSeries(), spec }, deps(p, resolve))
    expect(out.kind).toBe('failed')
    expect(out.kind === 'failed' && out.error).toMatch(/source of user\.rsi-cross #[0-9a-f]{8} is not known/)
  })

  it('built-in specs plan and sweep exactly as before (the default resolver is the registry)', () => {
    const plain = runSweep(smallSeries(), smallSpec)
    const v = validateSweep(smallSpec, builtinStrategy)
    expect(v.ok && v.plan.strategy).toBe(plain.plan.strategy)
    expect(sweepIdOf({ spec: smallSpec, chunkSize: 4, dataHash: 'x' })).toBe(
      sweepIdOf({ spec: { ...smallSpec, strategyHash: undefined }, chunkSize: 4, dataHash: 'x' }),
    )
  })

  it("the out-of-sample check's signals come from a sandboxed worker, equal to the rule's; an abort ends that worker", async () => {
    const { hash, def } = await setup()
    const log = { defines: 0, terminated: 0 }
    const s = new UserSignals(userWorkers(log), (h) => (h === hash ? RSI : undefined))
    const params = { period: 9, low: 28, high: 72 }
    const got = await s.signals(smallSeries(), hash, params, new AbortController().signal)
    expect(Array.from(got)).toEqual(Array.from(def.signals(smallSeries(), params)))
    const ac = new AbortController()
    const p = s.signals(smallSeries(), hash, params, ac.signal)
    ac.abort()
    await expect(p).rejects.toThrow(/cancelled/)
    expect(log.terminated).toBe(1)
    s.dispose()
  })
})
