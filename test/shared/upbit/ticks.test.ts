// The KRW tick ladder (upbit-api.md §6.1, table since 2025-07-31) and exact rounding.
import { describe, it, expect } from 'vitest'
import { createRng } from '../../../shared/random.ts'
import { krwTickSize, roundKrwPrice, isOnKrwTick } from '../../../shared/upbit/ticks.ts'
import { cmp, exactOf, floorOf, type Fraction } from '../../helpers/exact.ts'

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
    const onTick = [
      3.03, 2.97, 3, 145_000_000, 999, 99.9, 0.123, 4999, 9995, 49_990, 99_950, 499_900, 999_500, 0.000123, 0.0000123, 0.00000123,
    ]
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
      [1_000_000, 1000, 0],
      [500_000, 500, 0],
      [100_000, 100, 0],
      [50_000, 50, 0],
      [10_000, 10, 0],
      [5_000, 5, 0],
      [100, 1, 0],
      [10, 0.1, 1],
      [1, 0.01, 2],
      [0.1, 0.001, 3],
      [0.01, 0.0001, 4],
      [0.001, 0.00001, 5],
      [0.0001, 0.000001, 6],
      [0.00001, 0.0000001, 7],
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

  it('lands on the right tick in the right direction, checked in exact arithmetic (random prices near and between ticks)', () => {
    // The rule of design §7.3, computed with BigInt fractions: q = price / tick exactly; a price
    // within 1e-9 of a tick (in ticks) is on it; otherwise up = ceil(q), down = floor(q).
    // Bands by lower bound, as [lower, tick as 10^-d or whole]: the documented table.
    const table: Array<[number, bigint, number]> = [
      [1_000_000, 1000n, 0],
      [500_000, 500n, 0],
      [100_000, 100n, 0],
      [50_000, 50n, 0],
      [10_000, 10n, 0],
      [5_000, 5n, 0],
      [100, 1n, 0],
      [10, 1n, 1],
      [1, 1n, 2],
      [0.1, 1n, 3],
      [0.01, 1n, 4],
      [0.001, 1n, 5],
      [0.0001, 1n, 6],
      [0.00001, 1n, 7],
      [0, 1n, 8],
    ]
    const tol: Fraction = { num: 1n, den: 1_000_000_000n }
    const rng = createRng(77)
    let offTick = 0
    for (let i = 0; i < 20_000; i++) {
      const [lower, whole, d] = table[rng.int(table.length)]!
      const upper = table.findIndex((b) => b[0] === lower) === 0 ? 2e9 : table[table.findIndex((b) => b[0] === lower) - 1]![0]
      const tickNum = Number(whole) / 10 ** d
      const from = lower === 0 ? 1e-8 : lower
      // A whole tick count in the band plus an offset: exact, float-noise sized, ~1e-9, or any.
      const k = Math.floor(from / tickNum + rng.next() * ((upper - from) / tickNum - 1))
      const offsets = [0, 1e-13, -1e-13, 5e-10, -5e-10, 2e-9, -2e-9, 1e-4, rng.next(), -rng.next()]
      const price = (k + offsets[rng.int(offsets.length)]!) * tickNum
      if (!(price >= from && price < upper)) continue
      // Exact q = price / tick: price × 10^d / whole.
      const px = exactOf(price)
      const q: Fraction = { num: px.num * 10n ** BigInt(d), den: px.den * whole }
      const fl = floorOf(q)
      const below: Fraction = { num: q.num - fl * q.den, den: q.den } // q − floor(q) in [0, 1)
      const onFloor = cmp(below, tol) <= 0
      const onCeil = cmp({ num: q.den - below.num, den: q.den }, tol) <= 0
      const expected = (mode: 'up' | 'down' | 'nearest'): bigint => {
        if (onFloor) return fl
        if (onCeil) return fl + 1n
        if (mode === 'up') return fl + 1n
        if (mode === 'down') return fl
        return 2n * below.num >= q.den ? fl + 1n : fl
      }
      if (!onFloor && !onCeil) offTick++
      for (const mode of ['up', 'down', 'nearest'] as const) {
        const n = expected(mode)
        // The double of the decimal n × tick.
        const want = d > 0 ? Number(n) / 10 ** d : Number(n * whole)
        const got = roundKrwPrice(price, mode)
        if (got !== want) throw new Error(`${mode} ${price}: got ${got}, want ${want} (tick ${tickNum})`)
        // And in the right direction, exactly: up is never below the price, down never above
        // (beyond the 1e-9-tick on-tick slack).
        const gotEx = exactOf(got)
        const slack = { num: tol.num * whole, den: tol.den * 10n ** BigInt(d) }
        if (mode === 'up')
          expect(
            cmp({ num: gotEx.num * px.den * slack.den + slack.num * gotEx.den * px.den, den: gotEx.den * px.den * slack.den }, px),
          ).toBeGreaterThanOrEqual(0)
        if (mode === 'down')
          expect(cmp(gotEx, { num: px.num * slack.den + slack.num * px.den, den: px.den * slack.den })).toBeLessThanOrEqual(0)
      }
    }
    expect(offTick).toBeGreaterThan(5_000)
    // The review's case: 150,016,000.1 is 0.0001 of a tick above 150,016,000, not on it.
    expect(roundKrwPrice(150_001_000 * 1.0001, 'up')).toBe(150_017_000)
  })

  it('rejects non-positive and non-finite prices', () => {
    expect(() => roundKrwPrice(0, 'up')).toThrow(RangeError)
    expect(() => roundKrwPrice(-1, 'down')).toThrow(RangeError)
    expect(() => roundKrwPrice(Number.NaN, 'nearest')).toThrow(RangeError)
    expect(() => roundKrwPrice(Infinity, 'nearest')).toThrow(RangeError)
    expect(isOnKrwTick(0)).toBe(false)
  })
})
