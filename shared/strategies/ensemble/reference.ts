// The member-by-member ensemble: the specification you can run. Each of the six members is its
// own strategy kernel (trend.ts, momentum.ts, swing.ts, scalping.ts, price-action.ts; `day` is
// `trend`'s rule), run over the whole series into its own array; each bar is then decided by the
// rule (rule.ts) through the 729-state table. It handles every input (NaN, ±Infinity, closes ≤ 0)
// and is what the fast paths must equal bar for bar: the fused pass (fused.ts, behind signals())
// and the optimizer's sweep source (sweep-source.ts). Property tests in
// test/shared/strategies/ensemble/ compare them on random data and params; the seed-000 tests tie
// this reference to the seed's own Python output. It is also the fallback of signals() for closes
// the fused pass does not take, and the optimizer's member codes come from here.
import type { CandleSeries } from '../../candles/types.ts'
import { momentumKernel } from '../momentum.ts'
import { num } from '../params.ts'
import { priceActionKernel } from '../price-action.ts'
import { scalpingKernel } from '../scalping.ts'
import { swingKernel } from '../swing.ts'
import { trendKernel } from '../trend.ts'
import type { Params } from '../types.ts'
import { ENSEMBLE_WARMUP, ensembleTable, ensembleWeights, MEMBER_COUNT, STATE_COUNT, STATE_OFFSET } from './rule.ts'

/** The six member signal arrays, in SEED_MEMBER_IDS order, from resolved ensemble params. */
export function seedMemberSignals(series: CandleSeries, params: Params): Int8Array[] {
  const m = memberSignals(series.close, params)
  // `day` is the same rule as `trend`; a copy so callers may treat the arrays independently.
  m[4] = m[0]!.slice()
  return m
}

/** Members with `day` being the very array of `trend` (for read-only use). */
export function memberSignals(close: Float64Array, params: Params): Int8Array[] {
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
  if (m === undefined) throw new Error(`ensemble: expected ${MEMBER_COUNT} member arrays, got ${members.length}`)
  return m
}

/** State code (rule.ts stateCode) of the six member signals per bar, in 0..728. */
export function ensembleCodes(members: readonly Int8Array[], out: Uint16Array): void {
  const m0 = member(members, 0),
    m1 = member(members, 1),
    m2 = member(members, 2)
  const m3 = member(members, 3),
    m4 = member(members, 4),
    m5 = member(members, 5)
  const n = out.length
  // rule.ts stateCode, spelled out; the offset in a local (an imported binding is reloaded per bar).
  const off = STATE_OFFSET
  for (let t = 0; t < n; t++) out[t] = m0[t]! + 3 * m1[t]! + 9 * m2[t]! + 27 * m3[t]! + 81 * m4[t]! + 243 * m5[t]! + off
}

const scratchTable = new Int8Array(STATE_COUNT)

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
export function combineWithTable(members: readonly Int8Array[], table: Int8Array, out: Int8Array): void {
  const m0 = member(members, 0),
    m1 = member(members, 1),
    m2 = member(members, 2)
  const m3 = member(members, 3),
    m4 = member(members, 4),
    m5 = member(members, 5)
  const n = out.length
  const off = STATE_OFFSET // as in ensembleCodes
  for (let t = 0; t < n; t++) out[t] = table[m0[t]! + 3 * m1[t]! + 9 * m2[t]! + 27 * m3[t]! + 81 * m4[t]! + 243 * m5[t]! + off]!
  out.fill(0, 0, Math.min(ENSEMBLE_WARMUP, n))
}

/** The whole reference for resolved ensemble params: member arrays, then the rule on every bar. */
export function ensembleReferenceInto(series: CandleSeries, params: Params, out: Int8Array): void {
  combineEnsemble(memberSignals(series.close, params), ensembleWeights(params), num(params, 'threshold'), out)
}
