// The results table shared by the CSV and the JSON: one row per finished combo (combo index, its
// grid values as written in the spec, the 13 metrics in METRIC_NAMES order).
import { METRIC_COUNT, METRIC_INDEX, METRIC_NAMES } from '../../metrics/types.ts'
import { decodeCombo } from '../grid.ts'
import type { SweepPlan } from '../validate.ts'

export function resultColumns(plan: SweepPlan): string[] {
  return ['combo', ...plan.dims.map((d) => d.name), ...METRIC_NAMES]
}

/** A finished row always has a trade count (0 included); rows a sweep has not run yet are all NaN. */
function isFinishedRow(rows: Float64Array, combo: number): boolean {
  return !Number.isNaN(rows[combo * METRIC_COUNT + METRIC_INDEX.trades])
}

/** Visits every finished combo with its grid values (one array reused; no params or exec built). */
export function forEachResultRow(
  plan: SweepPlan,
  rows: Float64Array,
  visit: (combo: number, values: readonly (number | string)[]) => void,
): void {
  const digits = new Int32Array(plan.dims.length)
  const values: (number | string)[] = new Array(plan.dims.length)
  for (let c = 0; c < plan.comboCount; c++) {
    if (!isFinishedRow(rows, c)) continue
    decodeCombo(plan.sizes, c, digits)
    for (let i = 0; i < plan.dims.length; i++) values[i] = plan.dims[i]!.values[digits[i]!]!
    visit(c, values)
  }
}
