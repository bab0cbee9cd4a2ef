// Turning a sweep's metric rows into what people read and download: the top-N table (ranked by
// the spec's objective and constraints, unfinished combos excluded) and CSV / JSON exports.
import { METRIC_COUNT, METRIC_INDEX, METRIC_NAMES, metricsFromRow } from '../../shared/metrics/types.ts'
import type { Metrics } from '../../shared/metrics/types.ts'
import { bestCombos, comboAt } from '../../shared/optimize/index.ts'
import type { SweepPlan } from '../../shared/optimize/index.ts'

export interface TopRow {
  readonly rank: number
  readonly combo: number
  /** Grid key → value of this combo. */
  readonly values: Readonly<Record<string, number | string>>
  readonly metrics: Metrics
}

export function topRows(plan: SweepPlan, rows: Float64Array, n: number): TopRow[] {
  return bestCombos(rows, plan.comboCount, n, { objective: plan.objective, constraints: plan.constraints }).map((b, i) => ({
    rank: i + 1,
    combo: b.combo,
    values: comboAt(plan, b.combo).values,
    metrics: metricsFromRow(rows, b.combo * METRIC_COUNT),
  }))
}

/** A finished row always has a trade count (0 included); unfinished rows are all NaN. */
export function isFinishedRow(rows: Float64Array, combo: number): boolean {
  return !Number.isNaN(rows[combo * METRIC_COUNT + METRIC_INDEX.trades])
}

function csvCell(v: number | string): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** One line per finished combo: combo, grid values, metrics (NaN / Infinity written as such). */
export function rowsToCsv(plan: SweepPlan, rows: Float64Array): string {
  const dimNames = plan.dims.map((d) => d.name)
  const lines = [['combo', ...dimNames, ...METRIC_NAMES].map(csvCell).join(',')]
  for (let c = 0; c < plan.comboCount; c++) {
    if (!isFinishedRow(rows, c)) continue
    const vals = comboAt(plan, c).values
    const cells: (number | string)[] = [c, ...dimNames.map((n) => vals[n]!)]
    for (let m = 0; m < METRIC_COUNT; m++) cells.push(rows[c * METRIC_COUNT + m]!)
    lines.push(cells.map(csvCell).join(','))
  }
  return lines.join('\n') + '\n'
}

/** JSON has no NaN/Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v)
}

export function rowsToJson(plan: SweepPlan, rows: Float64Array, meta: { readonly sweepId: string; readonly request: unknown }): string {
  const results: unknown[] = []
  for (let c = 0; c < plan.comboCount; c++) {
    if (!isFinishedRow(rows, c)) continue
    const metrics: Record<string, number | string> = {}
    METRIC_NAMES.forEach((name, m) => (metrics[name] = jsonNumber(rows[c * METRIC_COUNT + m]!)))
    results.push({ combo: c, values: comboAt(plan, c).values, metrics })
  }
  return JSON.stringify(
    {
      sweepId: meta.sweepId,
      request: meta.request,
      strategy: { id: plan.strategy.id, version: plan.strategy.version },
      objective: plan.objective,
      comboCount: plan.comboCount,
      dims: plan.dims.map((d) => ({ name: d.name, values: d.values })),
      results,
    },
    null,
    1,
  )
}
