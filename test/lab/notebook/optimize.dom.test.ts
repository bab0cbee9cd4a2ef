// The optimize cell's state: the live combo count and what makes a grid unrunnable, the ranking
// with its min-trades constraint, checkpoints labelled with the sweep's full spec (a checkpoint
// under another label is refused on resume; a cancelled sweep resumes from its own), the verdict
// rules, "open as backtest" and the exports. Workers are the real sweep worker in process
// (test/shared/optimize/coordinator/fixtures.ts), checkpoints in memory.
import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { METRIC_COUNT, METRIC_INDEX } from '../../../shared/metrics/types.ts'
import { bestCombos, runSweep } from '../../../shared/optimize/index.ts'
import type { CheckpointStore, RobustnessReport, WorkerFactory } from '../../../shared/optimize/index.ts'
import { BacktestParams } from '../../../lab/notebook/cells/backtest/params.ts'
import { optimizeExports } from '../../../lab/notebook/cells/optimize/code-exports.ts'
import { exportParts } from '../../../lab/notebook/cells/optimize/export.ts'
import { gridCount, problemsOf, specOf } from '../../../lab/notebook/cells/optimize/grid.ts'
import { labelKey } from '../../../lab/notebook/cells/optimize/label.ts'
import type { OptimizeOutput } from '../../../lab/notebook/cells/optimize/output.ts'
import { sweepVerdict } from '../../../lab/notebook/cells/optimize/output.ts'
import { defaultOptimizeParams, OptimizeParams } from '../../../lab/notebook/cells/optimize/params.ts'
import { OptimizeSweeps } from '../../../lab/notebook/cells/optimize/sweeps.svelte.ts'
import { fmtMetric, topCombos } from '../../../lab/notebook/cells/optimize/table.ts'
import { plateauScore, verdictOf, VERDICTS } from '../../../lab/notebook/cells/optimize/verdict.ts'
import type { SeriesValue } from '../../../lab/notebook/cells/types.ts'
import { directFactory, memoryStore, newLog, sameRows, smallSeries, stallingFactory } from '../../shared/optimize/coordinator/fixtures.ts'

const source = (): SeriesValue => {
  const series = smallSeries()
  return {
    key: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' },
    fromMs: series.time[0]!,
    toMs: series.time[series.time.length - 1]! + 60_000,
    series,
    covered: [],
  }
}

function sweeps(store: CheckpointStore, factory: WorkerFactory = directFactory(newLog())): OptimizeSweeps {
  return new OptimizeSweeps({
    workers: 2,
    factory,
    shareMemory: false,
    openStore: async () => store,
    updateEveryMs: 0,
    checkpointEveryMs: 0,
  })
}

function run(s: OptimizeSweeps, params: OptimizeParams, signal = new AbortController().signal, cellId = 'cell-1'): Promise<OptimizeOutput> {
  return s.run({ cellId, params, source: source(), signal, progress: () => undefined })
}

/** 2 × 3 × 3 = 18 ensemble combos, no out-of-sample check (fast). */
const small = (over: Partial<OptimizeParams> = {}): OptimizeParams => ({
  ...defaultOptimizeParams(),
  axes: {
    'w.trend': { mode: 'list', values: [0, 1] },
    'w.momentum': { mode: 'list', values: [0, 0.5, 1] },
    threshold: { mode: 'list', values: [0.1, 0.3, 0.5] },
  },
  exec: { ...defaultOptimizeParams().exec, orderType: 'market' },
  orderTypes: ['market'],
  validation: { kind: 'none' },
  ...over,
})

describe('grid count', () => {
  it('counts the default grid and every factor live, before anything runs', () => {
    const c = gridCount(defaultOptimizeParams())
    expect(c.count).toBe(45)
    expect(c.factors.map((f) => `${f.name}×${f.count}`)).toEqual(['w.trend×3', 'w.momentum×3', 'threshold×5'])
    expect(v.safeParse(OptimizeParams, defaultOptimizeParams()).success).toBe(true)
  })

  it('multiplies execution axes and both order types in; huge ranges are counted, not enumerated', () => {
    const p = small({ execAxes: { stopLossRate: { mode: 'list', values: [0, 0.01, 0.02] } }, orderTypes: ['market', 'limit'] })
    expect(gridCount(p).count).toBe(18 * 3 * 2)
    expect(Object.keys(specOf(p).grid)).toEqual(['w.trend', 'w.momentum', 'threshold', 'stopLossRate', 'orderType'])
    const huge = small({ axes: { 'momentum.period': { mode: 'range', min: 1, max: 1e12, step: 1 } } })
    expect(gridCount(huge).count).toBe(1e12)
    expect(problemsOf(huge).join(' ')).toMatch(/more than the 10,000,000 combos/)
  })

  it('names what makes a grid unrunnable', () => {
    expect(gridCount(small({ axes: { threshold: { mode: 'range', min: 0.5, max: 0.1, step: 0.1 } } })).problems.join()).toMatch(/min ≤ max/)
    expect(problemsOf(small({ axes: { threshold: { mode: 'list', values: [0.7] } } })).join()).toMatch(/threshold.*outside/)
    expect(problemsOf(small())).toEqual([])
  })

  it('asks before a sweep above the chosen size, and runs once that exact count is confirmed', async () => {
    const s = sweeps(memoryStore())
    await expect(run(s, small({ confirmAbove: 10 }))).rejects.toThrow(/18 combos, more than the 10 you asked to confirm/)
    await expect(run(s, small({ confirmAbove: 10, confirmedCombos: 17 }))).rejects.toThrow(/confirm/)
    const out = await run(s, small({ confirmAbove: 10, confirmedCombos: 18 }))
    expect(out.plan.comboCount).toBe(18)
  })
})

describe('ranking and the min-trades constraint', () => {
  it('topCombos is the shared ranking (NaN never ranks, +∞ first, ties by the lower combo)', () => {
    const n = 200
    const rows = new Float64Array(n * METRIC_COUNT)
    for (let c = 0; c < n; c++) {
      const k = c % 7
      rows[c * METRIC_COUNT + METRIC_INDEX.profitFactor] =
        k === 0 ? NaN : k === 1 ? Infinity : k === 2 ? -Infinity : Math.round((c * 37) % 11) / 4
      rows[c * METRIC_COUNT + METRIC_INDEX.trades] = c % 40
    }
    for (const constraints of [undefined, { minTrades: 30 }]) {
      const want = bestCombos(rows, n, 25, { objective: 'profitFactor', constraints }).map((b) => b.combo)
      expect(Array.from(topCombos(rows, n, 25, 'profitFactor', constraints).combos)).toEqual(want)
    }
    expect(topCombos(rows, n, 0, 'profitFactor', { minTrades: 30 }).ranked).toBe(
      bestCombos(rows, n, n, { objective: 'profitFactor', constraints: { minTrades: 30 } }).length,
    )
  })

  it('a combo with fewer trades than the minimum (default 30) never ranks; at 0 it may rank first', async () => {
    expect(defaultOptimizeParams().minTrades).toBe(30)
    // RSI with extreme levels trades rarely; profit factor rewards a lucky few trades with ∞.
    const rsi = small({
      strategy: 'rsi',
      axes: {
        period: { mode: 'list', values: [5, 14, 30] },
        oversold: { mode: 'list', values: [5, 20, 35] },
        overbought: { mode: 'list', values: [65, 80, 95] },
      },
      objective: 'profitFactor',
    })
    const s = sweeps(memoryStore())
    const loose = await run(s, { ...rsi, minTrades: 0 })
    const strict = await run(s, rsi)
    const trades = (o: OptimizeOutput, c: number): number => o.rows[c * METRIC_COUNT + METRIC_INDEX.trades]!
    expect(strict.top.ranked).toBeGreaterThan(0)
    expect(strict.top.failedConstraints).toBeGreaterThan(0)
    expect(strict.top.ranked + strict.top.failedConstraints).toBeLessThanOrEqual(27)
    for (const c of strict.top.combos) expect(trades(strict, c)).toBeGreaterThanOrEqual(30)
    const fewest = Math.min(...Array.from(loose.top.combos, (c) => trades(loose, c)))
    expect(fewest).toBeLessThan(30)
    expect(loose.top.ranked).toBeGreaterThan(strict.top.ranked)
    // The same rows either way: the constraint only decides what ranks.
    expect(sameRows(loose.rows, strict.rows)).toEqual([])
    expect(sameRows(strict.rows, runSweep(smallSeries(), specOf(rsi)).rows)).toEqual([])
  })

  it('shows +∞ as ∞ and NaN as — everywhere in the cell', () => {
    expect(fmtMetric('profitFactor', Infinity)).toBe('∞')
    expect(fmtMetric('sharpe', -Infinity)).toBe('−∞')
    expect(fmtMetric('sharpe', NaN)).toBe('—')
    expect(fmtMetric('totalReturn', 0.0123)).toBe('+1.23%')
    expect(fmtMetric('maxDrawdown', -0.2)).toBe('−20.00%')
  })
})

describe('checkpoints labelled with the full spec', () => {
  it('labels every checkpoint; a repeated run resumes every chunk and reuses the kept report', async () => {
    const store = memoryStore()
    const s = sweeps(store)
    const first = await run(s, small())
    const metas = await store.listSweeps()
    expect(metas).toHaveLength(1)
    const req = metas[0]!.request as { kind: string; labelKey: string; labelText: string; role: string; report?: RobustnessReport }
    expect(req).toMatchObject({ kind: 'optimize-cell', role: 'main', labelKey: labelKey(first.label) })
    expect(req.labelText).toBe(first.labelText)
    expect(first.labelText).toMatch(
      /^ensemble v1 · 18 combos: w\.trend ∈ \{0, 1\}.* · sharpe, ≥ 30 trades · no out-of-sample check · sim KRW-BTC 1m /,
    )
    expect(req.report).toBeDefined()
    const again = await run(s, small())
    expect(again.progress.resumedCombos).toBe(18)
    expect(again.sweepId).toBe(first.sweepId)
    expect(sameRows(again.rows, first.rows)).toEqual([])
    expect(again.robustness).toEqual(first.robustness)
    expect(again.notes.join()).toMatch(/computed when this sweep first finished/)
  })

  it('refuses a checkpoint under the same id whose label is another spec: discarded, never shown', async () => {
    const store = memoryStore()
    const s = sweeps(store)
    const first = await run(s, small())
    // Another spec's label on this sweep's id (what a stale or foreign checkpoint looks like),
    // with rows that are not this sweep's.
    const meta = (await store.getMeta(first.sweepId))!
    const other = { ...first.label, spec: { ...first.label.spec, strategyId: 'rsi' } }
    await store.putMeta({
      ...meta,
      finished: false,
      request: { ...(meta.request as object), label: other, labelKey: labelKey(other), labelText: 'rsi, another grid' },
    })
    const chunks = await store.loadChunks(first.sweepId)
    await store.putChunks(chunks.map((c) => ({ ...c, rows: c.rows.map(() => 42) })))
    const out = await run(s, small())
    expect(out.notes.join()).toMatch(/Refused a checkpoint stored under this sweep's id: it is labelled “rsi, another grid”/)
    expect(out.progress.resumedCombos).toBe(0)
    expect(sameRows(out.rows, first.rows)).toEqual([])
    expect(Array.from(out.rows).includes(42)).toBe(false)
    // The store now holds this sweep's own label again.
    expect(((await store.getMeta(first.sweepId))!.request as { labelKey: string }).labelKey).toBe(labelKey(out.label))
  })

  it('a cancelled sweep keeps its finished chunks; the next run of the same settings resumes them', async () => {
    const store = memoryStore()
    const log = newLog()
    const params = small({ axes: { ...small().axes, 'w.swing': { mode: 'list', values: [0, 0.5, 1] } } }) // 54 combos
    const stalling = sweeps(store, stallingFactory(log, 2))
    const abort = new AbortController()
    const cell = stalling.cell('cell-1')
    const pending = run(stalling, params, abort.signal)
    for (let i = 0; i < 2000 && !((cell.progress?.doneCombos ?? 0) > 0); i++) await new Promise((r) => setTimeout(r, 0))
    expect(cell.progress?.doneCombos).toBeGreaterThan(0)
    abort.abort()
    await expect(pending).rejects.toThrow(/cancelled/)
    expect(cell.phase).toBe('cancelled')
    const saved = await stalling.refreshSaved('cell-1')
    expect(saved).toMatchObject({ finished: false, comboCount: 54 })
    const done = cell.progress!.doneCombos
    const out = await run(sweeps(store), params)
    expect(out.progress.resumedCombos).toBe(done)
    expect(sameRows(out.rows, runSweep(smallSeries(), specOf(params)).rows)).toEqual([])
  })
})

describe('verdict', () => {
  const plateau = (peak: number, p: number, neighbours = 5) => ({ peak, plateau: p, fragility: (peak - p) / Math.abs(peak), neighbours })
  const good = { candidates: 100, pbo: 0.1, dsrProbability: 0.9, plateau: plateau(2, 1.8), oosSharpe: 1 }

  it('follows the rules in order', () => {
    expect(verdictOf(good).kind).toBe('robust')
    expect(verdictOf({ ...good, candidates: 1 }).kind).toBe('not enough data')
    expect(verdictOf({ ...good, pbo: NaN }).kind).toBe('not enough data')
    expect(verdictOf({ ...good, dsrProbability: NaN }).kind).toBe('not enough data')
    expect(verdictOf({ ...good, pbo: 0.6 })).toMatchObject({ kind: 'likely luck', reasons: ['PBO 0.60 > 0.5'] })
    expect(verdictOf({ ...good, dsrProbability: 0.3 }).kind).toBe('likely luck')
    // Luck outranks fragility.
    expect(verdictOf({ ...good, pbo: 0.6, plateau: plateau(2, 0.1) }).kind).toBe('likely luck')
    expect(verdictOf({ ...good, plateau: plateau(2, 0.5) })).toMatchObject({ kind: 'fragile peak' })
    expect(verdictOf({ ...good, oosSharpe: -0.2 }).reasons.join()).toMatch(/out-of-sample Sharpe −?-?0\.20 < 0/)
    expect(verdictOf({ ...good, oosSharpe: null }).reasons).toContain('no out-of-sample check')
    expect(verdictOf({ ...good, plateau: plateau(2, 2, 1) }).kind).toBe('robust') // no neighbour: not measurable
  })

  it('scores the plateau as a share of the peak', () => {
    expect(plateauScore(plateau(2, 1))).toBe(0.5)
    expect(plateauScore(plateau(Infinity, Infinity))).toBe(1)
    expect(plateauScore(plateau(Infinity, 3))).toBe(0)
    expect(plateauScore(plateau(-1, -2))).toBeNaN()
    expect(plateauScore(null)).toBeNaN()
  })

  it('never rests on a missing report', () => {
    expect(sweepVerdict(null, 'worker died', 10, null)).toEqual({
      kind: 'not enough data',
      reasons: ['the robustness report failed: worker died'],
    })
  })

  it("a sweep's verdict is the rules applied to its own report and out-of-sample check", async () => {
    const out = await run(sweeps(memoryStore()), small({ validation: { kind: 'holdout', testFraction: 0.25 } }))
    const r = out.robustness!
    expect(r.best).not.toBeNull()
    expect(VERDICTS).toContain(out.verdict.kind)
    expect(out.verdict).toEqual(
      verdictOf({
        candidates: out.top.ranked,
        pbo: r.pbo.pbo,
        dsrProbability: r.dsr.dsr,
        plateau: r.plateau,
        oosSharpe: out.validation!.result.metrics.sharpe,
      }),
    )
    // The holdout: the table ranks the train bars only; every combo has its test-bar figures.
    const v = out.validation!
    expect(v.kind).toBe('holdout')
    if (v.kind !== 'holdout') return
    expect(out.spec.toBar).toBe(v.window.trainTo)
    expect(sameRows(out.rows, runSweep(smallSeries(), specOf(small(), { fromBar: 0, toBar: v.window.trainTo })).rows)).toEqual([])
    const best = out.top.combos[0]!
    expect(v.result.metrics.totalReturn).toBeCloseTo(v.oosRows[best * METRIC_COUNT + METRIC_INDEX.totalReturn]!, 12)
  })
})

describe('open as backtest and exports', () => {
  it("a row becomes a backtest cell's params with the sweep's evidence in origin", async () => {
    const s = sweeps(memoryStore())
    const out = await run(s, small({ validation: { kind: 'holdout', testFraction: 0.25 } }))
    const second = out.top.combos[1]!
    const p = await s.backtestFor(out, second)
    expect(v.safeParse(BacktestParams, p).success).toBe(true)
    expect(p.strategy).toBe('ensemble')
    expect(p.exec.orderType).toBe('market')
    expect(p.values.threshold).toBe(out.plan.dims[2]!.values[second % 3])
    expect(p.origin).toMatchObject({ kind: 'sweep', cellId: 'cell-1', rank: 2, combos: 18, objective: 'sharpe', sweepLabel: out.labelText })
    expect(p.origin!.score).toBe(out.rows[second * METRIC_COUNT + METRIC_INDEX.sharpe])
    expect(p.origin!.oosReturn).toBeCloseTo(
      (out.validation as { oosRows: Float64Array }).oosRows[second * METRIC_COUNT + METRIC_INDEX.totalReturn]!,
      12,
    )
    expect(p.origin!.dsrProbability).not.toBeNull()
    expect(VERDICTS).toContain(p.origin!.verdict)
    const best = await s.backtestFor(out, out.top.combos[0]!)
    expect(best.origin!.rank).toBe(1)
    expect(best.origin!.dsrProbability).toBe(Number.isFinite(out.robustness!.dsr.dsr) ? out.robustness!.dsr.dsr : null)
  })

  it('writes the full table as CSV and JSON with the label', async () => {
    const out = await run(sweeps(memoryStore()), small())
    const csv = exportParts('csv', out).join('').trimEnd().split('\n')
    expect(csv[0]).toBe(
      'combo,w.trend,w.momentum,threshold,totalReturn,cagr,sharpe,sortino,calmar,maxDrawdown,winRate,profitFactor,expectancy,trades,exposure,feesPaid,buyHoldReturn,status',
    )
    expect(csv).toHaveLength(19)
    const json = JSON.parse(exportParts('json', out).join('')) as {
      sweepId: string
      comboCount: number
      data: { label: string; market: string; hash: string }
      rows: unknown[][]
      validation: { kind: string; verdict: { kind: string } }
    }
    expect(json.sweepId).toBe(out.sweepId)
    expect(json.comboCount).toBe(18)
    expect(json.rows).toHaveLength(18)
    expect(json.data).toMatchObject({ label: out.labelText, market: 'KRW-BTC', hash: out.label.data.hash })
    expect(json.validation).toMatchObject({ kind: 'none', verdict: { kind: out.verdict.kind } })
    // What code cells below read: the ranked rows and the headline values.
    const ex = optimizeExports(out)
    const ranked = ex.tables!.ranked!
    expect(Array.from(ranked.rank!)).toEqual(Array.from({ length: out.top.combos.length }, (_, i) => i + 1))
    expect(Array.from(ranked.combo!)).toEqual(Array.from(out.top.combos))
    expect(ranked.sharpe![0]).toBe(out.rows[out.top.combos[0]! * METRIC_COUNT + METRIC_INDEX.sharpe])
    expect(ex.values).toMatchObject({ label: out.labelText, verdict: out.verdict.kind, combos: 18 })
    expect(() => structuredClone(ex)).not.toThrow()
  })
})
