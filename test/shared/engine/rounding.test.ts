// Exact rounding of volumes (design §7.3): floorTo8 never rounds up and keeps exact decimals;
// volumeFor sizes an order whose value never exceeds the amount it was sized from. The
// properties are checked with exact BigInt arithmetic, not with the code's own floats.
import { describe, expect, it } from 'vitest'
import { floorTo8, nextDown, productAtMost, stepDownVolume, volumeFor } from '../../../shared/engine/rounding.ts'
import { createRng } from '../../../shared/random.ts'
import { cmp, decimal, exactOf, floorOf, mul, nextUp, scaledDecimal } from '../../helpers/exact.ts'

const E8 = { num: 100_000_000n, den: 1n }

describe('floorTo8', () => {
  it('keeps exact decimals (0.29 is not 0.28999999) and rounds the rest down', () => {
    expect(floorTo8(0.29)).toBe(0.29)
    expect(floorTo8(1.1)).toBe(1.1)
    expect(floorTo8(0.123456789)).toBe(0.12345678)
    // 0.4 × 0.5 × 1000 is 200 in doubles; 199.99999999999997 (a hair under 200) rounds down.
    expect(floorTo8(0.4 * 0.5 * 1000)).toBe(200)
    expect(floorTo8(199.99999999999997)).toBe(199.99999999)
    expect(floorTo8(0)).toBe(0)
    expect(floorTo8(-1)).toBe(0)
    expect(floorTo8(1e-9)).toBe(0)
    expect(floorTo8(Infinity)).toBe(0)
    expect(floorTo8(NaN)).toBe(0)
  })

  it('never exceeds x, and is the largest 8-decimal number whose double does not (exact, random magnitudes)', () => {
    const r = createRng(5)
    for (let i = 0; i < 20_000; i++) {
      const x = r.next() * 10 ** (r.int(14) - 5) // 1e-5 … 1e8 units
      const got = floorTo8(x)
      expect(got).toBeLessThanOrEqual(x)
      if (x >= 2 ** 26) {
        expect(got).toBe(x)
        continue
      }
      // got is the double of some n × 1e-8 (exactly the decimal it prints as), and the double of
      // (n + 1) × 1e-8 is above x.
      const n = scaledDecimal(got, 8)
      if (n === null) throw new Error(`${got} is not an 8-decimal number`)
      expect(Number(n) / 1e8).toBe(got)
      expect((Number(n) + 1) / 1e8).toBeGreaterThan(x)
      // And n is floor(x × 1e8) exactly, or one more when that decimal's double is still ≤ x.
      const fl = floorOf(mul(exactOf(x), E8))
      expect(n === fl || (n === fl + 1n && Number(n) / 1e8 <= x)).toBe(true)
    }
  })
})

describe('floorTo8 near the 8-decimal steps', () => {
  it('decides values a few ulps around each step exactly (the slow path) and agrees with the fast path', () => {
    const r = createRng(19)
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(r.next() * 10 ** (1 + r.int(15)))
      if (n >= 2 ** 26 * 1e8) continue
      const step = n / 1e8
      for (const x of [step, nextDown(step), nextUp(step), nextDown(nextDown(step)), nextUp(nextUp(step))]) {
        if (!(x > 0)) continue
        const got = floorTo8(x)
        expect(got).toBeLessThanOrEqual(x)
        const m = scaledDecimal(got, 8)
        if (m === null) throw new Error(`${got} is not an 8-decimal number`)
        expect((Number(m) + 1) / 1e8).toBeGreaterThan(x)
        const fl = floorOf(mul(exactOf(x), E8))
        expect(m === fl || (m === fl + 1n && Number(m) / 1e8 <= x)).toBe(true)
      }
    }
  })
})

describe('volumeFor', () => {
  it('the two cases of the review: 5,000 at 0.00042 and 500,000 at 0.126', () => {
    expect(volumeFor(5000, 0.00042, 8)).toBe(11_904_761.9047619)
    expect(volumeFor(500_000, 0.126, 8)).toBe(3_968_253.96825396)
  })

  it('volume × price never exceeds the amount, exactly, across every tick band and 1e-4 … 1e9 units', () => {
    const r = createRng(11)
    let maximal = 0
    for (let i = 0; i < 30_000; i++) {
      // A price on the KRW ladder's scale (1e-8 … 2e9) and a volume from 1e-4 to 1e9 units.
      const price = Number((10 ** (r.next() * 17.3 - 8)).toPrecision(1 + r.int(6)))
      const units = 10 ** (r.next() * 13 - 4)
      const amount = r.next() < 0.2 ? Number((units * price).toPrecision(4)) : units * price
      if (!(amount > 0) || !(price > 0)) continue
      const q = volumeFor(amount, price, 8)
      const value = mul(exactOf(q), exactOf(price))
      expect(cmp(value, exactOf(amount))).toBeLessThanOrEqual(0)
      // Maximal: two more 8-decimal units (or, above 2^26, two more doubles) would exceed it.
      const n = scaledDecimal(q, 8)
      const up = q < 2 ** 26 && n !== null ? decimal(n + 2n, 8) : exactOf(nextUp(nextUp(q)))
      if (cmp(mul(up, exactOf(price)), exactOf(amount)) > 0) maximal++
    }
    expect(maximal).toBeGreaterThan(29_000)
  })
})

describe('productAtMost and stepDown8', () => {
  it('decides a × b ≤ c exactly where the rounded product ties c', () => {
    const r = createRng(3)
    let ties = 0
    for (let i = 0; i < 20_000; i++) {
      const a = r.next() * 10 ** r.int(9)
      const b = r.next() * 10 ** (r.int(12) - 6)
      const c = a * b
      if (!(c > 0)) continue
      const exact = cmp(mul(exactOf(a), exactOf(b)), exactOf(c)) <= 0
      expect(productAtMost(a, b, c)).toBe(exact)
      if (!exact) ties++
    }
    expect(ties).toBeGreaterThan(1000)
  })

  it('steps one 8-decimal unit down, or one double where doubles are sparser than 1e-8', () => {
    expect(stepDownVolume(0.29, 8)).toBe(0.28999999)
    expect(stepDownVolume(1, 8)).toBe(0.99999999)
    const big = 2_487_534_287.7189837
    expect(big - 1e-8).toBe(big)
    expect(stepDownVolume(big, 8)).toBe(nextDown(big))
    expect(stepDownVolume(big, 8)).toBeLessThan(big)
  })
})
