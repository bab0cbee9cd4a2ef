import { describe, expect, it } from 'vitest'
import { SeriesCache } from '../../../shared/signals/index.ts'

describe('SeriesCache', () => {
  it('builds once per key, counts builds and drops the least recently used beyond its budget', () => {
    const c = new SeriesCache('s', 30)
    let calls = 0
    const build = (v: number) => () => (calls++, v)
    expect(c.memo('a', 10, build(1))).toBe(1)
    expect(c.memo('a', 10, build(9))).toBe(1)
    c.memo('b', 10, build(2))
    c.memo('a', 10, build(9)) // a is now the most recent
    c.memo('c', 10, build(3))
    c.memo('d', 10, build(4)) // over budget: b goes
    expect(c.memo('a', 10, build(9))).toBe(1)
    expect(c.memo('b', 10, build(5))).toBe(5)
    expect(calls).toBe(5)
    expect(c.built).toBe(5)
    // Too big to keep: built every time, nothing evicted for it.
    c.memo('huge', 100, build(6))
    c.memo('huge', 100, build(6))
    expect(c.built).toBe(7)
    expect(c.series).toBe('s')
  })
})
