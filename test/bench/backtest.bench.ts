// Bench: one full backtest of the seed ensemble (six seed-000 signals + ensemble + kernel +
// metrics) per bar, on 129,600 (3 months) and 525,600 (1 year) synthetic 1m bars, plus the kernel
// alone. Keys: backtest.ensemble.<bars>.nsPerBar (signals + kernel + metrics, metrics-only path),
// backtest.ensemble.<bars>.full.nsPerBar (runBacktest with trades and equity curve),
// backtest.kernel.<bars>.nsPerBar (kernel + metrics on precomputed signals),
// backtest.ensemble.<bars>.trades (trades in the run, to show the kernel was busy).
import { backtestMetricsInto, createWorkspace } from '../../shared/backtest/fast.ts'
import { runBacktest } from '../../shared/backtest/run.ts'
import { compileExecConfig } from '../../shared/engine/params.ts'
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../shared/metrics/types.ts'
import { getStrategy } from '../../shared/strategies/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { BenchDef } from './run.ts'

const START_MS = Date.UTC(2025, 0, 1)
const MINUTE = 60_000

function best(reps: number, fn: () => void): number {
  let bestMs = Infinity
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    fn()
    bestMs = Math.min(bestMs, performance.now() - t0)
  }
  return bestMs
}

export const bench: BenchDef = {
  name: 'backtest',
  async run({ quick }) {
    const out: Record<string, number> = {}
    const sizes = quick ? [129_600] : [129_600, 525_600]
    const ensemble = getStrategy('ensemble')
    const params = { threshold: 0.2 }
    const cfg = { ...DEFAULT_EXEC_CONFIG }
    const p = compileExecConfig(cfg)
    const ws = createWorkspace()
    const row = new Float64Array(METRIC_COUNT)
    for (const bars of sizes) {
      const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + bars * MINUTE)
      const n = series.close.length
      const reps = quick ? 5 : 7
      const signals = ensemble.signals(series, params)
      const full = best(reps, () => {
        const s = ensemble.signals(series, params)
        backtestMetricsInto(series, s, p, 0, n, ws, row, 0)
      })
      const kernel = best(reps, () => backtestMetricsInto(series, signals, p, 0, n, ws, row, 0))
      let trades = 0
      const traced = best(3, () => {
        trades = runBacktest(series, ensemble.signals(series, params), cfg).metrics.trades
      })
      out[`backtest.ensemble.${bars}.nsPerBar`] = (full * 1e6) / n
      out[`backtest.ensemble.${bars}.full.nsPerBar`] = (traced * 1e6) / n
      out[`backtest.kernel.${bars}.nsPerBar`] = (kernel * 1e6) / n
      out[`backtest.ensemble.${bars}.trades`] = trades
      out[`backtest.ensemble.${bars}.bars`] = n
      void row[METRIC_INDEX.sharpe]
    }
    return out
  },
}
