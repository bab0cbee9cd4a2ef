// Optimizer figures (not pass/fail). Data: 129,600 synthetic 1m bars (90 days, KRW-BTC preset);
// --quick uses 30 days. Exec: DEFAULT_EXEC_CONFIG (fee 0.05%, all-in, limit orders), Sharpe.
// W1 = seed-000 ensemble, weights {0, 0.5, 1}^6 × threshold 0.05..0.50 step 0.05 (7,290 combos).
// W2 = rsi period 5..30 × oversold 20..40 step 2 × overbought 60..80 step 2 × stop-loss {0,1,2,3%}
//      (12,584 combos); skipped (figures absent) while no 'rsi' strategy is registered.
// Keys:
//   optimize.w1.cold.ms.1thread     first sweep in this process: new runner, JIT cold
//   optimize.w1.warm.ms.1thread     a new runner (empty caches) after the JIT warmed up
//   optimize.w1.cold.ms.2workers    start a 2-worker pool (threads + tsx + modules) and sweep
//   optimize.w1.warm.ms.2workers    sweep again on that started pool (each sweep = new runners)
//   optimize.w1.distinctBacktests   kernel runs in one single-thread sweep (rest are row copies)
//   optimize.w1.distinctSignals     distinct signal arrays in that sweep
//   optimize.w2.nsPerBarCombo.1thread   wall ns / (bars × combos), one thread
//   optimize.w2.nsPerBarCombo.2workers  wall ns / (bars × combos), 2 workers (not per thread)
//   optimize.w2.parallelEfficiency  1thread time / (2 × 2workers time)
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/types.ts'
import { createSweepRunner } from '../../shared/optimize/index.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { strategies } from '../../shared/strategies/index.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { createNodeSweepPool, shareSeries } from '../../edge/optimize/pool.ts'

export const W1_SPEC: SweepSpec = {
  strategyId: 'ensemble',
  grid: {
    'w.trend': [0, 0.5, 1],
    'w.momentum': [0, 0.5, 1],
    'w.swing': [0, 0.5, 1],
    'w.scalping': [0, 0.5, 1],
    'w.day': [0, 0.5, 1],
    'w.price-action': [0, 0.5, 1],
    threshold: { min: 0.05, max: 0.5, step: 0.05 },
  },
  exec: DEFAULT_EXEC_CONFIG,
  objective: 'sharpe',
}

export const W2_SPEC: SweepSpec = {
  strategyId: 'rsi',
  grid: {
    period: { min: 5, max: 30, step: 1 },
    oversold: { min: 20, max: 40, step: 2 },
    overbought: { min: 60, max: 80, step: 2 },
    stopLossRate: [0, 0.01, 0.02, 0.03],
  },
  exec: DEFAULT_EXEC_CONFIG,
  objective: 'sharpe',
}

function oneThread(series: CandleSeries, spec: SweepSpec): { ms: number; simulated: number; distinctSignals: number } {
  const t0 = performance.now()
  const runner = createSweepRunner(series, spec)
  const rows = new Float64Array(runner.comboCount * METRIC_COUNT)
  runner.runRange(0, runner.comboCount, rows)
  const ms = performance.now() - t0
  const st = runner.stats()
  return { ms, simulated: st.simulated, distinctSignals: st.distinctSignals }
}

export const bench = {
  name: 'optimize',
  run: async (args: { quick: boolean }): Promise<Record<string, number>> => {
    const days = args.quick ? 30 : 90
    const series = shareSeries(
      generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + days * 86_400_000),
    )
    const bars = series.close.length
    const out: Record<string, number> = {}

    const cold1 = oneThread(series, W1_SPEC)
    const warm1 = oneThread(series, W1_SPEC)
    out['optimize.w1.cold.ms.1thread'] = cold1.ms
    out['optimize.w1.warm.ms.1thread'] = warm1.ms
    out['optimize.w1.distinctBacktests'] = warm1.simulated
    out['optimize.w1.distinctSignals'] = warm1.distinctSignals

    const t0 = performance.now()
    const pool = await createNodeSweepPool(2)
    try {
      await pool.run(series, W1_SPEC)
      out['optimize.w1.cold.ms.2workers'] = performance.now() - t0
      let best = Infinity
      for (let i = 0; i < 3; i++) best = Math.min(best, (await pool.run(series, W1_SPEC)).elapsedMs)
      out['optimize.w1.warm.ms.2workers'] = best

      if (strategies.rsi !== undefined) {
        const spec = args.quick
          ? { ...W2_SPEC, grid: { ...W2_SPEC.grid, period: { min: 5, max: 10, step: 1 } } }
          : W2_SPEC
        const w2one = oneThread(series, spec)
        const combos = createSweepRunner(series, spec).comboCount
        const w2two = await pool.run(series, spec)
        out['optimize.w2.combos'] = combos
        out['optimize.w2.nsPerBarCombo.1thread'] = (w2one.ms * 1e6) / (bars * combos)
        out['optimize.w2.nsPerBarCombo.2workers'] = (w2two.elapsedMs * 1e6) / (bars * combos)
        out['optimize.w2.parallelEfficiency'] = w2one.ms / (2 * w2two.elapsedMs)
      }
    } finally {
      await pool.close()
    }
    out['optimize.bars'] = bars
    return out
  },
}
