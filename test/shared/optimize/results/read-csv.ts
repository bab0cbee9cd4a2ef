// A reader of the results CSV as a pandas or spreadsheet user would read it: RFC 4180 cells
// (quotes, doubled quotes), empty metric cells as NaN, then the exact values restored from the
// `status` column (`metric=nan|inf|-inf`).
import { METRIC_NAMES } from '../../../../shared/metrics/types.ts'

export function csvCells(text: string): string[][] {
  const out: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      out.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    out.push(row)
  }
  return out
}

export interface CsvResultRow {
  readonly combo: number
  readonly values: readonly string[]
  readonly metrics: readonly number[]
  readonly status: string
}

export function readResultsCsv(text: string): { header: string[]; rows: CsvResultRow[] } {
  const [header, ...lines] = csvCells(text)
  const dims = header!.length - 2 - METRIC_NAMES.length
  const rows = lines.map((cells) => {
    // What pandas does with a numeric column: an empty cell is NaN.
    const metrics = cells.slice(1 + dims, 1 + dims + METRIC_NAMES.length).map((c) => (c === '' ? NaN : Number(c)))
    const status = cells.at(-1)!
    for (const entry of status === '' ? [] : status.split(' ')) {
      const [name, token] = entry.split('=')
      metrics[METRIC_NAMES.indexOf(name as (typeof METRIC_NAMES)[number])] = token === 'inf' ? Infinity : token === '-inf' ? -Infinity : NaN
    }
    return { combo: Number(cells[0]), values: cells.slice(1, 1 + dims), metrics, status }
  })
  return { header: header!, rows }
}
