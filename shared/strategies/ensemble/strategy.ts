// The seed 000 weighted ensemble as a strategy: its params, and signals() that runs the fused
// one-pass kernel (fused.ts) on tame closes (every real price series) and the member-by-member
// reference (reference.ts) otherwise, with the same output; its optimizer fast path is
// sweep-source.ts. The rule itself is rule.ts.
import { defineStrategy } from '../define.ts'
import { num, paramSpec } from '../params.ts'
import type { ParamSpec, Params } from '../types.ts'
import { fusedEnsembleInto, fusedStart, fusedTable } from './fused.ts'
import { combineWithTable, memberSignals } from './reference.ts'
import { ENSEMBLE_WARMUP, ensembleTable, ensembleWeights, MEMBER_COUNT, SEED_MEMBER_IDS, STATE_COUNT, WEIGHT_PARAMS } from './rule.ts'
import { ensembleSweepSource } from './sweep-source.ts'

const weightSpecs: ParamSpec[] = SEED_MEMBER_IDS.map((id, k) =>
  paramSpec(WEIGHT_PARAMS[k]!, { label: `Weight: ${id}`, default: 1, min: 0, max: 1, step: 0.5, unit: 'weight', integer: false }),
)

const ENSEMBLE_PARAMS: readonly ParamSpec[] = [
  ...weightSpecs,
  paramSpec('threshold', { label: 'Threshold', default: 0.2, min: 0.05, max: 0.5, step: 0.05, unit: 'score', integer: false }),
  paramSpec('momentum.period', { label: 'Momentum period', default: 5, min: 1, max: 100, step: 1, unit: 'bars', integer: true }),
  paramSpec('swing.short', { label: 'Swing short window', default: 5, min: 2, max: 200, step: 1, unit: 'bars', integer: true }),
  paramSpec('swing.long', { label: 'Swing long window', default: 20, min: 3, max: 200, step: 1, unit: 'bars', integer: true }),
  paramSpec('scalping.takeRatio', {
    label: 'Scalping take ratio',
    default: 0.001,
    min: 0,
    max: 0.05,
    step: 0.0005,
    unit: 'ratio',
    integer: false,
  }),
  paramSpec('scalping.stopRatio', {
    label: 'Scalping stop ratio',
    default: 0.001,
    min: 0,
    max: 0.05,
    step: 0.0005,
    unit: 'ratio',
    integer: false,
  }),
  paramSpec('price-action.window', {
    label: 'Price action window',
    default: 200,
    min: 3,
    max: 2000,
    step: 10,
    unit: 'bars',
    integer: true,
  }),
]

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
  sweepSource: (ctx, def) => ensembleSweepSource(ctx, def),
})

const table729 = new Int8Array(STATE_COUNT)
const table128 = new Int8Array(128)
// The weights and threshold the two tables were last filled for (NaN: never). Filling them costs
// ~13 µs, ~0.1 ns per bar of a 130k-bar run; repeated weights (every run of a bench, a sweep over
// member params) skip it. Equal as numbers is enough: ±0 weights give the same decisions.
const tablesKey = new Float64Array(MEMBER_COUNT + 1).fill(Number.NaN)

function fillTables(weights: Float64Array, threshold: number): void {
  let same = tablesKey[MEMBER_COUNT] === threshold
  for (let k = 0; k < MEMBER_COUNT && same; k++) same = tablesKey[k] === weights[k]
  if (same) return
  ensembleTable(weights, threshold, table729)
  fusedTable(table729, table128)
  tablesKey.set(weights)
  tablesKey[MEMBER_COUNT] = threshold
}

/** The fused one-pass kernel when it applies (tame closes), else the reference. Same output. */
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
  // Bars before `from` (the longest member warm-up) come from the reference on that prefix:
  // every member is causal, so the prefix's signals are the full series' signals there.
  const from = fusedStart(fp)
  if (fusedEnsembleInto(close, fp, table128, from, out)) {
    combineWithTable(memberSignals(close.subarray(0, from), p), table729, out.subarray(0, from))
    return
  }
  combineWithTable(memberSignals(close, p), table729, out)
}
