// Sweep results as CSV, for pandas and spreadsheets alike: header `combo, <grid keys>, <13
// metrics>, status`, one line per finished combo.
// Non-finite metrics (a Sharpe of a flat curve is NaN, a profit factor without a loss is
// +Infinity) are never written as bare words, which spreadsheets read as text and which turn a
// numeric column into strings: their cell is EMPTY (pandas reads NaN, a spreadsheet a blank) and
// the row's `status` cell names each of them with its value, `metric=nan`, `metric=inf` or
// `metric=-inf`, separated by spaces (e.g. `sharpe=nan profitFactor=inf`). `status` is empty
// when every metric is finite, so a reader can restore the exact values.
import { METRIC_COUNT, METRIC_NAMES } from '../../metrics/types.ts'
import type { SweepPlan } from '../validate.ts'
import type { TextSink } from './sink.ts'
import { forEachResultRow, resultColumns } from './table.ts'

const STATUS_COLUMN = 'status'

function nonFiniteToken(v: number): 'nan' | 'inf' | '-inf' {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
}

function csvText(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

export function writeResultsCsv(sink: TextSink, plan: SweepPlan, rows: Float64Array): void {
  sink.write(`${[...resultColumns(plan), STATUS_COLUMN].map(csvText).join(',')}\n`)
  const cells: string[] = []
  const status: string[] = []
  forEachResultRow(plan, rows, (c, values) => {
    cells.length = 0
    status.length = 0
    cells.push(String(c))
    for (const v of values) cells.push(typeof v === 'number' ? String(v) : csvText(v))
    for (let m = 0; m < METRIC_COUNT; m++) {
      const v = rows[c * METRIC_COUNT + m]!
      if (Number.isFinite(v)) cells.push(String(v))
      else {
        cells.push('')
        status.push(`${METRIC_NAMES[m]}=${nonFiniteToken(v)}`)
      }
    }
    cells.push(status.join(' '))
    sink.write(`${cells.join(',')}\n`)
  })
}
