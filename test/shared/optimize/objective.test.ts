import { describe, it, expect } from 'vitest'
import { METRIC_COUNT, METRIC_INDEX } from '../../../shared/metrics/types.ts'
import { bestCombos, checkConstraints, rankRows } from '../../../shared/optimize/objective.ts'

function rows(list: Partial<Record<keyof typeof METRIC_INDEX, number>>[]): Float64Array {
  const out = new Float64Array(list.length * METRIC_COUNT)
  list.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) out[i * METRIC_COUNT + METRIC_INDEX[k as keyof typeof METRIC_INDEX]] = v
  })
  return out
}

describe('rankRows', () => {
  it('sorts by objective, drops NaN, keeps ties in index order, Infinity first', () => {
    const r = rows([
      { sharpe: 1, trades: 5 },
      { sharpe: NaN, trades: 5 },
      { sharpe: 2, trades: 5 },
      { sharpe: 1, trades: 5 },
      { sharpe: Infinity, trades: 5 },
      { sharpe: -Infinity, trades: 5 },
    ])
    expect(Array.from(rankRows(r, 6))).toEqual([4, 2, 0, 3, 5])
  })
  it('applies constraints', () => {
    const r = rows([
      { profitFactor: Infinity, trades: 1, maxDrawdown: -0.01 },
      { profitFactor: 2, trades: 10, maxDrawdown: -0.5 },
      { profitFactor: 1.5, trades: 10, maxDrawdown: -0.1 },
    ])
    const best = bestCombos(r, 3, 5, { objective: 'profitFactor', constraints: { minTrades: 3, maxDrawdown: -0.3 }, firstCombo: 100 })
    expect(best).toEqual([{ combo: 102, score: 1.5 }])
    const byMin = rankRows(r, 3, { objective: 'profitFactor', constraints: { min: { trades: 2 } } })
    expect(Array.from(byMin)).toEqual([1, 2])
  })
  it('checks constraints objects', () => {
    expect(checkConstraints({ minTrades: 3 })).toEqual([])
    expect(checkConstraints({ maxDrawdown: 0.3 })[0]).toMatch(/negative/)
    expect(checkConstraints({ min: { nope: 1 } })[0]).toMatch(/unknown metric 'nope'/)
    expect(checkConstraints({ foo: 1 })[0]).toMatch(/unknown key 'foo'/)
  })
})
