import { describe, it, expect } from 'vitest'
import {
  blocksFor,
  columnStatsInto,
  CscvMatrix,
  cscvPbo,
  cscvWorse,
  halfSubsets,
  isBadColumn,
  PBO_STATS,
  pboFromWorse,
  probabilityOfOverfitting,
  splitPairs,
} from '../../../../shared/optimize/robust/pbo.ts'
import type { PboMetric } from '../../../../shared/optimize/robust/pbo.ts'
import { probabilityOfOverfittingReference } from '../../../../shared/optimize/robust/pbo-reference.ts'
import { createRng } from '../../../../shared/random.ts'
import type { Rng } from '../../../../shared/random.ts'

const col = (xs: number[]): Float64Array => Float64Array.from(xs)

describe('PBO by CSCV', () => {
  it('enumerates C(S, S/2) splits', () => {
    expect(halfSubsets(4)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ])
    expect(halfSubsets(6)).toHaveLength(20)
  })
  it('a strategy that dominates everywhere: PBO 0', () => {
    const good = col([3, 3, 4, 4, 3, 3, 4, 4])
    const bad = col([1, 2, 1, 2, 1, 2, 1, 2])
    const r = probabilityOfOverfitting([bad, good], 4, 'mean')
    expect(r.pbo).toBe(0)
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(2), 14)
  })
  it('regime-flipping strategies: the IS winner always loses OOS, PBO 1', () => {
    // S = 2 blocks of 2 periods: A wins block 0, B wins block 1.
    const a = col([2, 2, -1, -1])
    const b = col([-1, -1, 2, 2])
    const r = probabilityOfOverfitting([a, b], 2, 'mean')
    expect(r.splits).toBe(2)
    expect(r.pbo).toBe(1)
    expect(r.logits[0]).toBeCloseTo(Math.log(1 / 2), 14)
  })
  it('hand-worked 3 strategies × 4 blocks (means)', () => {
    // Block means per strategy (each block 2 equal periods):
    //   A: [5, 0, 0, 0]   B: [1, 1, 1, 1]   C: [0, 2, 2, 0]
    // IS {0,1}: A 2.5, B 1, C 1 → A; OOS {2,3}: A 0, B 1, C 1 → A worst, ω=1/4, λ<0
    // IS {0,2}: A 2.5 → A; OOS {1,3}: A 0, B 1, C 1 → λ<0
    // IS {0,3}: A 2.5 → A; OOS {1,2}: A 0, B 1, C 2 → λ<0
    // IS {1,2}: A 0, B 1, C 2 → C; OOS {0,3}: A 2.5, B 1, C 0 → C worst, λ<0
    // IS {1,3}: A 0, B 1, C 1 → B (tie → lower index); OOS {0,2}: A 2.5, B 1, C 1 → B rank 1 (none strictly worse) → λ<0
    // IS {2,3}: A 0, B 1, C 1 → B; OOS {0,1}: A 2.5, B 1, C 1 → rank 1 → λ<0
    const a = col([5, 5, 0, 0, 0, 0, 0, 0])
    const b = col([1, 1, 1, 1, 1, 1, 1, 1])
    const c = col([0, 0, 2, 2, 2, 2, 0, 0])
    const r = probabilityOfOverfitting([a, b, c], 4, 'mean')
    expect(r.pbo).toBe(1)
    // Swap in a B that is best out of sample when chosen: B = [1,1,1,3] blocks.
    const b2 = col([1, 1, 1, 1, 1, 1, 3, 3])
    // IS {1,3}: A 0, B2 2, C 1 → B2; OOS {0,2}: A 2.5, B2 1, C 1 → rank 1 → λ<0
    // IS {2,3}: A 0, B2 2, C 1 → B2; OOS {0,1}: A 2.5, B2 1, C 1 → rank 1 → λ<0
    // IS {0,3}: A 2.5, B2 2 → A; OOS {1,2}: A 0 → λ<0.  IS {1,2}: C 2 → C; OOS {0,3}: A 2.5, B2 2, C 0 → λ<0
    // IS {0,1}: A 2.5 → A; OOS {2,3}: A 0, B2 2, C 1 → λ<0.  IS {0,2}: A 2.5 → A; OOS {1,3}: A 0, B2 2, C 1 → λ<0
    expect(probabilityOfOverfitting([a, b2, c], 4, 'mean').pbo).toBe(1)
    // A strategy D that is best in every block makes every split choose it and rank it first: PBO 0.
    const d = col([6, 6, 3, 3, 3, 3, 4, 4])
    expect(probabilityOfOverfitting([a, b, c, d], 4, 'mean').pbo).toBe(0)
  })
  it('hand-worked mixed case: PBO = 3/6', () => {
    // Block means A: [3, 0, 2, 1], B: [1, 1, 1, 1] (2 periods per block).
    // IS{0,1} A → OOS{2,3}: A 1.5 > B 1, best, λ = ln 2 > 0
    // IS{0,2} A → OOS{1,3}: A 0.5 worst, λ < 0
    // IS{0,3} A → OOS{1,2}: A 1 = B 1, none strictly worse → rank 1, λ < 0
    // IS{1,2} A 1 = B 1 → A (lower index) → OOS{0,3}: A 2 best, λ > 0
    // IS{1,3} B → OOS{0,2}: B 1 < A 2.5, λ < 0
    // IS{2,3} A → OOS{0,1}: A 1.5 best, λ > 0
    const a = col([3, 3, 0, 0, 2, 2, 1, 1])
    const b = col([1, 1, 1, 1, 1, 1, 1, 1])
    const r = probabilityOfOverfitting([a, b], 4, 'mean')
    expect(r.pbo).toBe(0.5)
    expect(Array.from(r.logits, (l) => Math.sign(l))).toEqual([1, -1, -1, 1, -1, 1])
  })
  it('rejects bad inputs', () => {
    expect(() => probabilityOfOverfitting([col([1, 2])], 2)).toThrow(/at least 2/)
    expect(() => probabilityOfOverfitting([col([1, 2, 3, 4]), col([1, 2, 3, 4])], 3)).toThrow(/even/)
    expect(() => probabilityOfOverfitting([col([1, 2, 3, 4]), col([1, 2, 3])], 2)).toThrow(/same number/)
    expect(() => probabilityOfOverfitting([col([1, 2, 3]), col([1, 2, 3])], 2)).toThrow(/too few/)
    expect(() => probabilityOfOverfitting([col([1, 2, NaN, 4]), col([1, 2, 3, 4])], 2)).toThrow(/not a finite/)
    expect(() => probabilityOfOverfitting([col([1, 2, Infinity, 4]), col([1, 2, 3, 4])], 2)).toThrow(/not a finite/)
    const long = Array.from({ length: 2 }, () => new Float64Array(44))
    expect(() => probabilityOfOverfitting(long, 22)).toThrow(/≤ 20/)
    expect(() => probabilityOfOverfittingReference([col([1, 2, NaN, 4]), col([1, 2, 3, 4])], 2)).toThrow(/not finite/)
  })
})

/** The cap the report applied before (kept here to show its bias): top `top` + rank-spaced ranks. */
function oldCappedColumns(rankedCount: number, maxColumns: number, top: number): Int32Array {
  if (rankedCount <= maxColumns) return Int32Array.from({ length: rankedCount }, (_, i) => i)
  const head = Math.min(top, maxColumns - 2)
  const rest = maxColumns - head
  const out = new Int32Array(maxColumns)
  for (let i = 0; i < head; i++) out[i] = i
  const span = rankedCount - 1 - head
  for (let j = 0; j < rest; j++) out[head + j] = head + Math.round((j * span) / (rest - 1))
  return out
}

function fullSharpe(c: Float64Array): number {
  const m = c.reduce((a, b) => a + b, 0) / c.length
  return m / Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / (c.length - 1))
}

function noise(rng: Rng, periods: number, scale = 0.01, drift = 0): Float64Array {
  return Float64Array.from({ length: periods }, () => drift + scale * rng.normal())
}

/**
 * A random column of one of several kinds that make ties: noise, a copy of an earlier column, a
 * constant (positive, negative or zero), constant (often zero) on some blocks and noise elsewhere,
 * zero, an earlier column's values on some blocks and noise elsewhere, and, for 'mean' only, small
 * integers (exact sums, so equal means tie exactly).
 */
function randomColumn(rng: Rng, earlier: readonly Float64Array[], periods: number, blocks: number, metric: PboMetric): Float64Array {
  const kind = rng.int(metric === 'mean' ? 7 : 6)
  const blockLen = Math.floor(periods / blocks)
  const constant = (): number => [0, 0.01, -0.01, 0.02, -0.003, 1e-9, 0.0457, 0.0789][rng.int(8)]!
  const pick = (): Float64Array | undefined => (earlier.length > 0 ? earlier[rng.int(earlier.length)] : undefined)
  switch (kind) {
    case 0:
      return noise(rng, periods, 0.01 * (0.5 + rng.next()), 0.002 * rng.normal())
    case 1:
      return Float64Array.from(pick() ?? noise(rng, periods))
    case 2:
      return new Float64Array(periods).fill(constant())
    case 3: {
      const c = noise(rng, periods)
      const v = rng.next() < 0.6 ? 0 : constant()
      for (let b = 0; b < blocks; b++) if (rng.next() < 0.5) c.fill(v, b * blockLen, (b + 1) * blockLen)
      return c
    }
    case 4:
      return new Float64Array(periods)
    case 5: {
      const from = pick() ?? noise(rng, periods)
      const c = noise(rng, periods, 0.01, 0.002 * rng.normal())
      for (let b = 0; b < blocks; b++) if (rng.next() < 0.5) c.set(from.subarray(b * blockLen, (b + 1) * blockLen), b * blockLen)
      return c
    }
    default:
      return Float64Array.from({ length: periods }, () => rng.int(5) - 2)
  }
}

describe('fast CSCV equals the plain reference (pbo-reference.ts)', () => {
  it('on random matrices with copies, partial copies, constant, zero and partly constant columns: same PBO and logits', () => {
    const rng = createRng(20240611)
    let cases = 0
    for (let k = 0; k < 200; k++) {
      const metric: PboMetric = k % 3 === 2 ? 'mean' : 'sharpe'
      const blocks = 2 * (1 + rng.int(5))
      const periods = blocks * (2 + rng.int(4)) + rng.int(blocks)
      const n = 2 + rng.int(12)
      const cols: Float64Array[] = []
      for (let j = 0; j < n; j++) cols.push(randomColumn(rng, cols, periods, blocks, metric))
      const fast = probabilityOfOverfitting(cols, blocks, metric)
      const ref = probabilityOfOverfittingReference(cols, blocks, metric)
      expect(fast.splits).toBe(ref.splits)
      expect(fast.pbo).toBe(ref.pbo)
      expect(Array.from(fast.logits)).toEqual(Array.from(ref.logits))
      cases++
    }
    expect(cases).toBe(200)
  })

  it('on noise with a few planted edges, S = 16 (12,870 splits)', () => {
    const rng = createRng(7)
    const cols = Array.from({ length: 12 }, (_, j) => noise(rng, 80, 0.01, j % 4 === 0 ? 0.003 : 0))
    const fast = probabilityOfOverfitting(cols, 16)
    const ref = probabilityOfOverfittingReference(cols, 16)
    expect(fast.splits).toBe(12_870)
    expect(fast.pbo).toBe(ref.pbo)
    expect(Array.from(fast.logits)).toEqual(Array.from(ref.logits))
  })

  it('streaming columns into a CscvMatrix in any order gives the same result', () => {
    const rng = createRng(11)
    const cols = Array.from({ length: 9 }, () => noise(rng, 61))
    const m = new CscvMatrix(9, 61, 6)
    expect(m.complete).toBe(false)
    for (const j of [4, 0, 8, 2, 6, 1, 3, 7]) m.setColumn(j, cols[j]!)
    expect(() => cscvPbo(m)).toThrow(/every column/)
    m.setColumn(5, cols[5]!)
    expect(m.complete).toBe(true)
    const direct = probabilityOfOverfitting(cols, 6)
    const streamed = cscvPbo(m)
    expect(streamed.pbo).toBe(direct.pbo)
    expect(Array.from(streamed.logits)).toEqual(Array.from(direct.logits))
    expect(() => m.setColumn(9, cols[0]!)).toThrow(/outside/)
    expect(() => m.setColumn(0, cols[0]!.subarray(1))).toThrow(/same number/)
  })
})

describe('zero-variance columns', () => {
  it('two constant positive columns are ordered by their value, whatever their order and the noise beside them', () => {
    // Constant daily returns: sd is exactly 0, Sharpe +∞ for both; the larger value wins in and out
    // of sample, so PBO is 0 and every split ranks the winner first. (Before, centring left a
    // rounding residue in the variance and the two were ordered by it: PBO 1 here.)
    for (const [a, b] of [
      [0.1, 0.3],
      [0.3, 0.1],
      [0.001, 0.0011],
      [0.07, 0.01],
    ]) {
      const rng = createRng(2)
      const cols = [new Float64Array(48).fill(a!), new Float64Array(48).fill(b!), noise(rng, 48), noise(rng, 48, 0.01, 0.01)]
      for (const metric of ['sharpe', 'mean'] as const) {
        const r = probabilityOfOverfitting(cols, 8, metric)
        expect(r.pbo).toBe(0)
        for (const l of r.logits) expect(l).toBeCloseTo(Math.log(4), 14)
        expect(probabilityOfOverfittingReference(cols, 8, metric).pbo).toBe(0)
      }
    }
  })

  it('constant on the in-sample half only: the larger constant is chosen, not the one rounding favours', () => {
    // A = va and B = vb > va on blocks 0–3 (of 8), then A gains and B loses. On split 0 (in-sample
    // blocks 0–3) both are constant: +∞, and B (the larger value) is the in-sample best; out of
    // sample it is the worst of 3: λ = ln(1/3). Computed from sums, the variance of such a set is a
    // rounding residue (Σx² − (Σx)²/n: −1e-18 for one value, +8e-17 for another), so without the
    // exact test the order of A and B is the residue's: wrong for 0.0457 / 0.0789 at every seed.
    for (const [va, vb] of [
      [0.01, 0.02],
      [0.0457, 0.0789],
      [0.013, 0.017],
      [0.0031, 0.0037],
      [0.001, 0.0011],
    ])
      for (let seed = 1; seed <= 20; seed++) {
        const rng = createRng(seed)
        const a = noise(rng, 48, 0.01, 0.05)
        const b = noise(rng, 48, 0.01, -0.05)
        a.fill(va!, 0, 24)
        b.fill(vb!, 0, 24)
        const c = noise(rng, 48)
        expect(probabilityOfOverfitting([a, b, c], 8).logits[0]).toBeCloseTo(Math.log(1 / 3), 14)
        // Swapping the two changes nothing.
        expect(probabilityOfOverfitting([b, a, c], 8).logits[0]).toBeCloseTo(Math.log(1 / 3), 14)
        if (seed === 1)
          expect(Array.from(probabilityOfOverfitting([a, b, c], 8).logits)).toEqual(
            Array.from(probabilityOfOverfittingReference([a, b, c], 8).logits),
          )
      }
  })

  it('a constant negative column ranks below any noise, a zero column at Sharpe 0', () => {
    const rng = createRng(3)
    const neg = new Float64Array(40).fill(-0.002)
    const zero = new Float64Array(40)
    const cols = [neg, zero, noise(rng, 40, 0.01, 0.004)]
    const r = probabilityOfOverfitting(cols, 4)
    const ref = probabilityOfOverfittingReference(cols, 4)
    expect(Array.from(r.logits)).toEqual(Array.from(ref.logits))
    // Two constant negative columns: the less negative wins.
    const two = [new Float64Array(40).fill(-0.003), new Float64Array(40).fill(-0.001)]
    expect(probabilityOfOverfitting(two, 4).pbo).toBe(0)
    expect(probabilityOfOverfitting(two.reverse(), 4).pbo).toBe(0)
  })

  it('a column constant on some blocks only is constant on exactly the splits within them', () => {
    // Column 0: 0.01 on blocks 0 and 1, losing noise on 2 and 3. Column 1: small positive noise.
    // IS {0,1} (split 0): column 0 is constant, +∞, chosen, and loses out of sample: λ = ln(1/2).
    // IS {2,3} (split 5): column 1 is chosen, and column 0 is constant, +∞, out of sample: ln(1/2).
    const rng = createRng(4)
    const c0 = noise(rng, 40, 0.01, -0.05)
    c0.fill(0.01, 0, 20)
    const c1 = noise(rng, 40, 0.001, 0.0001)
    const r = probabilityOfOverfitting([c0, c1], 4)
    expect(r.logits[0]).toBeCloseTo(Math.log(1 / 2), 14)
    expect(r.logits[5]).toBeCloseTo(Math.log(1 / 2), 14)
    expect(Array.from(r.logits)).toEqual(Array.from(probabilityOfOverfittingReference([c0, c1], 4).logits))
  })
})

describe('columns equal on a set tie there exactly', () => {
  it('two columns that are equal on the in-sample half: the lower index is chosen, whatever happens elsewhere', () => {
    // A and B share their first 24 periods (blocks 0–3 of 8), then A loses and B gains. On split 0
    // they tie in sample, so the lower index is chosen: A first → worst of 3 out of sample,
    // λ = ln(1/3); B first → best, λ = ln 3. A set's statistic depends on its own values only;
    // centring each column on its full-window mean (as before) made the tie a matter of rounding
    // (it was wrong for 48 of seeds 1–50).
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed)
      const shared = noise(rng, 24, 0.01, 0.01)
      const a = noise(rng, 48, 0.01, -0.05)
      const b = noise(rng, 48, 0.01, 0.05)
      a.set(shared, 0)
      b.set(shared, 0)
      const c = noise(rng, 48)
      expect(probabilityOfOverfitting([a, b, c], 8).logits[0]).toBeCloseTo(Math.log(1 / 3), 14)
      expect(probabilityOfOverfitting([b, a, c], 8).logits[0]).toBeCloseTo(Math.log(3), 14)
    }
  })
})

describe('the old column cap understated PBO', () => {
  it('4,000 noise columns over 91 days: top 64 + rank-spaced sample of 512 gives far less than the exact CSCV', () => {
    // The cap kept the 64 best by full-window Sharpe: chosen with the very out-of-sample halves
    // CSCV holds out, so the in-sample winner was nearly always among them and ranked well out of
    // sample. 10 blocks (252 splits) so the plain reference can confirm the exact figure here.
    const rng = createRng(1)
    const cols = Array.from({ length: 4000 }, () => noise(rng, 91))
    const ranked = Array.from({ length: cols.length }, (_, i) => i).sort((a, b) => fullSharpe(cols[b]!) - fullSharpe(cols[a]!))
    const capped = Array.from(oldCappedColumns(cols.length, 512, 64), (i) => ranked[i]!).sort((a, b) => a - b)
    const cappedPbo = probabilityOfOverfitting(
      capped.map((i) => cols[i]!),
      10,
    ).pbo
    const exact = probabilityOfOverfitting(cols, 10)
    const ref = probabilityOfOverfittingReference(cols, 10)
    expect(exact.pbo).toBe(ref.pbo)
    expect(Array.from(exact.logits)).toEqual(Array.from(ref.logits))
    expect(exact.pbo).toBeCloseTo(0.5278, 4)
    expect(cappedPbo).toBeCloseTo(0.3135, 4)
    expect(cappedPbo).toBeLessThan(exact.pbo - 0.2)
  })
})

describe('CSCV in parts (what the sweep workers and the pool compute)', () => {
  it('columnStatsInto gives the numbers setColumn keeps, and setColumnStats / fromStats copy them', () => {
    const rng = createRng(99)
    for (let k = 0; k < 50; k++) {
      const blocks = 2 * (1 + rng.int(6))
      const periods = blocks * (2 + rng.int(3)) + rng.int(blocks)
      const blockLen = Math.floor(periods / blocks)
      const cols: Float64Array[] = []
      for (let j = 0; j < 6; j++) cols.push(randomColumn(rng, cols, periods, blocks, 'sharpe'))
      const m = new CscvMatrix(6, periods, blocks)
      const reduced = new Float64Array(6 * blocks * PBO_STATS)
      cols.forEach((c, j) => {
        m.setColumn(j, c)
        expect(columnStatsInto(c, blocks, blockLen, reduced, j * blocks * PBO_STATS)).toBe(true)
      })
      expect(Array.from(reduced)).toEqual(Array.from(m.stats))
      const copy = CscvMatrix.fromStats(6, periods, blocks, reduced)
      expect(copy.complete).toBe(true)
      expect(cscvPbo(copy)).toStrictEqual(cscvPbo(m))
    }
  })

  it('a non-finite value anywhere (trailing periods included) marks the column unusable', () => {
    const c = Float64Array.from({ length: 9 }, (_, i) => i * 0.001)
    const out = new Float64Array(2 * PBO_STATS)
    expect(columnStatsInto(c, 2, 4, out, 0)).toBe(true)
    expect(isBadColumn(out, 0)).toBe(false)
    for (const [at, v] of [
      [8, NaN],
      [2, Infinity],
      [5, 1e101],
    ] as const) {
      const bad = c.slice()
      bad[at] = v
      expect(columnStatsInto(bad, 2, 4, out, 0)).toBe(false)
      expect(isBadColumn(out, 0)).toBe(true)
    }
    const m = new CscvMatrix(2, 9, 2)
    expect(() => m.setColumnStats(0, out, 0)).toThrow(/not all finite/)
    expect(() => m.setColumnStats(0, out, 1)).toThrow(/no 6 numbers/)
  })

  it('split pairs counted in any ranges and put together give cscvPbo, bit for bit', () => {
    const rng = createRng(5)
    for (let k = 0; k < 40; k++) {
      const metric: PboMetric = k % 4 === 3 ? 'mean' : 'sharpe'
      const blocks = 2 * (1 + rng.int(6))
      const periods = blocks * (2 + rng.int(3))
      const n = 2 + rng.int(10)
      const cols: Float64Array[] = []
      for (let j = 0; j < n; j++) cols.push(randomColumn(rng, cols, periods, blocks, metric))
      const m = new CscvMatrix(n, periods, blocks)
      cols.forEach((c, j) => m.setColumn(j, c))
      const pairs = splitPairs(blocks)
      expect(2 * pairs).toBe(halfSubsets(blocks).length)
      // Random cut points, parts given in a shuffled order.
      const cuts = [0, pairs, ...Array.from({ length: rng.int(4) }, () => rng.int(pairs + 1))].sort((a, b) => a - b)
      const parts = cuts.slice(1).map((to, i) => ({ from: cuts[i]!, to, worse: cscvWorse(m, metric, cuts[i]!, to) }))
      parts.reverse()
      expect(pboFromWorse(blocks, n, parts)).toStrictEqual(cscvPbo(m, metric))
      expect(pboFromWorse(blocks, n, parts)).toStrictEqual(probabilityOfOverfittingReference(cols, blocks, metric))
    }
  })

  it('refuses parts that miss or repeat a pair, and pair ranges outside the splits', () => {
    const rng = createRng(6)
    const m = new CscvMatrix(3, 12, 4)
    for (let j = 0; j < 3; j++) m.setColumn(j, noise(rng, 12))
    expect(splitPairs(4)).toBe(3)
    const a = { from: 0, to: 2, worse: cscvWorse(m, 'sharpe', 0, 2) }
    const b = { from: 1, to: 3, worse: cscvWorse(m, 'sharpe', 1, 3) }
    expect(() => pboFromWorse(4, 3, [a])).toThrow(/pair 2 not counted/)
    expect(() => pboFromWorse(4, 3, [a, b])).toThrow(/counted twice/)
    expect(() => cscvWorse(m, 'sharpe', 2, 4)).toThrow(/outside/)
    expect(() => cscvWorse(new CscvMatrix(3, 12, 4), 'sharpe', 0, 3)).toThrow(/every column/)
  })

  it('blocksFor lowers S to an even count with at least 2 periods a block', () => {
    expect(blocksFor(91, 16)).toBe(16)
    expect(blocksFor(20, 16)).toBe(10)
    expect(blocksFor(9, 16)).toBe(4)
    expect(blocksFor(7, 16)).toBe(2)
    expect(blocksFor(3, 16)).toBe(0)
  })
})
