// What an optimize cell's run produces, and the evidence read from it: the verdict on the sweep's
// pick (from the robustness report and the out-of-sample check), each row's out-of-sample
// figures, and the JSON of the check for the export. Pure: the run (sweeps.svelte.ts) fills it.
import { METRIC_COUNT, METRIC_INDEX } from '../../../../shared/metrics/types.ts'
import { comboAt, jsonValue } from '../../../../shared/optimize/index.ts'
import type {
  RobustnessReport,
  SweepPlan,
  SweepProgress,
  SweepSpec,
  WalkForwardResult,
  WindowBounds,
} from '../../../../shared/optimize/index.ts'
import type { SeriesValue } from '../types.ts'
import type { SweepLabel } from './label.ts'
import type { Validation } from './params.ts'
import type { TopCombos } from './table.ts'
import { verdictOf, type Verdict } from './verdict.ts'

export type ValidationOutput =
  | {
      readonly kind: 'holdout'
      readonly window: WindowBounds
      /** Every combo's metrics on the test bars (a second sweep over them), comboCount × METRIC_COUNT. */
      readonly oosRows: Float64Array
      /** The in-sample best run on the test bars. */
      readonly result: WalkForwardResult
    }
  | {
      readonly kind: 'walkForward'
      readonly windows: readonly WindowBounds[]
      /** Each window's in-sample best on its test bars, stitched. */
      readonly result: WalkForwardResult
    }

export interface OptimizeOutput {
  readonly cellId: string
  readonly label: SweepLabel
  readonly labelText: string
  readonly source: SeriesValue
  /** The sweep of the table: the whole series, or the holdout's train bars. */
  readonly spec: SweepSpec
  readonly plan: SweepPlan
  readonly sweepId: string
  /** comboCount × METRIC_COUNT. */
  readonly rows: Float64Array
  readonly top: TopCombos
  readonly progress: SweepProgress
  readonly workers: number
  readonly sharing: string
  readonly robustness: RobustnessReport | null
  readonly robustnessError: string | null
  readonly validation: ValidationOutput | null
  readonly verdict: Verdict
  /** Things the run wants the user to know (a refused checkpoint, a cached report). */
  readonly notes: readonly string[]
}

/** Return and Sharpe out of sample for a combo: its own (holdout) or the procedure's (walk-forward). */
export function oosOf(v: ValidationOutput | null, combo: number): { readonly totalReturn: number; readonly sharpe: number } | null {
  if (v === null) return null
  if (v.kind === 'walkForward') return { totalReturn: v.result.metrics.totalReturn, sharpe: v.result.metrics.sharpe }
  const off = combo * METRIC_COUNT
  return { totalReturn: v.oosRows[off + METRIC_INDEX.totalReturn]!, sharpe: v.oosRows[off + METRIC_INDEX.sharpe]! }
}

/** The sweep's verdict: its best combo against the rules of verdict.ts. */
export function sweepVerdict(
  report: RobustnessReport | null,
  reportError: string | null,
  ranked: number,
  v: ValidationOutput | null,
): Verdict {
  if (report === null)
    return {
      kind: 'not enough data',
      reasons: [reportError === null ? 'no robustness report' : `the robustness report failed: ${reportError}`],
    }
  if (report.best === null) return { kind: 'not enough data', reasons: [report.note ?? 'no combo ranks'] }
  return verdictOf({
    candidates: ranked,
    pbo: report.pbo.pbo,
    dsrProbability: report.dsr.dsr,
    plateau: report.plateau,
    oosSharpe: v === null ? null : v.result.metrics.sharpe,
  })
}

/** The check's JSON for the export: the CLI's validation shape (NaN → null, ±∞ → strings), plus the verdict. */
export function validationJson(settings: Validation, out: Pick<OptimizeOutput, 'validation' | 'plan' | 'verdict'>): unknown {
  const v = out.validation
  const base = { ...settings, verdict: out.verdict }
  if (v === null) return jsonValue(base)
  return jsonValue({
    ...base,
    windows: v.result.windows.map((w) => ({
      ...w.bounds,
      chosen: w.chosen === null ? null : { combo: w.chosen.index, values: w.chosen.values },
      trainScore: w.trainScore,
      distinctTrials: w.distinctTrials,
      testMetrics: w.testMetrics,
    })),
    testBars: v.result.equity.length,
    finalEquity: v.result.equity.length > 0 ? v.result.equity[v.result.equity.length - 1]! : Number.NaN,
    metrics: v.result.metrics,
  })
}

/** The combo's values as the grid names them ("w.trend=0.5 threshold=0.2"). */
export const comboText = (plan: SweepPlan, combo: number): string =>
  Object.entries(comboAt(plan, combo).values)
    .map(([k, x]) => `${k}=${x}`)
    .join(' ')
