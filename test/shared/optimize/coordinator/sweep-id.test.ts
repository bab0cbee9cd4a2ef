import { describe, expect, it } from 'vitest'
import { allocSeries } from '../../../../shared/candles/types.ts'
import { hashSeries, hashString, stableStringify, sweepIdOf } from '../../../../shared/optimize/coordinator/index.ts'

describe('sweep id', () => {
  it('stableStringify ignores key order and undefined fields', () => {
    expect(stableStringify({ b: 1, a: { d: [1, 2], c: 'x' }, u: undefined })).toBe(stableStringify({ a: { c: 'x', d: [1, 2] }, b: 1 }))
    expect(stableStringify({ x: Infinity })).toBe('{"x":"Infinity"}')
  })

  it('changes with the spec, the chunk size and the data, and only with them', () => {
    const base = { spec: { strategyId: 'rsi', grid: { period: [5, 6] } }, chunkSize: 8, dataHash: 'abc' }
    const id = sweepIdOf(base)
    expect(id).toMatch(/^sw1-[0-9a-f]{16}$/)
    expect(sweepIdOf({ ...base, spec: { grid: { period: [5, 6] }, strategyId: 'rsi' } })).toBe(id)
    expect(sweepIdOf({ ...base, spec: { strategyId: 'rsi', grid: { period: [5, 7] } } })).not.toBe(id)
    expect(sweepIdOf({ ...base, chunkSize: 9 })).not.toBe(id)
    expect(sweepIdOf({ ...base, dataHash: 'abd' })).not.toBe(id)
  })

  it('hashes candle content: equal series hash equal, one changed value changes it', () => {
    const a = allocSeries(100)
    const b = allocSeries(100)
    for (let i = 0; i < 100; i++) {
      a.close[i] = b.close[i] = 1000 + i
      a.time[i] = b.time[i] = i * 60_000
    }
    expect(hashSeries(a)).toBe(hashSeries(b))
    b.volume[57] = 1e-9
    expect(hashSeries(a)).not.toBe(hashSeries(b))
    expect(hashSeries(allocSeries(3))).not.toBe(hashSeries(allocSeries(4)))
    expect(hashString('ab')).not.toBe(hashString('ba'))
  })
})
