// Single-thread convenience: run a whole sweep with one runner (tests, walk-forward windows,
// small grids). Workers use createSweepRunner + runRange on chunks instead.
import type { CandleSeries } from '../candles/types.ts'
import { METRIC_COUNT } from '../metrics/types.ts'
import { createSweepRunner } from './runner.ts'
import type { RunnerOptions, RunnerStats } from './runner.ts'
import type { SweepPlan, SweepSpec } from './validate.ts'

export interface SweepResult {
  readonly plan: SweepPlan
  /** comboCount × METRIC_COUNT metrics, row i = combo i. */
  readonly rows: Float64Array
  readonly stats: RunnerStats
}

export function runSweep(series: CandleSeries, spec: SweepSpec, opts: RunnerOptions = {}): SweepResult {
  const runner = createSweepRunner(series, spec, opts)
  const rows = new Float64Array(runner.comboCount * METRIC_COUNT)
  runner.runRange(0, runner.comboCount, rows)
  return { plan: runner.plan, rows, stats: runner.stats() }
}
