// Sweep results as one JSON document, the same shape from the CLI and the lab:
// { engineVersion, sweepId, strategy {id, version}, spec, data, bars, comboCount, simulated,
//   copied, elapsedMs, workers, objective, top: [{ combo, score, values, params }], robustness,
//   validation?, columns, rows }
// JSON has no NaN or Infinity: NaN is written as null, ±Infinity as the strings "Infinity" /
// "-Infinity" (everywhere: rows, top scores, the robustness report). The rows are written one
// at a time; the bytes are those of JSON.stringify(document, null, 1).
import { ENGINE_VERSION } from '../../engine/index.ts'
import { METRIC_COUNT } from '../../metrics/types.ts'
import { comboAt } from '../combo.ts'
import type { RankedCombo } from '../objective.ts'
import type { RobustnessReport } from '../robust/report.ts'
import type { SweepPlan, SweepSpec } from '../validate.ts'
import type { TextSink } from './sink.ts'
import { forEachResultRow, resultColumns } from './table.ts'

/** What a results document is made of (the lab and the CLI fill it from their own runs). */
export interface ResultsDocument {
  readonly plan: SweepPlan
  readonly spec: SweepSpec
  /** comboCount × METRIC_COUNT; rows of combos not run yet (NaN) are left out of the table. */
  readonly rows: Float64Array
  /** Where the candles came from, as the caller describes it (plain JSON). */
  readonly data: unknown
  readonly bars: number
  /** Distinct simulations of the sweep (after global de-duplication); NaN when unknown. */
  readonly simulated: number
  readonly elapsedMs: number
  readonly workers: number
  /** The best combos by the plan's objective and constraints. */
  readonly top: readonly RankedCombo[]
  /** null when not computed (the CLI's --no-robustness, a failed report). */
  readonly robustness: RobustnessReport | null
  /** The CLI's walk-forward / holdout result, already plain JSON. */
  readonly validation?: unknown
  /** The checkpoint identity, when the sweep was checkpointed. */
  readonly sweepId?: string
}

export function jsonNumber(v: number): number | string | null {
  if (Number.isNaN(v)) return null
  if (v === Infinity) return 'Infinity'
  if (v === -Infinity) return '-Infinity'
  return v
}

/** Plain JSON of numbers-with-NaN data: NaN → null, ±Infinity → "Infinity" / "-Infinity". */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'number') return jsonNumber(v)
  if (Array.isArray(v)) return v.map(jsonValue)
  if (v instanceof Float64Array) return Array.from(v, jsonNumber)
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]))
  return v
}

function robustnessJson(r: RobustnessReport): unknown {
  return jsonValue({
    best: r.best,
    objective: r.objective,
    comboCount: r.comboCount,
    simCount: r.simCount,
    dsr: r.dsr,
    pbo: r.pbo,
    plateau: r.plateau,
    ...(r.note ? { note: r.note } : {}),
  })
}

/** The JSON document without its `rows` table. */
export function resultsHead(r: ResultsDocument): Record<string, unknown> {
  return {
    engineVersion: ENGINE_VERSION,
    sweepId: r.sweepId ?? null,
    strategy: { id: r.plan.strategy.id, version: r.plan.strategy.version },
    spec: r.spec,
    data: r.data,
    bars: r.bars,
    comboCount: r.plan.comboCount,
    simulated: jsonNumber(r.simulated),
    copied: jsonNumber(r.plan.comboCount - r.simulated),
    elapsedMs: jsonNumber(r.elapsedMs),
    workers: r.workers,
    objective: r.plan.objective,
    top: r.top.map((t) => {
      const combo = comboAt(r.plan, t.combo)
      return { combo: t.combo, score: jsonNumber(t.score), values: combo.values, params: combo.params }
    }),
    robustness: r.robustness === null ? null : robustnessJson(r.robustness),
    ...(r.validation !== undefined ? { validation: r.validation } : {}),
    columns: resultColumns(r.plan),
  }
}

export function writeResultsJson(sink: TextSink, r: ResultsDocument): void {
  // JSON.stringify(head + rows, null, 1) with the rows (the last key) written one at a time: the
  // head ends in `"rows": []\n}`, and a row at depth 2 is its own stringification indented by two.
  const head = JSON.stringify({ ...resultsHead(r), rows: [] }, null, 1)
  const tail = '[]\n}'
  sink.write(head.slice(0, head.length - tail.length))
  let first = true
  const row: (number | string | null)[] = []
  forEachResultRow(r.plan, r.rows, (c, values) => {
    row.length = 0
    row.push(c, ...values)
    for (let m = 0; m < METRIC_COUNT; m++) row.push(jsonNumber(r.rows[c * METRIC_COUNT + m]!))
    sink.write(`${first ? '[\n' : ',\n'}  ${JSON.stringify(row, null, 1).replace(/\n/g, '\n  ')}`)
    first = false
  })
  sink.write(first ? '[]' : '\n ]')
  sink.write('\n}\n')
}
