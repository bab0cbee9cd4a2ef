// Bench: one full backtest of the seed ensemble (six seed-000 signals + ensemble + kernel +
// metrics) per bar, on 129,600 (3 months) and 525,600 (1 year) synthetic 1m bars, plus the kernel
// alone. Keys: backtest.ensemble.<bars>.nsPerBar (signals + kernel + metrics, metrics-only path),
// backtest.ensemble.<bars>.full.nsPerBar (runBacktest with trades and equity curve),
// backtest.kernel.<bars>.nsPerBar (kernel + metrics on precomputed signals),
// backtest.ensemble.<bars>.trades (trades in the run, to show the kernel was busy),
// backtest.kernel.<bars>.reference.nsPerBar (the same kernel run through the plain per-bar
// reference loop, shared/backtest/reference.ts) and backtest.kernel.<bars>.speedup (reference ÷
// fast: a ratio that can be compared across machines where absolute figures cannot).
// Figures are the best wall time of several runs after 10 untimed warm-up runs.
// The default ensemble (every weight 1, threshold 0.2) flips on most bars: on these bars it makes
// a round trip every ~7 bars (5,359 in its first 36,250 bars) until fees grind the account down to
// the 5,000 KRW minimum, then trades around that minimum with most sell wishes rejected: the
// kernel's worst case. backtest.ensembleTuned.<bars>.* is the
// same measurement for the seed ensemble as its optimizer would tune it: the best-Sharpe combo of
// the seed grid (W1: weights {0, 0.5, 1}^6 × threshold 0.05..0.5) on the same bars.
import { backtestMetricsInto, createWorkspace } from '../../shared/backtest/fast.ts'
import { simulateReference } from '../../shared/backtest/reference.ts'
import { runBacktest } from '../../shared/backtest/run.ts'
import { compileExecConfig } from '../../shared/engine/params.ts'
import { UPBIT_KRW_RULES } from '../../shared/upbit/venue-rules.ts'
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../shared/metrics/types.ts'
import { bestCombos, comboAt, runPlannedSweep } from '../../shared/optimize/index.ts'
import { getStrategy } from '../../shared/strategies/index.ts'
import { W1_SPEC } from '../../lab/optimizer/workloads.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { BenchDef } from './run.ts'
import { bestWallMs } from './timing.ts'

const START_MS = Date.UTC(2025, 0, 1)
const MINUTE = 60_000

/** Untimed runs first, so the JIT has optimized the loop (the first ~10 runs of a backtest are
 * up to 10× slower while V8 tiers up and collects feedback). */
const WARMUP_RUNS = 10

const bestMs = (reps: number, fn: () => void): number => bestWallMs(reps, fn, WARMUP_RUNS)

export const bench: BenchDef = {
  name: 'backtest',
  async run({ quick }) {
    const out: Record<string, number> = {}
    const sizes = quick ? [129_600] : [129_600, 525_600]
    const ensemble = getStrategy('ensemble')
    const params = { threshold: 0.2 }
    const cfg = { ...DEFAULT_EXEC_CONFIG }
    const p = compileExecConfig(cfg, UPBIT_KRW_RULES)
    const ws = createWorkspace()
    const row = new Float64Array(METRIC_COUNT)
    for (const bars of sizes) {
      const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + bars * MINUTE)
      const n = series.close.length
      const reps = quick ? 10 : 20
      const signals = ensemble.signals(series, params)
      const full = bestMs(reps, () => {
        const s = ensemble.signals(series, params)
        backtestMetricsInto(series, s, p, 0, n, ws, row, 0)
      })
      // Timed apart, not in alternation with the reference (as strategies.bench.ts does for the
      // fused signals): run between reference runs the kernel measured 17–25 % slower, the
      // reference unchanged, so alternation would misreport the fast path itself.
      const kernel = bestMs(reps, () => backtestMetricsInto(series, signals, p, 0, n, ws, row, 0))
      const reference = bestMs(Math.ceil(reps / 2), () => {
        ws.state.reset(p.initialCash, null)
        simulateReference(series, signals, p, 0, n, ws.state, ws.acc, null)
        ws.acc.finish(ws.state, series.close[0]!, series.close[n - 1]!, row, 0)
      })
      let trades = 0
      const traced = bestMs(5, () => {
        trades = runBacktest(series, ensemble.signals(series, params), cfg).metrics.trades
      })
      out[`backtest.ensemble.${bars}.nsPerBar`] = (full * 1e6) / n
      out[`backtest.ensemble.${bars}.full.nsPerBar`] = (traced * 1e6) / n
      out[`backtest.kernel.${bars}.nsPerBar`] = (kernel * 1e6) / n
      out[`backtest.kernel.${bars}.reference.nsPerBar`] = (reference * 1e6) / n
      out[`backtest.kernel.${bars}.speedup`] = reference / kernel
      out[`backtest.ensemble.${bars}.trades`] = trades
      out[`backtest.ensemble.${bars}.bars`] = n

      const sweep = runPlannedSweep(series, W1_SPEC)
      const top = bestCombos(sweep.rows, sweep.plan.comboCount, 1, { objective: 'sharpe' })[0]!
      const tuned = comboAt(sweep.plan, top.combo)
      const tunedParams = tuned.params
      const tunedP = compileExecConfig(tuned.exec, UPBIT_KRW_RULES)
      const tunedMs = bestMs(reps, () => {
        const s = ensemble.signals(series, tunedParams)
        backtestMetricsInto(series, s, tunedP, 0, n, ws, row, 0)
      })
      process.stdout.write(
        `  (tuned ensemble on ${bars} bars: ${JSON.stringify(tunedParams)}, sharpe ${row[METRIC_INDEX.sharpe]!.toFixed(2)})\n`,
      )
      out[`backtest.ensembleTuned.${bars}.nsPerBar`] = (tunedMs * 1e6) / n
      out[`backtest.ensembleTuned.${bars}.trades`] = row[METRIC_INDEX.trades]!
    }
    return out
  },
}
