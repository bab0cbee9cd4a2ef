// priceActionKernel (both its NaN-free fast path and the NaN-propagating pass) against a per-bar
// max/min scan: many windows and lengths, tie-heavy grids, ±Infinity, negative and zero closes.
import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/random.ts'
import { priceActionKernel } from '../../../shared/strategies/price-action.ts'
import { randomWalkSeries } from './lookahead.ts'

function bruteForce(close: Float64Array, window: number): Int8Array {
  const out = new Int8Array(close.length)
  for (let t = 2; t < close.length; t++) {
    let mx = Number.NEGATIVE_INFINITY
    let mn = Number.POSITIVE_INFINITY
    for (let i = Math.max(0, t - window + 1); i < t; i++) {
      mx = Math.max(mx, close[i]!)
      mn = Math.min(mn, close[i]!)
    }
    out[t] = close[t]! > mx ? 1 : close[t]! < mn ? -1 : 0
  }
  return out
}

function expectSame(close: Float64Array, window: number, label: string): void {
  const got = new Int8Array(close.length)
  priceActionKernel(close, window, got)
  const want = bruteForce(close, window)
  for (let t = 0; t < close.length; t++) {
    if (got[t] !== want[t]) expect.fail(`${label}, window ${window}, t=${t}: got ${got[t]}, want ${want[t]}`)
  }
}

const WINDOWS = [3, 4, 5, 7, 16, 50, 199, 200, 201, 1000]

describe('priceActionKernel vs a per-bar scan', () => {
  it('random walks without NaN (fast path): coarse ties, fine ticks, trends', () => {
    const walks = [
      randomWalkSeries(31, 3000, { startPrice: 50, tick: 1, sigma: 0.01 }).close,
      randomWalkSeries(32, 3000, { startPrice: 1, tick: 0.0001, sigma: 0.003 }).close,
      randomWalkSeries(33, 3000, { startPrice: 100, tick: 0.01, sigma: 0.03 }).close,
    ]
    for (const [k, close] of walks.entries()) for (const w of WINDOWS) expectSame(close, w, `walk ${k}`)
  })

  it('series shorter than a block, exactly one block, one block and a bit', () => {
    const close = randomWalkSeries(34, 500, { startPrice: 20, tick: 1, sigma: 0.02 }).close
    for (const n of [0, 1, 2, 3, 4, 10, 198, 199, 200, 201, 397, 398, 399]) {
      for (const w of [3, 10, 200]) expectSame(close.slice(0, n), w, `n=${n}`)
    }
  })

  it('±Infinity, zero and negative closes (no NaN: fast path)', () => {
    const rng = createRng(35)
    const close = new Float64Array(2000)
    for (let i = 0; i < close.length; i++) {
      const u = rng.next()
      close[i] = u < 0.01 ? Number.POSITIVE_INFINITY : u < 0.02 ? Number.NEGATIVE_INFINITY : u < 0.05 ? 0 : rng.int(21) - 10
    }
    for (const w of WINDOWS) expectSame(close, w, 'extremes')
  })

  it('a NaN anywhere: the NaN-propagating pass, including a NaN late in the series', () => {
    const base = randomWalkSeries(36, 3000, { startPrice: 50, tick: 1, sigma: 0.01 }).close
    for (const at of [0, 1, 5, 1500, 2999]) {
      const close = base.slice()
      close[at] = Number.NaN
      for (const w of [3, 7, 200]) expectSame(close, w, `NaN at ${at}`)
    }
  })

  it('rejects a window that is not an integer ≥ 3', () => {
    const out = new Int8Array(5)
    expect(() => priceActionKernel(new Float64Array(5), 2, out)).toThrow(RangeError)
    expect(() => priceActionKernel(new Float64Array(5), 3.5, out)).toThrow(RangeError)
  })
})
