import { describe, it, expect } from 'vitest'
import { detExp, detExpSmall, detLog } from '../../../shared/synthetic/det-math.ts'

describe('deterministic exp/log', () => {
  it('agree with Math.exp/Math.log to a few ulp', () => {
    let worstExp = 0
    let worstLog = 0
    for (let i = 0; i <= 20_000; i++) {
      const x = -40 + (80 * i) / 20_000
      worstExp = Math.max(worstExp, Math.abs(detExp(x) / Math.exp(x) - 1))
      const y = Math.exp(x) * 1.37
      const ln = Math.log(y)
      worstLog = Math.max(worstLog, Math.abs(detLog(y) - ln) / Math.max(1, Math.abs(ln)))
    }
    expect(worstExp).toBeLessThan(1e-15)
    expect(worstLog).toBeLessThan(1e-15)
  })

  it('handles exact points and edges', () => {
    expect(detExp(0)).toBe(1)
    expect(detLog(1)).toBe(0)
    expect(detLog(2 ** -40)).toBeCloseTo(-40 * Math.LN2, 13)
    expect(detLog(5e-324)).toBeCloseTo(Math.log(5e-324), 10) // subnormal
    expect(detLog(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(detLog(-1)).toBeNaN()
    expect(detExp(800)).toBe(Number.POSITIVE_INFINITY)
    expect(detExp(-800)).toBe(0)
  })

  it('detExpSmall matches detExp near 0 and falls back outside', () => {
    for (const x of [-0.06, -0.001, 0, 1e-9, 0.03, 0.0625]) expect(Math.abs(detExpSmall(x) / Math.exp(x) - 1)).toBeLessThan(1e-15)
    expect(detExpSmall(2)).toBe(detExp(2))
  })
})
