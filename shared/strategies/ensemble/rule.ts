// The seed 000 ensemble rule, written once (bot/strategies.py ensemble_signal + bot/trader.py
// run_trade): score = Σ wₖ·sₖ over the six members, summed from 0 in the seed's dict order;
// +1 if score ≥ threshold, −1 if score ≤ −threshold, else 0; 0 while fewer than 3 closes exist.
// Members say −1, 0 or +1, so a bar's member signals are one of 3⁶ = 729 states, numbered by a
// base-3 code. Every path decides states with decideStates below: the member-by-member reference
// and the fused pass through the 729-entry table (ensembleTable), the optimizer's sweep source on
// just the states that occur. The same arithmetic in the same order everywhere, hence bit-exact.
import { num } from '../params.ts'
import type { Params } from '../types.ts'

/** Member ids in the seed's dict order (the order the score is summed in). */
export const SEED_MEMBER_IDS = ['trend', 'momentum', 'swing', 'scalping', 'day', 'price-action'] as const
export type SeedMemberId = (typeof SEED_MEMBER_IDS)[number]

export const MEMBER_COUNT = SEED_MEMBER_IDS.length
/** 3 ** MEMBER_COUNT member-signal states. */
export const STATE_COUNT = 729
/** The seed trader does nothing with fewer than 3 closes (run_trade: len(prices) < 3). */
export const ENSEMBLE_WARMUP = 2
/** (3 ** MEMBER_COUNT − 1) / 2: makes the all-−1 state code 0. */
export const STATE_OFFSET = 364

/** The weight params, in SEED_MEMBER_IDS order. */
export const WEIGHT_PARAMS: readonly string[] = SEED_MEMBER_IDS.map((id) => `w.${id}`)

/** Params the decision reads (weights and threshold); all others choose the member signals. */
export function isDecisionParam(name: string): boolean {
  return name === 'threshold' || name.startsWith('w.')
}

/** Member weights of resolved ensemble params into `out`, in SEED_MEMBER_IDS order. */
export function ensembleWeightsInto(params: Params, out: Float64Array): void {
  for (let k = 0; k < MEMBER_COUNT; k++) out[k] = num(params, WEIGHT_PARAMS[k]!)
}

/** Member weights of resolved ensemble params, in SEED_MEMBER_IDS order. */
export function ensembleWeights(params: Params): Float64Array {
  const w = new Float64Array(MEMBER_COUNT)
  ensembleWeightsInto(params, w)
  return w
}

/**
 * Code of one bar's member signals (each −1, 0 or +1, in SEED_MEMBER_IDS order): Σ (sₖ + 1)·3ᵏ.
 * The per-bar loops of reference.ts spell it out (a call per bar cost them 5–10%, measured); a
 * test checks they agree with it.
 */
export function stateCode(s0: number, s1: number, s2: number, s3: number, s4: number, s5: number): number {
  return s0 + 3 * s1 + 9 * s2 + 27 * s3 + 81 * s4 + 243 * s5 + STATE_OFFSET
}

/** The member signals of every state: state c's member k at c·MEMBER_COUNT + k. */
export const STATE_SIGNALS: Int8Array = (() => {
  const out = new Int8Array(STATE_COUNT * MEMBER_COUNT)
  for (let code = 0; code < STATE_COUNT; code++) {
    let rest = code
    for (let k = 0; k < MEMBER_COUNT; k++) {
      out[code * MEMBER_COUNT + k] = (rest % 3) - 1
      rest = (rest - (rest % 3)) / 3
    }
  }
  return out
})()

/**
 * The rule: out[j] = base + the decision for the member signals states[j·6 … j·6 + 5], j < count,
 * with the 6 weights in SEED_MEMBER_IDS order.
 * The score starts at 0 and adds wₖ·sₖ in member order, as Python's sum() over the seed's dict.
 * `base` lets the sweep source write its class-key characters in the same pass; tables use 0.
 */
export function decideStates(
  weights: ArrayLike<number>,
  threshold: number,
  states: Int8Array,
  count: number,
  out: Int8Array | Uint16Array,
  base: number,
): void {
  // Unrolled with the weights in locals, and no module const in the loop (V8 reloads those on
  // every iteration): the sweep source runs this once per param set, on its planning path.
  const w0 = weights[0]!,
    w1 = weights[1]!,
    w2 = weights[2]!
  const w3 = weights[3]!,
    w4 = weights[4]!,
    w5 = weights[5]!
  for (let j = 0, b = 0; j < count; j++, b += 6) {
    let score = 0
    score += w0 * states[b]!
    score += w1 * states[b + 1]!
    score += w2 * states[b + 2]!
    score += w3 * states[b + 3]!
    score += w4 * states[b + 4]!
    score += w5 * states[b + 5]!
    out[j] = base + (score >= threshold ? 1 : score <= -threshold ? -1 : 0)
  }
}

/** Fills `table[code]` with the decision for every state (see stateCode). */
export function ensembleTable(weights: ArrayLike<number>, threshold: number, table: Int8Array): void {
  if (weights.length !== MEMBER_COUNT) throw new Error(`ensemble: expected ${MEMBER_COUNT} weights, got ${weights.length}`)
  decideStates(weights, threshold, STATE_SIGNALS, STATE_COUNT, table, 0)
}
