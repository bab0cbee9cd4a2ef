import { describe, it, expect } from 'vitest'
import { zigguratNormal } from '../../../shared/synthetic/normal.ts'
import { createRng } from '../../../shared/random.ts'

describe('zigguratNormal', () => {
  it('draws standard normal variates (moments and tail masses)', () => {
    const rng = createRng(12345)
    const n = 400_000
    let s1 = 0
    let s2 = 0
    let s4 = 0
    let over2 = 0
    let over3 = 0
    let under05 = 0
    for (let i = 0; i < n; i++) {
      const z = zigguratNormal(rng)
      s1 += z
      s2 += z * z
      s4 += z * z * z * z
      const a = Math.abs(z)
      if (a > 2) over2++
      if (a > 3) over3++
      if (a < 0.5) under05++
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01)
    expect(s2 / n).toBeCloseTo(1, 1)
    expect(s4 / n).toBeGreaterThan(2.9)
    expect(s4 / n).toBeLessThan(3.1)
    expect(over2 / n).toBeCloseTo(0.0455, 2)
    expect(over3 / n).toBeGreaterThan(0.002)
    expect(over3 / n).toBeLessThan(0.0035)
    expect(under05 / n).toBeCloseTo(0.3829, 2)
  })

  it('is a pure function of the rng stream', () => {
    const a = createRng(7)
    const b = createRng(7)
    const xs = Array.from({ length: 1000 }, () => zigguratNormal(a))
    expect(Array.from({ length: 1000 }, () => zigguratNormal(b))).toEqual(xs)
  })
})
