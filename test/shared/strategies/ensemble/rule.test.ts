// The ensemble rule (shared/strategies/ensemble/rule.ts), written once and read by every path,
// against the seed's rule spelled out literally: score = Σ wₖ·sₖ from 0 in member order, +1 if
// ≥ threshold, −1 if ≤ −threshold, else 0. Then the runnable reference (reference.ts) against a
// per-bar sum over the members' own registered strategies, on tame and untame data.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { createRng } from '../../../../shared/random.ts'
import type { Rng } from '../../../../shared/random.ts'
import { fusedTable } from '../../../../shared/strategies/ensemble/fused.ts'
import { decideStates, stateCode, STATE_COUNT, STATE_SIGNALS } from '../../../../shared/strategies/ensemble/rule.ts'
import {
  combineEnsemble,
  ensembleCodes,
  ensembleReferenceInto,
  ensembleTable,
  getStrategy,
  resolveParams,
  SEED_MEMBER_IDS,
} from '../../../../shared/strategies/index.ts'
import type { Params } from '../../../../shared/strategies/index.ts'
import { randomWalkSeries } from '../lookahead.ts'
import { firstDiff, randomEnsembleParams } from './helpers.ts'

/** Member signals of a state code, decoded digit by digit: sₖ = (⌊code / 3ᵏ⌋ mod 3) − 1. */
function digitsOf(code: number): number[] {
  return SEED_MEMBER_IDS.map((_, k) => (Math.floor(code / 3 ** k) % 3) - 1)
}

/** The seed's score, literally (Python's sum() starts at 0 and adds in dict order). */
function seedScore(weights: ArrayLike<number>, signals: readonly number[]): number {
  let score = 0
  for (let k = 0; k < weights.length; k++) score += weights[k]! * signals[k]!
  return score
}

function seedDecision(weights: ArrayLike<number>, signals: readonly number[], threshold: number): number {
  const score = seedScore(weights, signals)
  return score >= threshold ? 1 : score <= -threshold ? -1 : 0
}

function randomWeights(rng: Rng, r: number): number[] {
  // Grid weights, arbitrary floats (sums that round), and zeros mixed in.
  return SEED_MEMBER_IDS.map(() => (r % 3 === 0 ? rng.int(3) * 0.5 : r % 3 === 1 ? rng.next() : rng.int(2) * rng.next() * 3))
}

describe('ensemble rule', () => {
  it("state codes and STATE_SIGNALS are inverse: the code of a state's signals is the state", () => {
    for (let code = 0; code < STATE_COUNT; code++) {
      const s = digitsOf(code)
      expect([...STATE_SIGNALS.subarray(code * 6, code * 6 + 6)]).toEqual(s)
      expect(stateCode(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!)).toBe(code)
    }
  })

  it("the reference's per-bar codes (ensembleCodes, combineEnsemble) are stateCode of the members", () => {
    const rng = createRng(40)
    const n = 3000
    const members = SEED_MEMBER_IDS.map(() => Int8Array.from({ length: n }, () => rng.int(3) - 1))
    const codes = new Uint16Array(n)
    ensembleCodes(members, codes)
    const weights = randomWeights(rng, 1)
    const table = new Int8Array(STATE_COUNT)
    ensembleTable(weights, 0.3, table)
    const out = new Int8Array(n)
    combineEnsemble(members, weights, 0.3, out)
    for (let t = 0; t < n; t++) {
      const code = stateCode(members[0]![t]!, members[1]![t]!, members[2]![t]!, members[3]![t]!, members[4]![t]!, members[5]![t]!)
      expect(codes[t]).toBe(code)
      expect(out[t]).toBe(t < 2 ? 0 : table[code])
    }
  })

  it('ensembleTable decides every state as the seed does, for random weights and thresholds', () => {
    const rng = createRng(41)
    const table = new Int8Array(STATE_COUNT)
    for (let r = 0; r < 60; r++) {
      const weights = randomWeights(rng, r)
      // Thresholds on the grid, arbitrary, and exactly a reachable score (the ≥ / ≤ boundary).
      const threshold =
        r % 4 === 0
          ? 0.05 * (1 + rng.int(10))
          : r % 4 === 1
            ? rng.next() * 2
            : Math.abs(seedScore(weights, digitsOf(rng.int(STATE_COUNT)))) || 0.5
      ensembleTable(weights, threshold, table)
      for (let code = 0; code < STATE_COUNT; code++) {
        const want = seedDecision(weights, digitsOf(code), threshold)
        if (table[code] !== want)
          expect.fail(`weights ${weights}, threshold ${threshold}, state ${digitsOf(code)}: ${table[code]} vs ${want}`)
      }
    }
  })

  it("decideStates on a subset of states (the sweep source's use) equals the full table", () => {
    const rng = createRng(42)
    const table = new Int8Array(STATE_COUNT)
    for (let r = 0; r < 20; r++) {
      const weights = Float64Array.from(randomWeights(rng, r))
      const threshold = 0.05 * (1 + rng.int(10))
      ensembleTable(weights, threshold, table)
      const codes = Array.from({ length: 1 + rng.int(100) }, () => rng.int(STATE_COUNT))
      const states = new Int8Array(codes.length * 6)
      codes.forEach((c, j) => states.set(digitsOf(c), j * 6))
      const out = new Int8Array(codes.length)
      decideStates(weights, threshold, states, codes.length, out, 0)
      codes.forEach((c, j) => expect(out[j]).toBe(table[c]))
    }
  })

  it("the fused pass's 128-entry table is the rule's decision for the member signals its bits stand for", () => {
    const rng = createRng(43)
    const t729 = new Int8Array(STATE_COUNT)
    const t128 = new Int8Array(128)
    for (let r = 0; r < 20; r++) {
      const weights = randomWeights(rng, r)
      const threshold = 0.05 * (1 + rng.int(10))
      ensembleTable(weights, threshold, t729)
      fusedTable(t729, t128)
      for (let idx = 0; idx < 128; idx++) {
        const bit = (i: number): number => (idx >> i) & 1
        // trend (= day), momentum, swing: ±1; scalping: take first; price action: up, down, both → 0.
        const trend = bit(0) ? 1 : -1
        const scalping = bit(3) ? 1 : bit(4) ? -1 : 0
        const pa = bit(5) - bit(6)
        const want = bit(5) && bit(6) ? 0 : seedDecision(weights, [trend, bit(1) ? 1 : -1, bit(2) ? 1 : -1, scalping, trend, pa], threshold)
        expect(t128[idx], `idx ${idx}`).toBe(want)
      }
    }
  })

  it('rejects a wrong number of weights', () => {
    expect(() => ensembleTable([1, 1], 0.2, new Int8Array(STATE_COUNT))).toThrow(/6 weights/)
  })
})

describe("the member-by-member reference is the rule over the members' own strategies", () => {
  const ensemble = getStrategy('ensemble')

  /** Each member through its registered strategy, then the seed's decision per bar: no tables. */
  function plainEnsemble(series: CandleSeries, p: Params): Int8Array {
    const member = (id: string, params: Params): Int8Array => getStrategy(id).signals(series, params)
    const members = [
      member('trend', {}),
      member('momentum', { period: p['momentum.period']! }),
      member('swing', { short: p['swing.short']!, long: p['swing.long']! }),
      member('scalping', { takeRatio: p['scalping.takeRatio']!, stopRatio: p['scalping.stopRatio']! }),
      member('day', {}),
      member('price-action', { window: p['price-action.window']! }),
    ]
    const weights = SEED_MEMBER_IDS.map((id) => p[`w.${id}`]!)
    const out = new Int8Array(series.close.length)
    for (let t = 2; t < out.length; t++)
      out[t] = seedDecision(
        weights,
        members.map((m) => m[t]!),
        p['threshold']!,
      )
    return out
  }

  it('random params on tame and untame closes (NaN, 0, negative, ±Infinity)', () => {
    const rng = createRng(44)
    for (let r = 0; r < 12; r++) {
      const series = randomWalkSeries(300 + r, 1200 + rng.int(800), { startPrice: 100, tick: 0.1, sigma: 0.004 })
      if (r % 2 === 1) {
        const close = series.close
        for (const v of [Number.NaN, 0, -3, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) close[rng.int(close.length)] = v
      }
      const p = resolveParams(ensemble, randomEnsembleParams(rng, r % 3 === 2))
      const got = new Int8Array(series.close.length)
      ensembleReferenceInto(series, p, got)
      const want = plainEnsemble(series, p)
      const t = firstDiff(got, want)
      if (t >= 0) expect.fail(`${JSON.stringify(p)}: t=${t} got ${got[t]} want ${want[t]}`)
      // And the strategy (fused or fallback) says the same.
      expect(firstDiff(ensemble.signals(series, p), want)).toBe(-1)
    }
  })
})
