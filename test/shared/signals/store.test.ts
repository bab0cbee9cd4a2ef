import { describe, expect, it } from 'vitest'
import { SignalStore } from '../../../shared/signals/index.ts'

describe('SignalStore', () => {
  it('equal ids for arrays equal over its window; arrays beyond its budget are recomputed on get', () => {
    const store = new SignalStore(1, 4, 8)
    const a = Int8Array.from([5, 1, -1, 0, 9])
    const sameInWindow = Int8Array.from([7, 1, -1, 0, -9])
    const other = Int8Array.from([5, 1, 0, 0, 9])
    const idA = store.intern(a, (out) => out.set(a))
    expect(store.intern(sameInWindow, (out) => out.set(sameInWindow))).toBe(idA)
    const idOther = store.intern(other, (out) => out.set(other))
    expect(idOther).not.toBe(idA)
    expect(store.distinct).toBe(2)
    // Over the 8-byte budget: not kept, so `get` recomputes it into the scratch array.
    const third = Int8Array.from([0, -1, -1, -1, 0])
    const idThird = store.intern(third, (out) => out.set(third))
    const scratch = new Int8Array(5)
    expect(store.get(idThird, scratch)).toBe(scratch)
    expect(scratch).toEqual(third)
    expect(store.get(idA, scratch)).toEqual(a)
  })
})
