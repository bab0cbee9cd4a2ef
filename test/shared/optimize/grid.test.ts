import { describe, it, expect } from 'vitest'
import {
  decimalsOf,
  decodeCombo,
  encodeCombo,
  enumerateRange,
  MAX_COMBOS,
  planChunks,
  rangeCount,
  stridesOf,
} from '../../../shared/optimize/grid.ts'
import { createRng } from '../../../shared/random.ts'

describe('enumerateRange', () => {
  it('rounds to the step decimals: 0.05·3 is 0.15', () => {
    const v = enumerateRange({ min: 0.05, max: 0.5, step: 0.05 })
    expect(v).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5])
    expect(v[2]).toBe(0.15)
  })
  it('counts integer steps and includes max when on the grid', () => {
    expect(enumerateRange({ min: 5, max: 30, step: 1 })).toHaveLength(26)
    expect(enumerateRange({ min: 20, max: 40, step: 2 })).toHaveLength(11)
    expect(enumerateRange({ min: 1, max: 2, step: 0.3 })).toEqual([1, 1.3, 1.6, 1.9])
    expect(enumerateRange({ min: 0, max: 0.03, step: 0.01 })).toEqual([0, 0.01, 0.02, 0.03])
  })
  it('handles tiny exponent steps', () => {
    expect(decimalsOf(1e-7)).toBe(7)
    expect(decimalsOf(2.5e-8)).toBe(9)
    expect(enumerateRange({ min: 0, max: 3e-7, step: 1e-7 })).toEqual([0, 1e-7, 2e-7, 3e-7])
  })
  it('rejects bad ranges', () => {
    expect(() => enumerateRange({ min: 0, max: 1, step: 0 })).toThrow(/step/)
    expect(() => enumerateRange({ min: 2, max: 1, step: 1 })).toThrow(/max/)
  })
})

describe('mixed-radix combos', () => {
  it('last dimension varies fastest', () => {
    const sizes = [2, 3]
    const d = new Int32Array(2)
    const seen = [0, 1, 2, 3, 4, 5].map((i) => Array.from(decodeCombo(sizes, i, d)))
    expect(seen).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ])
    expect(stridesOf(sizes)).toEqual([3, 1])
  })
  it('encode inverts decode', () => {
    const sizes = [3, 1, 4, 5]
    const d = new Int32Array(4)
    for (let i = 0; i < 60; i++) expect(encodeCombo(sizes, decodeCombo(sizes, i, d))).toBe(i)
  })
})

describe('planChunks', () => {
  it('covers [0, count) with contiguous chunks', () => {
    expect(planChunks(10, 4)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
      { start: 8, end: 10 },
    ])
    expect(planChunks(0, 4)).toEqual([])
    expect(() => planChunks(10, 0)).toThrow()
  })
})

describe('rangeCount', () => {
  it('counts exactly the values enumerateRange builds, without building them', () => {
    const rng = createRng(42)
    const steps = [1, 2, 5, 0.1, 0.05, 0.3, 0.001, 1e-7, 0.25, 3]
    for (let i = 0; i < 500; i++) {
      const step = steps[rng.int(steps.length)]!
      const min = Number((rng.int(200) * steps[rng.int(steps.length)]!).toFixed(8))
      const max = Number((min + rng.next() * step * 300).toFixed(8))
      const r = { min, max, step }
      expect(rangeCount(r), JSON.stringify(r)).toBe(enumerateRange(r).length)
    }
  })
  it('counts ranges too large to enumerate, and enumerateRange refuses them', () => {
    expect(rangeCount({ min: 1, max: 1e12, step: 1 })).toBe(1e12)
    expect(rangeCount({ min: 0, max: 0.05, step: 1e-300 })).toBeGreaterThan(1e297)
    expect(rangeCount({ min: -1e308, max: 1e308, step: 1 })).toBe(Infinity)
    expect(() => enumerateRange({ min: 1, max: MAX_COMBOS + 1, step: 1 })).toThrow(/more than 10,000,000/)
    expect(() => rangeCount({ min: 0, max: 1, step: 0 })).toThrow(/step/)
  })
})
