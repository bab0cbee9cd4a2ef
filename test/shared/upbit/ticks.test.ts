// The KRW tick ladder (upbit-api.md §6.1, table since 2025-07-31) and exact rounding.
import { describe, it, expect } from 'vitest'
import { createRng } from '../../../shared/random.ts'
import { krwTickSize, roundKrwPrice, isOnKrwTick } from '../../../shared/upbit/ticks.ts'

// [lowest price of the band, tick]: every boundary of the documented table.
const BANDS: ReadonlyArray<readonly [number, number]> = [
  [2_000_000, 1000],
  [1_000_000, 1000],
  [500_000, 500],
  [100_000, 100],
  [50_000, 50],
  [10_000, 10],
  [5_000, 5],
  [1_000, 1],
  [100, 1],
  [10, 0.1],
  [1, 0.01],
  [0.1, 0.001],
  [0.01, 0.0001],
  [0.001, 0.00001],
  [0.0001, 0.000001],
  [0.00001, 0.0000001],
]

describe('krwTickSize', () => {
  it('gives the band tick at each lower boundary and just below it', () => {
    for (let i = 0; i < BANDS.length; i++) {
      const [low, tick] = BANDS[i]!
      expect(krwTickSize(low)).toBe(tick)
      const below = BANDS[i + 1]
      const justBelow = low * (1 - 1e-9)
      expect(krwTickSize(justBelow)).toBe(below ? below[1] : 0.00000001)
    }
  })

  it('uses 1e-8 below 0.00001 and 1,000 far above 2,000,000', () => {
    expect(krwTickSize(0.000005)).toBe(0.00000001)
    expect(krwTickSize(150_000_000)).toBe(1000)
  })
})

describe('roundKrwPrice', () => {
  it('keeps values already on a tick, whatever the mode (3.03, 2.97, 145,000,000 …)', () => {
    const onTick = [3.03, 2.97, 3, 145_000_000, 999, 99.9, 0.123, 4999, 9995, 49_990, 99_950, 499_900, 999_500, 0.000123, 0.0000123, 0.00000123]
    for (const p of onTick) {
      for (const mode of ['up', 'down', 'nearest'] as const) expect(roundKrwPrice(p, mode)).toBe(p)
      expect(isOnKrwTick(p)).toBe(true)
    }
  })

  it('absorbs float noise: 3.00 × 1.01 and 3.00 × 0.99 stay 3.03 and 2.97', () => {
    expect(3 * 1.01).not.toBe(3.03)
    expect(roundKrwPrice(3 * 1.01, 'up')).toBe(3.03)
    expect(roundKrwPrice(3 * 1.01, 'down')).toBe(3.03)
    expect(roundKrwPrice(3 * 0.99, 'up')).toBe(2.97)
    expect(roundKrwPrice(3 * 0.99, 'down')).toBe(2.97)
    expect(roundKrwPrice(0.1 + 0.2, 'up')).toBe(0.3)
  })

  it('rounds up, down and to nearest within each band', () => {
    const cases: ReadonlyArray<readonly [number, number, number, number]> = [
      // price, up, down, nearest
      [145_000_500, 145_001_000, 145_000_000, 145_001_000],
      [145_000_400, 145_001_000, 145_000_000, 145_000_000],
      [1_500_250, 1_501_000, 1_500_000, 1_500_000],
      [750_100, 750_500, 750_000, 750_000],
      [123_456, 123_500, 123_400, 123_500],
      [54_321, 54_350, 54_300, 54_300],
      [12_345, 12_350, 12_340, 12_350],
      [7_777, 7_780, 7_775, 7_775],
      [2_345.5, 2_346, 2_345, 2_346],
      [555.4, 556, 555, 555],
      [55.55, 55.6, 55.5, 55.6],
      [5.555, 5.56, 5.55, 5.56],
      [0.5555, 0.556, 0.555, 0.556],
      [0.05555, 0.0556, 0.0555, 0.0556],
      [0.005555, 0.00556, 0.00555, 0.00556],
      [0.0005555, 0.000556, 0.000555, 0.000556],
      [0.00005555, 0.0000556, 0.0000555, 0.0000556],
      [0.000005555, 0.00000556, 0.00000555, 0.00000556],
    ]
    for (const [p, up, down, nearest] of cases) {
      expect([p, roundKrwPrice(p, 'up')]).toEqual([p, up])
      expect([p, roundKrwPrice(p, 'down')]).toEqual([p, down])
      expect([p, roundKrwPrice(p, 'nearest')]).toEqual([p, nearest])
      expect(isOnKrwTick(p)).toBe(false)
    }
  })

  it('crosses band boundaries onto the next band’s tick', () => {
    expect(roundKrwPrice(999_999, 'up')).toBe(1_000_000)
    expect(roundKrwPrice(99_999, 'up')).toBe(100_000)
    expect(roundKrwPrice(9_999.5, 'up')).toBe(10_000)
    expect(roundKrwPrice(99.95, 'up')).toBe(100)
    expect(roundKrwPrice(9.995, 'up')).toBe(10)
    expect(roundKrwPrice(1_000_400, 'down')).toBe(1_000_000)
    expect(roundKrwPrice(100.5, 'down')).toBe(100)
  })

  it('every result is on its own tick (property over a price grid)', () => {
    for (let e = -5; e <= 8; e++) {
      for (const m of [1.0123, 1.5, 2.349, 4.999, 7.77]) {
        const p = m * 10 ** e
        for (const mode of ['up', 'down', 'nearest'] as const) {
          const r = roundKrwPrice(p, mode)
          expect(isOnKrwTick(r)).toBe(true)
          if (mode === 'up') expect(r).toBeGreaterThanOrEqual(p * (1 - 1e-12))
          if (mode === 'down') expect(r).toBeLessThanOrEqual(p * (1 + 1e-12))
          expect(Math.abs(r - p)).toBeLessThanOrEqual(krwTickSize(p) * (1 + 1e-9))
        }
      }
    }
  })

  it('is monotone and exact between ticks in every band (seeded property, whole-tick and sub-unit bands)', () => {
    // Independent of the implementation: a price m ticks plus a fraction f of a tick above a
    // band's lower bound rounds to m or m + 1 ticks as the mode says; the kernel's dust shortcut
    // relies on the results never decreasing as the price rises.
    const rng = createRng(41)
    const bands: Array<[number, number, number]> = [
      [1_000_000, 1000, 0], [500_000, 500, 0], [100_000, 100, 0], [50_000, 50, 0], [10_000, 10, 0], [5_000, 5, 0],
      [100, 1, 0], [10, 0.1, 1], [1, 0.01, 2], [0.1, 0.001, 3], [0.01, 0.0001, 4], [0.001, 0.00001, 5], [0.0001, 0.000001, 6], [0.00001, 0.0000001, 7],
    ]
    bands.forEach(([lower, tick, decimals], b) => {
      const scale = 10 ** decimals
      const upper = b === 0 ? 2e9 : bands[b - 1]![0]
      // Whole ticks in [lower, upper), leaving room for the + rng.int(3) + 1 below.
      const ticksInBand = Math.round((upper - lower) / tick) - 4
      let prev = 0
      for (let k = 0; k < 400; k++) {
        // k = 0 sits on the band's lower bound itself.
        const m = Math.round(lower / tick) + (k === 0 ? 0 : Math.floor(k * (ticksInBand / 400)) + rng.int(3))
        const f = [0.01, 0.25, 0.4999, 0.5001, 0.99][k % 5]! // clear of the 1e-9 relative on-tick slack
        const atTick = decimals > 0 ? m / scale : m * tick
        const next = decimals > 0 ? (m + 1) / scale : (m + 1) * tick
        const price = atTick + f * tick
        expect([price, roundKrwPrice(price, 'up')]).toEqual([price, next])
        expect([price, roundKrwPrice(price, 'down')]).toEqual([price, atTick])
        expect([price, roundKrwPrice(price, 'nearest')]).toEqual([price, f < 0.5 ? atTick : next])
        for (const mode of ['up', 'down', 'nearest'] as const) expect(roundKrwPrice(atTick, mode)).toBe(atTick)
        const r = roundKrwPrice(price, 'down')
        if (k > 0 && price > prev) expect(r).toBeGreaterThanOrEqual(roundKrwPrice(prev, 'down'))
        prev = price
      }
    })
  })

  it('rejects non-positive and non-finite prices', () => {
    expect(() => roundKrwPrice(0, 'up')).toThrow(RangeError)
    expect(() => roundKrwPrice(-1, 'down')).toThrow(RangeError)
    expect(() => roundKrwPrice(Number.NaN, 'nearest')).toThrow(RangeError)
    expect(() => roundKrwPrice(Infinity, 'nearest')).toThrow(RangeError)
    expect(isOnKrwTick(0)).toBe(false)
  })
})
