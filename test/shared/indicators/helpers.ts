// Test helpers for the indicator suites: array builders, closeness checks, random OHLCV series.
import { expect } from 'vitest'
import { createRng } from '../../../shared/random.ts'

export const f64 = (...xs: number[]): Float64Array => Float64Array.from(xs)

/** Index of the first non-NaN value, or −1. */
export function firstValid(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i]!)) return i
  return -1
}

/** Element-wise check: NaN where expected is NaN/null, else within `rel` relative error. */
export function expectSeries(actual: Float64Array, expected: readonly (number | null)[], rel = 1e-12): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]
    const a = actual[i]!
    if (e === null || e === undefined || Number.isNaN(e)) {
      expect(Number.isNaN(a), `index ${i}: expected NaN, got ${a}`).toBe(true)
    } else {
      const err = Math.abs(a - e) / Math.max(Math.abs(e), 1e-300)
      expect(err <= rel || a === e, `index ${i}: expected ${e}, got ${a}`).toBe(true)
    }
  }
}

/** Bit-for-bit equality of two series (NaN equals NaN). */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label = ''): void {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${label} index ${i}: ${String(actual[i])} !== ${String(expected[i])}`)
    }
  }
}

export interface Ohlcv {
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

/**
 * A random walk with the awkward cases mixed in: flat bars (o = h = l = c = previous close),
 * zero volumes, ±25 % jumps, and integer-rounded prices when `integerTicks` (many ties).
 */
export function randomOhlcv(seed: number, n: number, startPrice = 1000, integerTicks = false): Ohlcv {
  const rng = createRng(seed)
  const open = new Float64Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  const close = new Float64Array(n)
  const volume = new Float64Array(n)
  let p = startPrice
  const round = (v: number): number => (integerTicks ? Math.round(v) : v)
  for (let i = 0; i < n; i++) {
    const r = rng.next()
    if (i > 0 && r < 0.12) {
      const c = close[i - 1]!
      open[i] = c
      high[i] = c
      low[i] = c
      close[i] = c
      volume[i] = rng.next() < 0.5 ? 0 : volume[i - 1]!
      continue
    }
    if (r < 0.17) p *= rng.next() < 0.5 ? 1.25 : 0.8
    const o = round(p)
    p = p * (1 + rng.normal() * 0.015)
    const c = round(p)
    open[i] = o
    close[i] = c
    high[i] = round(Math.max(o, c) * (1 + rng.next() * 0.01))
    low[i] = round(Math.min(o, c) * (1 - rng.next() * 0.01))
    volume[i] = rng.int(1000)
  }
  return { open, high, low, close, volume }
}
