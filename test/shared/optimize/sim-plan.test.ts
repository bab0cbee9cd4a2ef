import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import { METRIC_COUNT } from '../../../shared/metrics/types.ts'
import {
  buildSimPlan,
  expandRows,
  guidedChunkSize,
  identityClasses,
  mergeClasses,
  planSweep,
  splitEven,
} from '../../../shared/optimize/index.ts'

// 2 strategy dims (2 × 3 = 6 points) around 1 exec dim of 2: 12 combos, exec in the middle.
const plan = planSweep({
  strategyId: 'ensemble',
  grid: { 'w.trend': [0, 1], stopLossRate: [0, 0.01], threshold: [0.1, 0.2, 0.3] },
  exec: DEFAULT_EXEC_CONFIG,
})

describe('simulation plan', () => {
  it('mergeClasses joins equal keys across parts, in first-seen order', () => {
    const m = mergeClasses(6, [
      { start: 0, classOf: Int32Array.of(0, 1, 0), keys: ['a', 'b'] },
      { start: 3, classOf: Int32Array.of(0, 1, 1), keys: ['b', 'c'] },
    ])
    expect([...m.classOfPoint]).toEqual([0, 1, 0, 1, 2, 2])
    expect(m.classCount).toBe(3)
    expect(() => mergeClasses(4, [{ start: 0, classOf: Int32Array.of(0), keys: ['a'] }])).toThrow(/point 1 has no class/)
  })

  it('one simulation per (class, exec) pair, numbered by first combo, rows copied to every combo', () => {
    // Points 0 and 2 share a class, as do 3, 4, 5.
    const sp = buildSimPlan(plan, { classOfPoint: Int32Array.of(0, 1, 0, 2, 2, 2), classCount: 3 })
    expect(sp.comboCount).toBe(12)
    expect(sp.simCount).toBe(3 * 2)
    expect([...sp.repOf]).toEqual([0, 1, 3, 4, 6, 9])
    // combo = trend·6 + stop·3 + threshold
    expect([...sp.simOf]).toEqual([0, 1, 0, 2, 3, 2, 4, 4, 4, 5, 5, 5])
    expect([...sp.combosOf]).toEqual([2, 1, 2, 1, 3, 3])
    const simRows = new Float64Array(sp.simCount * METRIC_COUNT).map((_, i) => i)
    const rows = new Float64Array(12 * METRIC_COUNT)
    expandRows(sp, simRows, rows)
    for (let c = 0; c < 12; c++) expect(rows[c * METRIC_COUNT + 5]).toBe(sp.simOf[c]! * METRIC_COUNT + 5)
    // A window of combos, written from its own start.
    const part = new Float64Array(3 * METRIC_COUNT)
    expandRows(sp, simRows, part, 6, 9)
    expect(part[0]).toBe(4 * METRIC_COUNT)
  })

  it('identity classes: every point its own class, so only exact param repeats could share', () => {
    const sp = buildSimPlan(plan, identityClasses(6))
    expect(sp.simCount).toBe(12)
    expect([...sp.repOf]).toEqual([...Array(12).keys()])
  })

  it('guided chunks shrink toward the end and cover everything; even splits cover the range', () => {
    const sizes: number[] = []
    for (let left = 100; left > 0;) {
      const s = guidedChunkSize(left, 2, 1, 16)
      sizes.push(s)
      left -= s
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100)
    expect(Math.max(...sizes)).toBe(16)
    expect(sizes.at(-1)).toBe(1)
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes)
    expect(splitEven(7, 3)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 7 },
    ])
    expect(splitEven(1, 2)).toEqual([{ start: 0, end: 1 }])
  })
})
