// The robustness report on a worker pool (coordinator/robustness.ts) against the plain one-thread
// report that re-runs every candidate for its daily returns (robust/report.ts robustnessReport
// without block sums): the same report, bit for bit (toStrictEqual compares numbers with
// Object.is), whether the block sums come from the sweep's workers, from a re-run of resumed
// simulations, or from no block sums at all; and no candidate is re-run when the sweep kept them.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { createWorkerPool, poolCscv, poolRobustness, runCoordinatedSweep } from '../../../../shared/optimize/coordinator/index.ts'
import type { CheckpointStore, SweepUpdate, WorkerPool } from '../../../../shared/optimize/coordinator/index.ts'
import { createSweepRunner, planSims } from '../../../../shared/optimize/index.ts'
import type { RobustnessOptions, RobustnessReport, SweepSpec } from '../../../../shared/optimize/index.ts'
import { checkPboShape, CscvMatrix, cscvPbo, PBO_STATS } from '../../../../shared/optimize/robust/pbo.ts'
import { robustnessReport } from '../../../../shared/optimize/robust/report.ts'
import { createRng } from '../../../../shared/random.ts'
import { minuteSeries } from '../helpers.ts'
import { directFactory, memoryStore, newLog, sameRows } from './fixtures.ts'
import type { CallLog } from './fixtures.ts'

// 40 days of 1m bars: 16 blocks of 2 days fit (the default S), so the CSCV has 12,870 splits.
const series = minuteSeries(31, 40 * 1440)
const exec = { ...DEFAULT_EXEC_CONFIG, feeRate: 0.0005, sizing: { kind: 'all-in' as const, feeBufferRate: 0.0005 } }
/** 5 × 3 × 2 × 2 = 60 combos, every one its own simulation (no class keys). */
const rsiSpec: SweepSpec = {
  strategyId: 'rsi',
  grid: { period: [5, 7, 9, 11, 14], oversold: [20, 25, 30], overbought: [70, 80], stopLossRate: [0, 0.02] },
  exec,
}
/** The ensemble (class keys, copied combos): 2 × 3 × 3 = 18 combos. */
const ensembleSpec: SweepSpec = {
  strategyId: 'ensemble',
  baseParams: { 'price-action.window': 60 },
  grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5] },
  exec,
}

/** The plain path: one runner, every candidate re-run with daily returns. */
function plain(s: CandleSeries, spec: SweepSpec, rows: Float64Array, opts: RobustnessOptions = {}): RobustnessReport {
  const runner = createSweepRunner(s, spec)
  return robustnessReport(runner, planSims(runner), rows, opts)
}

function pool(log: CallLog, size = 2): WorkerPool {
  return createWorkerPool({ size, factory: directFactory(log), shareMemory: false })
}

async function sweep(
  p: WorkerPool,
  spec: SweepSpec,
  extra: { store?: CheckpointStore; blockSums?: { pboBlocks?: number; maxSims?: number }; chunkSize?: number; on?: CandleSeries } = {},
): Promise<SweepUpdate> {
  const out = await runCoordinatedSweep(
    { series: extra.on ?? series, spec, chunkSize: extra.chunkSize ?? 8, blockSums: extra.blockSums, checkpointEveryMs: 0 },
    { getPool: () => p, now: () => performance.now(), store: extra.store, wallNow: () => 1_700_000_000_000 },
  )
  if (out.kind !== 'completed') throw new Error(`sweep ${out.kind}`)
  return out.update
}

describe('robustness report on a pool: the same report as the plain re-run path', () => {
  it('block sums from the sweep workers: bit-identical, only the best combo re-run, the CSCV split over the workers', async () => {
    const log = newLog()
    const p = pool(log)
    const u = await sweep(p, rsiSpec, { blockSums: {} })
    expect(u.blockSums).toBeDefined()
    const b = u.blockSums!
    expect(b.blocks).toBe(16)
    expect(b.days).toBe(40)
    expect(Array.from(b.known).every((k) => k === 1)).toBe(true)
    // The sweep's numbers are what CscvMatrix.setColumn keeps of each simulation's daily returns.
    const runner = createSweepRunner(series, rsiSpec)
    const sims = planSims(runner)
    const daily = new Float64Array(sims.simCount * 40)
    runner.runSimsDaily(sims.repOf, new Float64Array(sims.simCount * 13), daily)
    const m = new CscvMatrix(sims.simCount, 40, 16)
    for (let s = 0; s < sims.simCount; s++) m.setColumn(s, daily.subarray(s * 40, (s + 1) * 40))
    expect(sameRows(b.stats, m.stats)).toEqual([])

    const simulatedBefore = log.simulated.length
    const fast = await poolRobustness(p, series, rsiSpec, u)
    const ref = plain(series, rsiSpec, u.rows)
    expect(fast).toStrictEqual(ref)
    expect(ref.pbo.splits).toBe(12_870)
    expect(ref.pbo.columns).toBeGreaterThan(20)
    expect(Number.isFinite(ref.pbo.pbo)).toBe(true)
    // One backtest (the best combo's daily returns), no candidate re-run; one CSCV share per worker.
    expect(log.simulated.slice(simulatedBefore)).toEqual([[ref.best!.combo]])
    expect(log.cscvCalls).toBe(2)
    await p.terminate()
  })

  it('a resumed sweep: the resumed simulations are re-run on the workers (block sums are not checkpointed)', async () => {
    const store = memoryStore()
    const first = await sweep(pool(newLog()), rsiSpec, { store, blockSums: {} })
    // Keep every other chunk of the checkpoint: the resumed sweep runs the rest.
    const id = (await store.listSweeps())[0]!.sweepId
    const half = memoryStore()
    await half.putMeta({ ...(await store.getMeta(id))!, finished: false })
    await half.putChunks((await store.loadChunks(id)).filter((r) => r.chunkIndex % 2 === 0))
    const log = newLog()
    const p = pool(log)
    const u = await sweep(p, rsiSpec, { store: half, blockSums: {} })
    expect(u.progress.resumedCombos).toBeGreaterThan(0)
    const known = Array.from(u.blockSums!.known)
    expect(known).toContain(0)
    expect(known).toContain(1)
    const fast = await poolRobustness(p, series, rsiSpec, u)
    expect(sameRows(u.rows, first.rows)).toEqual([])
    expect(fast).toStrictEqual(plain(series, rsiSpec, first.rows))
    expect(Number.isFinite(fast.pbo.pbo)).toBe(true)
    // Re-run: exactly the candidate columns the sweep had no block sums for (plus the best combo).
    const rerun = log.simulated.flat()
    const missing = u.sims!.repOf.filter((_, s) => known[s] === 0)
    for (const c of rerun) expect(missing.includes(c) || c === fast.best!.combo).toBe(true)
    expect(rerun.length).toBeGreaterThan(1)
    await p.terminate()
  })

  it('a sweep resumed whole (no simulation plan): worker 0 plans, every column is re-run; the ensemble', async () => {
    const store = memoryStore()
    const first = await sweep(pool(newLog()), ensembleSpec, { store, chunkSize: 4 })
    const log = newLog()
    const p = pool(log)
    const u = await sweep(p, ensembleSpec, { store, blockSums: {}, chunkSize: 4 })
    expect(u.sims).toBeUndefined()
    expect(u.blockSums).toBeUndefined()
    expect(log.prepares).toBe(0)
    const fast = await poolRobustness(p, series, ensembleSpec, u)
    expect(log.planSims).toBe(1)
    const ref = plain(series, ensembleSpec, first.rows)
    expect(fast).toStrictEqual(ref)
    expect(ref.simCount).toBeLessThan(18)
    expect(Number.isFinite(ref.pbo.pbo)).toBe(true)
    await p.terminate()
  })

  it('without block sums, with other blocks than the sweep kept, and with a sampled column set', async () => {
    const p = pool(newLog(), 3)
    const none = await sweep(p, rsiSpec)
    expect(none.blockSums).toBeUndefined()
    expect(await poolRobustness(p, series, rsiSpec, none)).toStrictEqual(plain(series, rsiSpec, none.rows))
    const kept = await sweep(p, rsiSpec, { blockSums: { pboBlocks: 8 } })
    expect(kept.blockSums!.blocks).toBe(8)
    for (const opts of [{ pboBlocks: 8 }, { pboBlocks: 12 }, { maxColumns: 9, sampleSeed: 4 }, { pboBlocks: 20 }] as RobustnessOptions[]) {
      const fast = await poolRobustness(p, series, rsiSpec, kept, opts)
      expect(fast).toStrictEqual(plain(series, rsiSpec, kept.rows, opts))
    }
    expect((await poolRobustness(p, series, rsiSpec, kept, { maxColumns: 9 })).pbo.note).toMatch(/random sample/)
    await p.terminate()
  })

  it('too many simulations for the block sums (maxSims), too few days, nothing ranking: as the plain path', async () => {
    const p = pool(newLog())
    const over = await sweep(p, rsiSpec, { blockSums: { maxSims: 10 } })
    expect(over.blockSums).toBeUndefined()
    expect(await poolRobustness(p, series, rsiSpec, over)).toStrictEqual(plain(series, rsiSpec, over.rows))
    const constrained = { ...rsiSpec, constraints: { minTrades: 1e9 } }
    const none = await sweep(p, constrained, { blockSums: {} })
    const r = await poolRobustness(p, series, constrained, none)
    expect(r).toStrictEqual(plain(series, constrained, none.rows))
    expect(r.best).toBeNull()
    // 6 days: 2 blocks at most, no block sums kept, PBO NaN with its reason.
    const short = minuteSeries(32, 6 * 1440)
    const few = await sweep(p, rsiSpec, { blockSums: {}, on: short })
    expect(few.blockSums).toBeUndefined()
    const fr = await poolRobustness(p, short, rsiSpec, few)
    expect(fr).toStrictEqual(plain(short, rsiSpec, few.rows))
    expect(fr.pbo.note).toMatch(/too few/)
    const bad = await runCoordinatedSweep(
      { series, spec: rsiSpec, blockSums: { pboBlocks: 7 } },
      { getPool: () => p, now: () => performance.now() },
    )
    expect(bad.kind).toBe('invalid')
    await p.terminate()
  })

  it('poolCscv: the CSCV shared by any number of workers is cscvPbo, bit for bit', async () => {
    const rng = createRng(17)
    const cols = 30
    const periods = 50
    for (const blocks of [4, 6, 10, 16]) {
      const m = new CscvMatrix(cols, periods, blocks)
      checkPboShape(periods, blocks)
      for (let j = 0; j < cols; j++) {
        const c = Float64Array.from({ length: periods }, () => (rng.next() < 0.3 ? 0 : rng.normal() * 0.01))
        if (j % 7 === 3) c.fill(0.001, 0, 20)
        m.setColumn(j, c)
      }
      const want = cscvPbo(m)
      for (const size of [1, 2, 3, 5]) {
        const p = pool(newLog(), size)
        const got = await poolCscv(p, cols, periods, blocks, m.stats.slice())
        expect(got).toStrictEqual(want)
        await p.terminate()
      }
    }
    expect(PBO_STATS).toBe(3)
  })
})
