// swingKernel against numpy's mean comparison on every bar (numpyMean is checked against numpy
// itself in seed-000.test.ts), on data built to hit each path: near-ties (exact recomputation),
// price jumps past the block's assumed bound (the block is redone with its exact max), untame
// closes (NaN, ±Infinity, 0, negative: numpy on every bar of the block), and swingTolerance.
import { describe, expect, it } from 'vitest'
import { createRng } from '../../../shared/random.ts'
import { numpyMean } from '../../../shared/strategies/numpy-sum.ts'
import { SWING_ANCHOR, swingKernel, swingTolerance } from '../../../shared/strategies/swing.ts'
import { randomWalkSeries } from './lookahead.ts'

function reference(close: Float64Array, short: number, long: number): Int8Array {
  const out = new Int8Array(close.length)
  for (let t = Math.max(short, long) - 1; t < close.length; t++) {
    out[t] = numpyMean(close, t - short + 1, short) > numpyMean(close, t - long + 1, long) ? 1 : -1
  }
  return out
}

function expectSame(close: Float64Array, short: number, long: number, label: string): void {
  const got = new Int8Array(close.length)
  swingKernel(close, short, long, got)
  const want = reference(close, short, long)
  for (let t = 0; t < close.length; t++) {
    if (got[t] !== want[t]) expect.fail(`${label}, (${short}, ${long}), t=${t}: got ${got[t]}, want ${want[t]}`)
  }
}

const PAIRS: [number, number][] = [
  [5, 20],
  [2, 3],
  [8, 24],
  [20, 5],
  [160, 129],
  [1, 200],
  [200, 200],
  [3, 1],
]

describe('swingKernel equals numpy on every bar', () => {
  it('random walks: fractional ties, coarse grids, tiny prices, several anchor blocks', () => {
    const walks = [
      randomWalkSeries(41, 3 * SWING_ANCHOR + 77, { startPrice: 1, tick: 0.001, sigma: 0.003 }).close,
      randomWalkSeries(42, 2500, { startPrice: 60, tick: 1, sigma: 0.004 }).close,
      randomWalkSeries(43, 2500, { startPrice: 0.0005, tick: 0.0000001, sigma: 0.002 }).close,
    ]
    for (const [k, close] of walks.entries()) for (const [s, l] of PAIRS) expectSame(close, s, l, `walk ${k}`)
  })

  it('periodic closes (exact ties of the means) take the numpy recomputation', () => {
    const close = Float64Array.from({ length: 3000 }, (_, i) => [0.1, 0.2, 0.3, 0.1, 0.7][i % 5]!)
    for (const [s, l] of [
      [5, 10],
      [5, 20],
      [10, 20],
      [2, 4],
    ] as [number, number][])
      expectSame(close, s, l, 'periodic')
  })

  it('a ×1000 jump inside a block (past the assumed bound) and back', () => {
    const close = randomWalkSeries(44, 3000, { startPrice: 100, tick: 0.01, sigma: 0.002 }).close.slice()
    for (let i = 1500; i < 1600; i++) close[i] = close[i]! * 1000
    for (const [s, l] of PAIRS) expectSame(close, s, l, 'jump')
  })

  it('NaN, ±Infinity, 0 and negative closes', () => {
    const rng = createRng(45)
    const base = randomWalkSeries(45, 2600, { startPrice: 50, tick: 0.5, sigma: 0.01 }).close
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -3]) {
      const close = base.slice()
      for (let k = 0; k < 3; k++) close[rng.int(close.length)] = v
      close[3] = v // inside the first look-back
      for (const [s, l] of PAIRS) expectSame(close, s, l, `value ${v}`)
    }
  })

  it('series shorter than the warm-up', () => {
    const close = randomWalkSeries(46, 30).close
    for (const n of [0, 1, 4, 5, 19, 20, 21]) expectSame(close.slice(0, n), 5, 20, `n=${n}`)
  })

  it('swingTolerance is tiny against prices yet covers many roundings', () => {
    const tol = swingTolerance(5, 20, 1e8)
    expect(tol).toBeGreaterThan(20 * 1e8 * 2 ** -53 * 1000)
    expect(tol / (20 * 1e8)).toBeLessThan(1e-11)
  })
})
