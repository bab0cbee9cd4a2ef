import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { METRIC_COUNT, METRIC_INDEX, METRIC_NAMES } from '../../../../shared/metrics/types.ts'
import { bestCombos, comboAt, planSweep, runSweep, sweepRobustness } from '../../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import { collectText, jsonNumber, jsonValue, resultsHead, writeResultsJson } from '../../../../shared/optimize/results/index.ts'
import type { ResultsDocument } from '../../../../shared/optimize/results/index.ts'
import { minuteSeries } from '../helpers.ts'

const spec: SweepSpec = {
  strategyId: 'rsi',
  grid: { period: [5, 9], oversold: [25, 30], orderType: ['market', 'limit'] },
  exec: DEFAULT_EXEC_CONFIG,
}
const series = minuteSeries(3, 3000)

function documentOf(rows: Float64Array): ResultsDocument {
  const plan = planSweep(spec)
  return {
    plan,
    spec,
    rows,
    data: { kind: 'test' },
    bars: series.close.length,
    simulated: 8,
    elapsedMs: 12.5,
    workers: 2,
    top: bestCombos(rows, plan.comboCount, 3, { objective: plan.objective }),
    robustness: sweepRobustness(series, spec, rows),
    sweepId: 'sw1-0123456789abcdef',
  }
}

const text = (doc: ResultsDocument): string => collectText((sink) => writeResultsJson(sink, doc)).join('')

describe('results JSON', () => {
  it('is JSON.stringify(document, null, 1) byte for byte, written row by row', () => {
    const doc = documentOf(runSweep(series, spec).rows)
    const whole = { ...resultsHead(doc), rows: [] as unknown[] }
    for (let c = 0; c < 8; c++) {
      const values = comboAt(doc.plan, c).values
      whole.rows.push([
        c,
        ...doc.plan.dims.map((d) => values[d.name]),
        ...Array.from(doc.rows.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT), jsonNumber),
      ])
    }
    expect(text(doc)).toBe(`${JSON.stringify(whole, null, 1)}\n`)
  })

  it('is valid JSON with NaN as null and ±Infinity as strings, robustness report included', () => {
    const rows = runSweep(series, spec).rows
    rows[1 * METRIC_COUNT + METRIC_INDEX.profitFactor] = Infinity
    rows[2 * METRIC_COUNT + METRIC_INDEX.calmar] = -Infinity
    rows[3 * METRIC_COUNT + METRIC_INDEX.sharpe] = NaN
    const t = text(documentOf(rows))
    // Only quoted: a bare NaN or Infinity is not JSON.
    expect(t).not.toMatch(/\bNaN\b|(^|[\s,:[])-?Infinity/m)
    const json = JSON.parse(t)
    expect(Object.keys(json)).toEqual([
      'engineVersion',
      'sweepId',
      'strategy',
      'spec',
      'data',
      'bars',
      'comboCount',
      'simulated',
      'copied',
      'elapsedMs',
      'workers',
      'objective',
      'top',
      'robustness',
      'columns',
      'rows',
    ])
    expect(json.columns).toEqual(['combo', 'period', 'oversold', 'orderType', ...METRIC_NAMES])
    expect(json.rows[1][4 + METRIC_INDEX.profitFactor]).toBe('Infinity')
    expect(json.rows[2][4 + METRIC_INDEX.calmar]).toBe('-Infinity')
    expect(json.rows[3][4 + METRIC_INDEX.sharpe]).toBeNull()
    expect(json).toMatchObject({ comboCount: 8, simulated: 8, copied: 0, sweepId: 'sw1-0123456789abcdef', strategy: { id: 'rsi' } })
    expect(Object.keys(json.robustness)).toEqual([
      'best',
      'objective',
      'comboCount',
      'simCount',
      'dsr',
      'pbo',
      'plateau',
      ...(json.robustness.note ? ['note'] : []),
    ])
    expect(Object.keys(json.top[0])).toEqual(['combo', 'score', 'values', 'params'])
  })

  it('an empty table and unknown counts stay valid JSON', () => {
    const doc = { ...documentOf(new Float64Array(8 * METRIC_COUNT).fill(NaN)), simulated: NaN, robustness: null, top: [] }
    const json = JSON.parse(text(doc))
    expect(json.rows).toEqual([])
    expect(json.simulated).toBeNull()
    expect(json.robustness).toBeNull()
    expect(jsonValue({ a: [NaN, Infinity, -Infinity, 1], f: Float64Array.of(NaN) })).toEqual({
      a: [null, 'Infinity', '-Infinity', 1],
      f: [null],
    })
  })
})
