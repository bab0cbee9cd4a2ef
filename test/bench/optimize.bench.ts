// Optimizer figures (not pass/fail). Data: the lab's BENCH_SOURCE, 129,600 synthetic 1m bars
// (KRW-BTC preset); --quick uses the first 43,200. Exec: fee 0.05%, all-in, Sharpe.
// W1 = seed-000 ensemble, weights {0, 0.5, 1}^6 × threshold 0.05..0.50 step 0.05 (7,290 combos).
// W2 = rsi period 5..30 × oversold 20..40 step 2 × overbought 60..80 step 2 × stop-loss {0,1,2,3%}
//      (12,584 combos; --quick: period 5..10).
// Cold / warm (README "Cold and warm"):
//   cold = nothing reused: a new pool (threads started, modules loaded) or, for 1thread, a new
//          runner with an empty series cache, first run in this process (JIT cold);
//   warm = the same pool / series cache after one sweep of the same spec on the same series:
//          workers alive, JIT warm, member signals and RSI arrays cached. W1: best of 5.
// Keys:
//   optimize.w1.cold.ms.1thread / .warm.ms.1thread    whole planned sweep on this thread
//   optimize.w1.cold.ms.2workers                      pool start + first sweep
//   optimize.w1.warm.ms.2workers                      a repeated sweep on that pool
//   optimize.w1.warm.planMs.2workers                  of which: prepare + class keys + merge
//   optimize.w1.distinctBacktests                     distinct simulations (global, all workers)
//   optimize.w1.distinctSignals                       distinct signal classes
//   optimize.w1.warm.cacheBuilds.2workers             cache entries built in a warm sweep (0 = warm)
//   optimize.w2.nsPerBarCombo.1thread                 warm wall ns / (bars × combos), one thread
//   optimize.w2.nsPerBarCombo.2workers                warm wall ns / (bars × combos), 2 workers
//   optimize.w2.nsPerBarComboPerThread.2workers       the same × 2 (what the ≤ 4 ns target reads)
//   optimize.w2.parallelEfficiency                    1thread time / (2 × 2workers time)
//   optimize.w2.cpuEfficiency.2workers                process CPU time / (2 × wall) during the
//                                                     2-worker run (< 1 when threads wait)
// Robustness report (measured after all of the above, on the same warm pool):
//   optimize.w2.warm.ms.2workers                      W2 sweep, best of 2 (alternating with:)
//   optimize.w2.blockSums.ms.2workers                 W2 sweep keeping each simulation's CSCV block
//                                                     sums (what the CLI and the lab run), best of 2
//   optimize.w2.blockSums.overhead                    blockSums ms / warm ms − 1
//   optimize.w2.robustness.ms.2workers                the report after that sweep (best of 2): the
//                                                     best combo re-run + the exact CSCV, 12,870
//                                                     splits × every candidate, shared by 2 workers
//   optimize.w2.robustness.columns                    its CSCV columns (candidates)
//   optimize.w1.blockSums.ms.2workers                 W1 sweep keeping block sums, best of 5
//   optimize.w1.robustness.ms.2workers                the W1 report after it, best of 5
import { createNodeSweepPool } from '../../edge/optimize/pool.ts'
import type { PoolRunResult } from '../../edge/optimize/pool.ts'
import { buildSeries } from '../../lab/optimizer/data-source.ts'
import { BENCH_SOURCE, W1_SPEC, W2_SPEC } from '../../lab/optimizer/workloads.ts'
import { packCandles, runPlannedSweep, SeriesCache, unpackCandles } from '../../shared/optimize/index.ts'
import type { RobustnessReport, SweepSpec } from '../../shared/optimize/index.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'

export { W1_SPEC, W2_SPEC }

function oneThread(series: CandleSeries, spec: SweepSpec, cache?: SeriesCache): { ms: number; simulated: number; distinctSignals: number } {
  const t0 = performance.now()
  const res = runPlannedSweep(series, spec, { cache })
  return { ms: performance.now() - t0, simulated: res.stats.simulated, distinctSignals: res.stats.distinctSignals }
}

function bestOf<T extends { ms: number }>(k: number, f: () => T): T {
  let best: T | undefined
  for (let i = 0; i < k; i++) {
    const r = f()
    if (best === undefined || r.ms < best.ms) best = r
  }
  return best!
}

async function bestReport(k: number, f: () => Promise<RobustnessReport>): Promise<{ ms: number; columns: number }> {
  let best = { ms: Infinity, columns: NaN }
  for (let i = 0; i < k; i++) {
    const t0 = performance.now()
    const r = await f()
    const ms = performance.now() - t0
    if (ms < best.ms) best = { ms, columns: r.pbo.columns }
  }
  return best
}

export const bench = {
  name: 'optimize',
  run: async (args: { quick: boolean }): Promise<Record<string, number>> => {
    const built = buildSeries(args.quick ? { ...BENCH_SOURCE, bars: 43_200 } : BENCH_SOURCE)
    if (!built.ok) throw new Error(built.error)
    // In a SharedArrayBuffer, as the pool's workers read it, so both sides read the same memory.
    const series = unpackCandles(packCandles(built.series, true))
    const bars = series.close.length
    const out: Record<string, number> = {}

    const cold1 = oneThread(series, W1_SPEC)
    const cache = new SeriesCache(series)
    oneThread(series, W1_SPEC, cache)
    const warm1 = bestOf(5, () => oneThread(series, W1_SPEC, cache))
    out['optimize.w1.cold.ms.1thread'] = cold1.ms
    out['optimize.w1.warm.ms.1thread'] = warm1.ms
    out['optimize.w1.distinctBacktests'] = warm1.simulated
    out['optimize.w1.distinctSignals'] = warm1.distinctSignals

    const t0 = performance.now()
    const pool = await createNodeSweepPool(2)
    try {
      await pool.run(series, W1_SPEC)
      out['optimize.w1.cold.ms.2workers'] = performance.now() - t0
      let best = { elapsedMs: Infinity, planMs: NaN, cacheBuilds: NaN }
      for (let i = 0; i < 5; i++) {
        const r = await pool.run(series, W1_SPEC)
        if (r.elapsedMs < best.elapsedMs) best = r
      }
      out['optimize.w1.warm.ms.2workers'] = best.elapsedMs
      out['optimize.w1.warm.planMs.2workers'] = best.planMs
      out['optimize.w1.warm.cacheBuilds.2workers'] = best.cacheBuilds

      const spec: SweepSpec = args.quick ? { ...W2_SPEC, grid: { ...W2_SPEC.grid, period: { min: 5, max: 10, step: 1 } } } : W2_SPEC
      // Warm both sides first (RSI per period cached, JIT warm), then time once each.
      oneThread(series, spec, cache)
      await pool.run(series, spec)
      const w2one = oneThread(series, spec, cache)
      const cpu0 = process.cpuUsage()
      const w2two = await pool.run(series, spec)
      const cpu = process.cpuUsage(cpu0)
      const combos = w2two.rows.length / 13
      out['optimize.w2.combos'] = combos
      out['optimize.w2.nsPerBarCombo.1thread'] = (w2one.ms * 1e6) / (bars * combos)
      out['optimize.w2.nsPerBarCombo.2workers'] = (w2two.elapsedMs * 1e6) / (bars * combos)
      out['optimize.w2.nsPerBarComboPerThread.2workers'] = (2 * w2two.elapsedMs * 1e6) / (bars * combos)
      out['optimize.w2.parallelEfficiency'] = w2one.ms / (2 * w2two.elapsedMs)
      out['optimize.w2.cpuEfficiency.2workers'] = (cpu.user + cpu.system) / 1000 / (2 * w2two.elapsedMs)

      // The robustness report: sweeps with and without block sums alternate (the VM drifts).
      let plainMs = Infinity
      let blocksMs = Infinity
      let kept: PoolRunResult | undefined
      for (let i = 0; i < 2; i++) {
        plainMs = Math.min(plainMs, (await pool.run(series, spec)).elapsedMs)
        const r = await pool.run(series, spec, { blockSums: {} })
        if (r.elapsedMs < blocksMs) blocksMs = r.elapsedMs
        kept = r
      }
      out['optimize.w2.warm.ms.2workers'] = plainMs
      out['optimize.w2.blockSums.ms.2workers'] = blocksMs
      out['optimize.w2.blockSums.overhead'] = blocksMs / plainMs - 1
      const w2report = await bestReport(2, () => pool.robustness(series, spec, kept!))
      out['optimize.w2.robustness.ms.2workers'] = w2report.ms
      out['optimize.w2.robustness.columns'] = w2report.columns

      let w1blocks: PoolRunResult | undefined
      for (let i = 0; i < 5; i++) {
        const r = await pool.run(series, W1_SPEC, { blockSums: {} })
        if (w1blocks === undefined || r.elapsedMs < w1blocks.elapsedMs) w1blocks = r
      }
      out['optimize.w1.blockSums.ms.2workers'] = w1blocks!.elapsedMs
      out['optimize.w1.robustness.ms.2workers'] = (await bestReport(5, () => pool.robustness(series, W1_SPEC, w1blocks!))).ms
    } finally {
      await pool.close()
    }
    out['optimize.bars'] = bars
    return out
  },
}
