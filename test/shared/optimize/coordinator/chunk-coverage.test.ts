import { describe, expect, it } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import { METRIC_COUNT } from '../../../../shared/metrics/types.ts'
import { ChunkCoverage } from '../../../../shared/optimize/coordinator/index.ts'
import { buildSimPlan, planChunks, planSweep } from '../../../../shared/optimize/index.ts'

// 6 points × 2 exec values = 12 combos (combo = point·2 + exec); points 0, 2, 4 share a class.
const plan = planSweep({
  strategyId: 'ensemble',
  grid: { threshold: [0.1, 0.15, 0.2, 0.3, 0.4, 0.5], stopLossRate: [0, 0.01] },
  exec: DEFAULT_EXEC_CONFIG,
})
const sims = buildSimPlan(plan, { classOfPoint: Int32Array.of(0, 1, 0, 2, 0, 3), classCount: 4 })
const chunks = planChunks(12, 4).map((c, index) => ({ index, ...c }))
/** Simulation s's row: every metric = 100·s + m. */
const simRow = (s: number): number[] => Array.from({ length: METRIC_COUNT }, (_, m) => 100 * s + m)

describe('ChunkCoverage', () => {
  it('completes a chunk once all its simulations are in, writing every combo row', () => {
    expect(sims.simCount).toBe(8)
    const rows = new Float64Array(12 * METRIC_COUNT).fill(NaN)
    const cov = new ChunkCoverage(sims, chunks, new Uint8Array(3), rows)
    expect([...cov.pendingSims]).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(cov.readyChunks).toEqual([])
    // Chunk 0 (combos 0-3) needs sims 0-3; chunk 1 (combos 4-7: points 2, 3) sims 0, 1, 4, 5.
    expect(cov.add(0, Float64Array.from([0, 1, 2].flatMap(simRow)))).toEqual([])
    expect(cov.add(3, Float64Array.from([3, 4, 5].flatMap(simRow)))).toEqual([0, 1])
    expect(cov.add(6, Float64Array.from([6, 7].flatMap(simRow)))).toEqual([2])
    for (let c = 0; c < 12; c++) expect(Array.from(rows.subarray(c * METRIC_COUNT, (c + 1) * METRIC_COUNT))).toEqual(simRow(sims.simOf[c]!))
  })

  it('on resume, simulations of finished chunks are known: they are never pending again', () => {
    const rows = new Float64Array(12 * METRIC_COUNT).fill(NaN)
    // Chunk 0 was checkpointed: sims 0-3 are known from its rows.
    for (let c = 0; c < 4; c++) rows.set(simRow(sims.simOf[c]!), c * METRIC_COUNT)
    const cov = new ChunkCoverage(sims, chunks, Uint8Array.of(1, 0, 0), rows)
    expect([...cov.pendingSims]).toEqual([4, 5, 6, 7])
    expect(cov.add(0, Float64Array.from([4, 5].flatMap(simRow)))).toEqual([1])
    expect(Array.from(rows.subarray(4 * METRIC_COUNT, 5 * METRIC_COUNT))).toEqual(simRow(0)) // point 2 copies point 0's class
  })

  it('a chunk made only of known simulations is ready at once', () => {
    const rows = new Float64Array(12 * METRIC_COUNT).fill(NaN)
    const mixed = buildSimPlan(plan, { classOfPoint: Int32Array.of(0, 0, 0, 0, 0, 0), classCount: 1 })
    for (let c = 0; c < 4; c++) rows.set(simRow(mixed.simOf[c]!), c * METRIC_COUNT)
    const cov = new ChunkCoverage(mixed, chunks, Uint8Array.of(1, 0, 0), rows)
    expect(cov.pendingSims.length).toBe(0)
    expect(cov.readyChunks).toEqual([1, 2])
    expect(Array.from(rows.subarray(11 * METRIC_COUNT, 12 * METRIC_COUNT))).toEqual(simRow(1))
  })
})
