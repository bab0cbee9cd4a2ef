// Single-thread run of the pools' globally de-duplicated path (plan classes, build the simulation
// plan, run each distinct simulation once, copy rows): the one-thread baseline of the benches and
// the reference the pools are tested against.
import type { CandleSeries } from '../candles/types.ts'
import { METRIC_COUNT } from '../metrics/types.ts'
import { createSweepRunner } from './runner.ts'
import type { RunnerOptions, SweepRunner } from './runner.ts'
import { buildSimPlan, expandRows, identityClasses, mergeClasses } from './sim-plan.ts'
import type { SimPlan } from './sim-plan.ts'
import type { SweepResult } from './sweep.ts'
import type { SweepSpec } from './validate.ts'

/** The simulation plan of a runner's sweep, its classes computed in this thread. */
export function planSims(runner: SweepRunner): SimPlan {
  const classes = runner.plansClasses
    ? mergeClasses(runner.pointCount, [{ start: 0, ...runner.classKeys(0, runner.pointCount) }])
    : identityClasses(runner.pointCount)
  return buildSimPlan(runner.plan, classes)
}

export function runPlannedSweep(series: CandleSeries, spec: SweepSpec, opts: RunnerOptions = {}): SweepResult & { readonly sims: SimPlan } {
  const runner = createSweepRunner(series, spec, opts)
  const sims = planSims(runner)
  const simRows = new Float64Array(sims.simCount * METRIC_COUNT)
  runner.runSims(sims.repOf, simRows)
  const rows = new Float64Array(sims.comboCount * METRIC_COUNT)
  expandRows(sims, simRows, rows)
  return {
    plan: runner.plan,
    rows,
    sims,
    stats: { simulated: sims.simCount, copied: sims.comboCount - sims.simCount, distinctSignals: sims.classCount },
  }
}
