import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX, METRIC_NAMES } from '../../../../shared/metrics/types.ts'
import { planSweep } from '../../../../shared/optimize/index.ts'
import { collectText, writeResultsCsv } from '../../../../shared/optimize/results/index.ts'
import { csvCells, readResultsCsv } from './read-csv.ts'

// 2 × 2 = 4 combos: a numeric and a string dimension.
const plan = planSweep({ strategyId: 'rsi', grid: { period: [5, 9], orderType: ['market', 'limit'] }, exec: DEFAULT_EXEC_CONFIG })

function rowsWith(edit: (rows: Float64Array) => void): Float64Array {
  const rows = new Float64Array(4 * METRIC_COUNT).map((_, i) => (i % METRIC_COUNT) + Math.floor(i / METRIC_COUNT) / 8)
  edit(rows)
  return rows
}

const csvOf = (rows: Float64Array): string => collectText((sink) => writeResultsCsv(sink, plan, rows)).join('')

describe('results CSV', () => {
  it('writes non-finite metrics as empty cells named in the status column, and reads back exactly', () => {
    const rows = rowsWith((r) => {
      r[0 * METRIC_COUNT + METRIC_INDEX.sharpe] = NaN
      r[0 * METRIC_COUNT + METRIC_INDEX.sortino] = NaN
      r[1 * METRIC_COUNT + METRIC_INDEX.profitFactor] = Infinity
      r[2 * METRIC_COUNT + METRIC_INDEX.calmar] = -Infinity
      r[3 * METRIC_COUNT + METRIC_INDEX.totalReturn] = -0.125
    })
    const text = csvOf(rows)
    const cells = csvCells(text)
    expect(cells[0]).toEqual(['combo', 'period', 'orderType', ...METRIC_NAMES, 'status'])
    // No cell anywhere is a bare NaN / Infinity word.
    for (const line of cells) for (const c of line) expect(c).not.toMatch(/^[-+]?(nan|inf|infinity)$/i)
    expect(cells[1]!.at(-1)).toBe('sharpe=nan sortino=nan')
    expect(cells[1]![3 + METRIC_INDEX.sharpe]).toBe('')
    expect(cells[2]!.at(-1)).toBe('profitFactor=inf')
    expect(cells[3]!.at(-1)).toBe('calmar=-inf')
    expect(cells[4]!.at(-1)).toBe('')
    const back = readResultsCsv(text)
    expect(back.rows.map((r) => r.combo)).toEqual([0, 1, 2, 3])
    expect(back.rows.map((r) => r.values)).toEqual([
      ['5', 'market'],
      ['5', 'limit'],
      ['9', 'market'],
      ['9', 'limit'],
    ])
    for (const r of back.rows) {
      r.metrics.forEach((v, m) => expect(Object.is(v, rows[r.combo * METRIC_COUNT + m])).toBe(true))
    }
  })

  it('leaves out combos not run yet (a cancelled sweep) and quotes text cells when needed', () => {
    const rows = rowsWith((r) => r.fill(NaN, 2 * METRIC_COUNT, 3 * METRIC_COUNT))
    expect(readResultsCsv(csvOf(rows)).rows.map((r) => r.combo)).toEqual([0, 1, 3])
    expect(csvCells('a,"b,c","say ""hi"""\n')).toEqual([['a', 'b,c', 'say "hi"']])
  })
})
