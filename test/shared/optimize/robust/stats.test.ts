import { describe, it, expect } from 'vitest'
import {
  deflatedSharpe,
  expectedMaxSharpe,
  moments,
  normCdf,
  normInv,
  probabilisticSharpe,
} from '../../../../shared/optimize/robust/index.ts'

describe('normal distribution', () => {
  it('Φ and Φ⁻¹ match reference values', () => {
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 14)
    expect(normCdf(-2)).toBeCloseTo(0.022750131948179195, 14)
    expect(normCdf(-3.5) / 2.3262907903552504e-4).toBeCloseTo(1, 10)
    expect(normInv(0.99)).toBeCloseTo(2.3263478740408408, 12)
    expect(normInv(0.975)).toBeCloseTo(1.959963984540054, 12)
    expect(normInv(0.5)).toBeCloseTo(0, 14)
  })
  it('moments: skew and (non-excess) kurtosis', () => {
    const m = moments([1, 2, 3, 4, 10])
    // mean 4; deviations -3 -2 -1 0 6; m2 = 50/5 = 10, m3 = (-27-8-1+216)/5 = 36, m4 = (81+16+1+1296)/5 = 278.8
    expect(m.mean).toBe(4)
    expect(m.std).toBeCloseTo(Math.sqrt(50 / 4), 14)
    expect(m.skew).toBeCloseTo(36 / Math.pow(10, 1.5), 14)
    expect(m.kurtosis).toBeCloseTo(2.788, 12)
  })
})

describe('deflated Sharpe ratio (Bailey & López de Prado 2014)', () => {
  it("reproduces the paper's numerical example: DSR ≈ 0.9004", () => {
    // Annual SR 2.5 over 5 years of daily returns (T = 1250, 250 days/year), N = 100 trials with
    // annualised SR variance 0.5, skew −3, kurtosis 10. Paper: SR₀ ≈ 0.1132 per day, DSR ≈ 0.9004.
    const r = deflatedSharpe({
      sharpe: 2.5 / Math.sqrt(250),
      observations: 1250,
      skew: -3,
      kurtosis: 10,
      trials: 100,
      sharpeVariance: 0.5 / 250,
    })
    expect(r.expectedMaxSharpe).toBeCloseTo(0.1132, 4)
    expect(r.dsr).toBeCloseTo(0.9004, 4)
  })
  it('hand-computed: one trial has benchmark 0; PSR under normal returns', () => {
    expect(expectedMaxSharpe(1, 1)).toBe(0)
    // SR 0.1, T = 101, skew 0, kurt 3: z = 0.1·10 / √(1 + 0.5·0.01) = 1/√1.005
    expect(probabilisticSharpe(0.1, 0, 101, 0, 3)).toBeCloseTo(normCdf(1 / Math.sqrt(1.005)), 14)
    // E[max] for N = 10, V = 1: (1−γ)Φ⁻¹(0.9) + γΦ⁻¹(1 − 1/(10e))
    const g = 0.5772156649015329
    expect(expectedMaxSharpe(10, 1)).toBeCloseTo((1 - g) * 1.2815515655446004 + g * normInv(1 - 1 / (10 * Math.E)), 12)
  })
})
