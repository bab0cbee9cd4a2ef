import { describe, it, expect } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { comboAt, validateSweep } from '../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'

const base = { strategyId: 'ensemble', exec: DEFAULT_EXEC_CONFIG } as const

function errorsOf(spec: SweepSpec): string[] {
  const v = validateSweep(spec)
  return v.ok ? [] : v.errors
}

describe('validateSweep', () => {
  it('plans strategy and exec dims in spec order, last key fastest', () => {
    const v = validateSweep({
      ...base,
      baseParams: { 'momentum.period': 7 },
      grid: { 'w.trend': [0, 1], threshold: { min: 0.05, max: 0.15, step: 0.05 }, stopLossRate: [0, 0.01], orderType: ['market', 'limit'] },
    })
    if (!v.ok) throw new Error(v.errors.join('; '))
    const plan = v.plan
    expect(plan.comboCount).toBe(2 * 3 * 2 * 2)
    expect(plan.dims.map((d) => [d.name, d.target])).toEqual([
      ['w.trend', 'strategy'],
      ['threshold', 'strategy'],
      ['stopLossRate', 'exec'],
      ['orderType', 'exec'],
    ])
    const c = comboAt(plan, 1 * 12 + 2 * 4 + 1 * 2 + 1)
    expect(c.values).toEqual({ 'w.trend': 1, threshold: 0.15, stopLossRate: 0.01, orderType: 'limit' })
    expect(c.params['momentum.period']).toBe(7)
    expect(c.params.threshold).toBe(0.15)
    expect(c.exec.stopLossRate).toBe(0.01)
    expect(c.exec.orderType).toBe('limit')
    expect(c.exec.feeRate).toBe(DEFAULT_EXEC_CONFIG.feeRate)
  })

  it('gives clear errors', () => {
    expect(errorsOf({ ...base, strategyId: 'nope', grid: {} })[0]).toMatch(/unknown strategy 'nope'/)
    expect(errorsOf({ ...base, grid: { period: [1] } })[0]).toMatch(/grid.period: not a parameter of 'ensemble'/)
    expect(errorsOf({ ...base, grid: { threshold: [0.9] } })[0]).toMatch(/grid.threshold: 0.9 is outside \[0.05, 0.5\]/)
    expect(errorsOf({ ...base, grid: { 'momentum.period': [2.5] } })[0]).toMatch(/must be an integer/)
    expect(errorsOf({ ...base, grid: { orderType: ['stop'] } })[0]).toMatch(/orderType: must be one of market, limit/)
    expect(errorsOf({ ...base, grid: { stopLossRate: [0, 1.2] } })[0]).toMatch(/stopLossRate/)
    expect(errorsOf({ ...base, grid: { 'sizing.notionalQuote': [10000] } })[0]).toMatch(/not a field of the base sizing 'all-in'/)
    expect(errorsOf({ ...base, grid: { threshold: [] } })[0]).toMatch(/no values/)
    expect(errorsOf({ ...base, grid: { threshold: [0.1, 0.1] } })[0]).toMatch(/duplicate values/)
    expect(errorsOf({ ...base, grid: {}, objective: 'alpha' as never })[0]).toMatch(/objective must be one of/)
    expect(errorsOf({ ...base, grid: {}, fromBar: 10, toBar: 5 })[0]).toMatch(/toBar 5 must be > fromBar 10/)
    expect(errorsOf({ ...base, grid: { '12': [1] } })[0]).toMatch(/integer-like/)
  })

  it('an empty grid is one combo (the base params)', () => {
    const v = validateSweep({ ...base, grid: {} })
    expect(v.ok && v.plan.comboCount).toBe(1)
  })
})
