// Seed 000 weighted ensemble (bot/strategies.py ensemble_signal + bot/trader.py run_trade):
// score = Σ wₖ·sₖ over the six members in the seed's dict order, buy if score ≥ threshold,
// sell if score ≤ −threshold. Members take values in {−1, 0, +1}, so the 3⁶ = 729 possible score
// outcomes are tabulated once per weight set (summed in the seed's order, hence bit-exact) and each
// bar is one base-3 code plus a table lookup. The optimizer's fast path uses the same pieces:
// seedMemberSignals once per member-param set, ensembleCodes once, combineEnsembleCodes per weights.
// signals() itself runs the one-pass kernel of ensemble-fused.ts on tame closes (every real price
// series) and the member arrays + combineEnsemble otherwise; a test checks they agree bar for bar.
import type { CandleSeries } from '../candles/types.ts'
import { defineStrategy } from './define.ts'
import { fusedEnsembleInto, fusedStart, fusedTable } from './ensemble-fused.ts'
import { momentumKernel } from './momentum.ts'
import { num, paramSpec } from './params.ts'
import { priceActionKernel } from './price-action.ts'
import { scalpingKernel } from './scalping.ts'
import { swingKernel } from './swing.ts'
import { trendKernel } from './trend.ts'
import type { ParamSpec, Params } from './types.ts'

/** Member ids in the seed's dict order (the order the score is summed in). */
export const SEED_MEMBER_IDS = ['trend', 'momentum', 'swing', 'scalping', 'day', 'price-action'] as const
export type SeedMemberId = (typeof SEED_MEMBER_IDS)[number]

/** The seed trader does nothing with fewer than 3 closes (run_trade: len(prices) < 3). */
const ENSEMBLE_WARMUP = 2
const MEMBERS = SEED_MEMBER_IDS.length
const CODES = 729 // 3 ** MEMBERS
const CODE_OFFSET = 364 // (3 ** MEMBERS − 1) / 2: makes all-−1 code 0

const weightSpecs: ParamSpec[] = SEED_MEMBER_IDS.map((id) =>
  paramSpec(`w.${id}`, { label: `Weight: ${id}`, default: 1, min: 0, max: 1, step: 0.5, unit: 'weight', integer: false }),
)

const ENSEMBLE_PARAMS: readonly ParamSpec[] = [
  ...weightSpecs,
  paramSpec('threshold', { label: 'Threshold', default: 0.2, min: 0.05, max: 0.5, step: 0.05, unit: 'score', integer: false }),
  paramSpec('momentum.period', { label: 'Momentum period', default: 5, min: 1, max: 100, step: 1, unit: 'bars', integer: true }),
  paramSpec('swing.short', { label: 'Swing short window', default: 5, min: 2, max: 200, step: 1, unit: 'bars', integer: true }),
  paramSpec('swing.long', { label: 'Swing long window', default: 20, min: 3, max: 200, step: 1, unit: 'bars', integer: true }),
  paramSpec('scalping.takeRatio', { label: 'Scalping take ratio', default: 0.001, min: 0, max: 0.05, step: 0.0005, unit: 'ratio', integer: false }),
  paramSpec('scalping.stopRatio', { label: 'Scalping stop ratio', default: 0.001, min: 0, max: 0.05, step: 0.0005, unit: 'ratio', integer: false }),
  paramSpec('price-action.window', { label: 'Price action window', default: 200, min: 3, max: 2000, step: 10, unit: 'bars', integer: true }),
]

/** Member weights of resolved ensemble params, in SEED_MEMBER_IDS order. */
export function ensembleWeights(params: Params): Float64Array {
  return Float64Array.from(SEED_MEMBER_IDS, (id) => num(params, `w.${id}`))
}

/** The six member signal arrays, in SEED_MEMBER_IDS order, from resolved ensemble params. */
export function seedMemberSignals(series: CandleSeries, params: Params): Int8Array[] {
  const m = memberKernels(series.close, params)
  // `day` is the same rule as `trend`; a copy so callers may treat the arrays independently.
  m[4] = m[0]!.slice()
  return m
}

/** Members with `day` being the very array of `trend` (read-only use inside this module). */
function memberKernels(close: Float64Array, params: Params): Int8Array[] {
  const n = close.length
  const trend = new Int8Array(n)
  const momentum = new Int8Array(n)
  const swing = new Int8Array(n)
  const scalping = new Int8Array(n)
  const priceAction = new Int8Array(n)
  trendKernel(close, trend)
  momentumKernel(close, num(params, 'momentum.period'), momentum)
  swingKernel(close, num(params, 'swing.short'), num(params, 'swing.long'), swing)
  scalpingKernel(close, num(params, 'scalping.takeRatio'), num(params, 'scalping.stopRatio'), scalping)
  priceActionKernel(close, num(params, 'price-action.window'), priceAction)
  return [trend, momentum, swing, scalping, trend, priceAction]
}

function member(members: readonly Int8Array[], k: number): Int8Array {
  const m = members[k]
  if (m === undefined) throw new Error(`ensemble: expected ${MEMBERS} member arrays, got ${members.length}`)
  return m
}

/** Base-3 code of the six member signals per bar: Σ (sₖ + 1)·3ᵏ, in 0..728. */
export function ensembleCodes(members: readonly Int8Array[], out: Uint16Array): void {
  const m0 = member(members, 0), m1 = member(members, 1), m2 = member(members, 2)
  const m3 = member(members, 3), m4 = member(members, 4), m5 = member(members, 5)
  const n = out.length
  for (let t = 0; t < n; t++) {
    out[t] = m0[t]! + 3 * m1[t]! + 9 * m2[t]! + 27 * m3[t]! + 81 * m4[t]! + 243 * m5[t]! + CODE_OFFSET
  }
}

const scratchTable = new Int8Array(CODES)

/** Fills `table[code]` with the ensemble decision for every member combination. */
export function ensembleTable(weights: ArrayLike<number>, threshold: number, table: Int8Array): void {
  if (weights.length !== MEMBERS) throw new Error(`ensemble: expected ${MEMBERS} weights, got ${weights.length}`)
  for (let code = 0; code < CODES; code++) {
    let rest = code
    // Python: sum(w * s for k in weights) starts at 0 and adds in dict order.
    let score = 0
    for (let k = 0; k < MEMBERS; k++) {
      const s = (rest % 3) - 1
      rest = (rest - (rest % 3)) / 3
      score += weights[k]! * s
    }
    table[code] = score >= threshold ? 1 : score <= -threshold ? -1 : 0
  }
}

/** Decisions from precomputed codes (see ensembleCodes); the first 2 bars are always 0. */
export function combineEnsembleCodes(codes: Uint16Array, weights: ArrayLike<number>, threshold: number, out: Int8Array): void {
  const table = scratchTable
  ensembleTable(weights, threshold, table)
  const n = Math.min(codes.length, out.length)
  for (let t = 0; t < n; t++) out[t] = table[codes[t]!]!
  out.fill(0, 0, Math.min(ENSEMBLE_WARMUP, n))
}

/**
 * Allocation-free ensemble: out[t] = +1 if Σ wₖ·membersₖ[t] ≥ threshold, −1 if ≤ −threshold,
 * else 0; 0 for t < 2 (the seed trader's len(prices) < 3 guard). Weights in SEED_MEMBER_IDS order.
 */
export function combineEnsemble(members: readonly Int8Array[], weights: ArrayLike<number>, threshold: number, out: Int8Array): void {
  ensembleTable(weights, threshold, scratchTable)
  combineWithTable(members, scratchTable, out)
}

/** combineEnsemble with the decision table already filled (see ensembleTable). */
function combineWithTable(members: readonly Int8Array[], table: Int8Array, out: Int8Array): void {
  const m0 = member(members, 0), m1 = member(members, 1), m2 = member(members, 2)
  const m3 = member(members, 3), m4 = member(members, 4), m5 = member(members, 5)
  const n = out.length
  for (let t = 0; t < n; t++) {
    out[t] = table[m0[t]! + 3 * m1[t]! + 9 * m2[t]! + 27 * m3[t]! + 81 * m4[t]! + 243 * m5[t]! + CODE_OFFSET]!
  }
  out.fill(0, 0, Math.min(ENSEMBLE_WARMUP, n))
}

export const ensembleStrategy = defineStrategy({
  id: 'ensemble',
  version: 1,
  name: 'Weighted ensemble (seed 000)',
  description:
    'Seed 000 ensemble: score = w.trend·trend + w.momentum·momentum + w.swing·swing + w.scalping·scalping + ' +
    'w.day·day + w.price-action·price-action (summed in that order, members with their prefixed params); ' +
    '+1 if score ≥ threshold, −1 if score ≤ −threshold, else 0; 0 while fewer than 3 bars exist.',
  params: ENSEMBLE_PARAMS,
  warmup: () => ENSEMBLE_WARMUP,
  compute: (series, p, out) => computeEnsemble(series.close, p, out),
})

const table729 = new Int8Array(CODES)
const table128 = new Int8Array(128)
// The weights and threshold the two tables were last filled for (NaN: never). Filling them costs
// ~13 µs, ~0.1 ns per bar of a 130k-bar run; repeated weights (every run of a bench, a sweep over
// member params) skip it. Equal as numbers is enough: ±0 weights give the same decisions.
const tablesKey = new Float64Array(MEMBERS + 1).fill(Number.NaN)

function fillTables(weights: Float64Array, threshold: number): void {
  let same = tablesKey[MEMBERS] === threshold
  for (let k = 0; k < MEMBERS && same; k++) same = tablesKey[k] === weights[k]
  if (same) return
  ensembleTable(weights, threshold, table729)
  fusedTable(table729, table128)
  tablesKey.set(weights)
  tablesKey[MEMBERS] = threshold
}

/** The fused one-pass kernel when it applies (tame closes), else the member arrays. Same output. */
function computeEnsemble(close: Float64Array, p: Params, out: Int8Array): void {
  fillTables(ensembleWeights(p), num(p, 'threshold'))
  const fp = {
    period: num(p, 'momentum.period'),
    short: num(p, 'swing.short'),
    long: num(p, 'swing.long'),
    takeRatio: num(p, 'scalping.takeRatio'),
    stopRatio: num(p, 'scalping.stopRatio'),
    window: num(p, 'price-action.window'),
  }
  // Bars before `from` (the longest member warm-up) come from the member kernels on that prefix:
  // every member is causal, so the prefix's signals are the full series' signals there.
  const from = fusedStart(fp)
  if (fusedEnsembleInto(close, fp, table128, from, out)) {
    combineWithTable(memberKernels(close.subarray(0, from), p), table729, out.subarray(0, from))
    return
  }
  combineWithTable(memberKernels(close, p), table729, out)
}
