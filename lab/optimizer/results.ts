// The page's view of a sweep's rows: the best-so-far table (ranked by the spec's objective and
// constraints; unfinished combos never rank) and the downloads, written by the shared results
// writer (shared/optimize/results), so the page's CSV and JSON are the CLI's, robustness report
// included.
import { METRIC_COUNT, metricsFromRow } from '../../shared/metrics/types.ts'
import type { Metrics } from '../../shared/metrics/types.ts'
import { bestCombos, comboAt } from '../../shared/optimize/index.ts'
import type { RankedCombo, SweepPlan } from '../../shared/optimize/index.ts'
import { collectText, writeResultsCsv, writeResultsJson } from '../../shared/optimize/results/index.ts'
import type { ResultsDocument } from '../../shared/optimize/results/index.ts'

export interface TopRow {
  readonly rank: number
  readonly combo: number
  /** Grid key → value of this combo. */
  readonly values: Readonly<Record<string, number | string>>
  readonly metrics: Metrics
}

export function bestOf(plan: SweepPlan, rows: Float64Array, n: number): RankedCombo[] {
  return bestCombos(rows, plan.comboCount, n, { objective: plan.objective, constraints: plan.constraints })
}

export function topRows(plan: SweepPlan, rows: Float64Array, n: number): TopRow[] {
  return bestOf(plan, rows, n).map((b, i) => ({
    rank: i + 1,
    combo: b.combo,
    values: comboAt(plan, b.combo).values,
    metrics: metricsFromRow(rows, b.combo * METRIC_COUNT),
  }))
}

export type ExportKind = 'csv' | 'json'

/** The file's text in pieces (a Blob takes them as they are: no single huge string). */
export function exportParts(kind: ExportKind, doc: ResultsDocument): string[] {
  return collectText((sink) => (kind === 'csv' ? writeResultsCsv(sink, doc.plan, doc.rows) : writeResultsJson(sink, doc)))
}
