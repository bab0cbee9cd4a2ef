// floorTo8: the largest 8-decimal number not above x, exact for decimals that are exact.
import { describe, expect, it } from 'vitest'
import { floorTo8 } from '../../../shared/engine/rounding.ts'
import { createRng } from '../../../shared/random.ts'

describe('floorTo8', () => {
  it('keeps exact decimals (0.29 is not 0.28999999) and rounds the rest down', () => {
    expect(floorTo8(0.29)).toBe(0.29)
    expect(floorTo8(1.1)).toBe(1.1)
    expect(floorTo8(0.123456789)).toBe(0.12345678)
    expect(floorTo8(0.4 * 0.5 * 1000)).toBe(200)
    expect(floorTo8(0)).toBe(0)
    expect(floorTo8(-1)).toBe(0)
    expect(floorTo8(1e-9)).toBe(0)
  })

  it('agrees with decimal-string truncation on random values', () => {
    const r = createRng(5)
    for (let i = 0; i < 20_000; i++) {
      const x = r.next() * 10 ** (r.int(10) - 4)
      const [int, frac = ''] = x.toFixed(12).split('.')
      const viaString = Number(`${int}.${frac.slice(0, 8)}`)
      const got = floorTo8(x)
      // toFixed(12) rounds at the 12th decimal, so allow the one-unit case where that rounding crossed up.
      expect(got === viaString || Math.abs(got - viaString) <= 1e-8 * 1.000001).toBe(true)
      expect(got).toBeLessThanOrEqual(x * (1 + 1e-15))
      expect(x - got).toBeLessThan(1e-8 * (1 + 1e-9) + x * 1e-15)
    }
  })
})
