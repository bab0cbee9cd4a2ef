import { describe, it, expect } from 'vitest'
import { halfSubsets, probabilityOfOverfitting } from '../../../../shared/optimize/robust/pbo.ts'

const col = (xs: number[]): Float64Array => Float64Array.from(xs)

describe('PBO by CSCV', () => {
  it('enumerates C(S, S/2) splits', () => {
    expect(halfSubsets(4)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ])
    expect(halfSubsets(6)).toHaveLength(20)
  })
  it('a strategy that dominates everywhere: PBO 0', () => {
    const good = col([3, 3, 4, 4, 3, 3, 4, 4])
    const bad = col([1, 2, 1, 2, 1, 2, 1, 2])
    const r = probabilityOfOverfitting([bad, good], 4, 'mean')
    expect(r.pbo).toBe(0)
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(2), 14)
  })
  it('regime-flipping strategies: the IS winner always loses OOS, PBO 1', () => {
    // S = 2 blocks of 2 periods: A wins block 0, B wins block 1.
    const a = col([2, 2, -1, -1])
    const b = col([-1, -1, 2, 2])
    const r = probabilityOfOverfitting([a, b], 2, 'mean')
    expect(r.splits).toBe(2)
    expect(r.pbo).toBe(1)
    expect(r.logits[0]).toBeCloseTo(Math.log(1 / 2), 14)
  })
  it('hand-worked 3 strategies × 4 blocks (means)', () => {
    // Block means per strategy (each block 2 equal periods):
    //   A: [5, 0, 0, 0]   B: [1, 1, 1, 1]   C: [0, 2, 2, 0]
    // IS {0,1}: A 2.5, B 1, C 1 → A; OOS {2,3}: A 0, B 1, C 1 → A worst, ω=1/4, λ<0
    // IS {0,2}: A 2.5 → A; OOS {1,3}: A 0, B 1, C 1 → λ<0
    // IS {0,3}: A 2.5 → A; OOS {1,2}: A 0, B 1, C 2 → λ<0
    // IS {1,2}: A 0, B 1, C 2 → C; OOS {0,3}: A 2.5, B 1, C 0 → C worst, λ<0
    // IS {1,3}: A 0, B 1, C 1 → B (tie → lower index); OOS {0,2}: A 2.5, B 1, C 1 → B rank 1 (none strictly worse) → λ<0
    // IS {2,3}: A 0, B 1, C 1 → B; OOS {0,1}: A 2.5, B 1, C 1 → rank 1 → λ<0
    const a = col([5, 5, 0, 0, 0, 0, 0, 0])
    const b = col([1, 1, 1, 1, 1, 1, 1, 1])
    const c = col([0, 0, 2, 2, 2, 2, 0, 0])
    const r = probabilityOfOverfitting([a, b, c], 4, 'mean')
    expect(r.pbo).toBe(1)
    // Swap in a B that is best out of sample when chosen: B = [1,1,1,3] blocks.
    const b2 = col([1, 1, 1, 1, 1, 1, 3, 3])
    // IS {1,3}: A 0, B2 2, C 1 → B2; OOS {0,2}: A 2.5, B2 1, C 1 → rank 1 → λ<0
    // IS {2,3}: A 0, B2 2, C 1 → B2; OOS {0,1}: A 2.5, B2 1, C 1 → rank 1 → λ<0
    // IS {0,3}: A 2.5, B2 2 → A; OOS {1,2}: A 0 → λ<0.  IS {1,2}: C 2 → C; OOS {0,3}: A 2.5, B2 2, C 0 → λ<0
    // IS {0,1}: A 2.5 → A; OOS {2,3}: A 0, B2 2, C 1 → λ<0.  IS {0,2}: A 2.5 → A; OOS {1,3}: A 0, B2 2, C 1 → λ<0
    expect(probabilityOfOverfitting([a, b2, c], 4, 'mean').pbo).toBe(1)
    // A strategy D that is best in every block makes every split choose it and rank it first: PBO 0.
    const d = col([6, 6, 3, 3, 3, 3, 4, 4])
    expect(probabilityOfOverfitting([a, b, c, d], 4, 'mean').pbo).toBe(0)
  })
  it('hand-worked mixed case: PBO = 3/6', () => {
    // Block means A: [3, 0, 2, 1], B: [1, 1, 1, 1] (2 periods per block).
    // IS{0,1} A → OOS{2,3}: A 1.5 > B 1, best, λ = ln 2 > 0
    // IS{0,2} A → OOS{1,3}: A 0.5 worst, λ < 0
    // IS{0,3} A → OOS{1,2}: A 1 = B 1, none strictly worse → rank 1, λ < 0
    // IS{1,2} A 1 = B 1 → A (lower index) → OOS{0,3}: A 2 best, λ > 0
    // IS{1,3} B → OOS{0,2}: B 1 < A 2.5, λ < 0
    // IS{2,3} A → OOS{0,1}: A 1.5 best, λ > 0
    const a = col([3, 3, 0, 0, 2, 2, 1, 1])
    const b = col([1, 1, 1, 1, 1, 1, 1, 1])
    const r = probabilityOfOverfitting([a, b], 4, 'mean')
    expect(r.pbo).toBe(0.5)
    expect(Array.from(r.logits, (l) => Math.sign(l))).toEqual([1, -1, -1, 1, -1, 1])
  })
  it('rejects bad inputs', () => {
    expect(() => probabilityOfOverfitting([col([1, 2])], 2)).toThrow(/at least 2/)
    expect(() => probabilityOfOverfitting([col([1, 2, 3, 4]), col([1, 2, 3, 4])], 3)).toThrow(/even/)
  })
})
