// Sweep results as files: one CSV row per combo (combo index, grid values, the 13 metrics in
// METRIC_NAMES order) and a JSON document (spec, counts, top combos, robustness report, the
// walk-forward / holdout validation when run, the same table).
// CSV writes NaN / Infinity / -Infinity literally; JSON (which has no such numbers) writes null
// for NaN and the strings "Infinity" / "-Infinity".
import { writeFileSync } from 'node:fs'
import { ENGINE_VERSION } from '../../shared/engine/index.ts'
import { METRIC_COUNT, METRIC_NAMES } from '../../shared/metrics/types.ts'
import { comboAt } from '../../shared/optimize/index.ts'
import type { RankedCombo, SweepPlan, SweepSpec } from '../../shared/optimize/index.ts'
import type { DataSource } from './config.ts'

export interface SweepReport {
  readonly spec: SweepSpec
  readonly plan: SweepPlan
  readonly data: DataSource
  readonly bars: number
  readonly rows: Float64Array
  readonly simulated: number
  readonly copied: number
  readonly elapsedMs: number
  readonly workers: number
  readonly top: readonly RankedCombo[]
  /** robustnessJson(...) of the report, or null when skipped (--no-robustness). */
  readonly robustness?: unknown
  /** validationJson(...) of the walk-forward / holdout run, when configured. */
  readonly validation?: unknown
}

function csvCell(v: number | string): string {
  if (typeof v === 'number') return String(v)
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

export function jsonNumber(v: number): number | string | null {
  if (Number.isNaN(v)) return null
  if (v === Infinity) return 'Infinity'
  if (v === -Infinity) return '-Infinity'
  return v
}

export function resultColumns(plan: SweepPlan): string[] {
  return ['combo', ...plan.dims.map((d) => d.name), ...METRIC_NAMES]
}

export function resultsCsv(plan: SweepPlan, rows: Float64Array): string {
  const lines = [resultColumns(plan).map(csvCell).join(',')]
  for (let c = 0; c < plan.comboCount; c++) {
    const combo = comboAt(plan, c)
    const cells: (number | string)[] = [c, ...plan.dims.map((d) => combo.values[d.name]!)]
    for (let m = 0; m < METRIC_COUNT; m++) cells.push(rows[c * METRIC_COUNT + m]!)
    lines.push(cells.map(csvCell).join(','))
  }
  return lines.join('\n') + '\n'
}

export function resultsJson(r: SweepReport): unknown {
  const table: (number | string | null)[][] = []
  for (let c = 0; c < r.plan.comboCount; c++) {
    const combo = comboAt(r.plan, c)
    const row: (number | string | null)[] = [c, ...r.plan.dims.map((d) => combo.values[d.name]!)]
    for (let m = 0; m < METRIC_COUNT; m++) row.push(jsonNumber(r.rows[c * METRIC_COUNT + m]!))
    table.push(row)
  }
  return {
    engineVersion: ENGINE_VERSION,
    strategy: { id: r.plan.strategy.id, version: r.plan.strategy.version },
    spec: r.spec,
    data: r.data,
    bars: r.bars,
    comboCount: r.plan.comboCount,
    simulated: r.simulated,
    copied: r.copied,
    elapsedMs: r.elapsedMs,
    workers: r.workers,
    objective: r.plan.objective,
    top: r.top.map((t) => {
      const combo = comboAt(r.plan, t.combo)
      return { combo: t.combo, score: jsonNumber(t.score), values: combo.values, params: combo.params }
    }),
    robustness: r.robustness ?? null,
    ...(r.validation !== undefined ? { validation: r.validation } : {}),
    columns: resultColumns(r.plan),
    rows: table,
  }
}

export function writeResults(prefix: string, r: SweepReport): { csv: string; json: string } {
  const csv = `${prefix}.csv`
  const json = `${prefix}.json`
  writeFileSync(csv, resultsCsv(r.plan, r.rows))
  writeFileSync(json, JSON.stringify(resultsJson(r), null, 1) + '\n')
  return { csv, json }
}
