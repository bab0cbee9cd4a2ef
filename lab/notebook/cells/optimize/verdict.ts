// The plain-language verdict on a sweep's pick, from unbiased figures only: the exact PBO
// (every candidate a CSCV column, README "Robustness"), the deflated Sharpe probability (trials =
// distinct simulations), the plateau around the pick and the out-of-sample Sharpe. The rules,
// in order (the first that applies wins; VERDICT_RULES is what the cell shows on hover):
//   not enough data  the sweep is too small (fewer than 2 combos rank) or PBO / DSR is NaN
//   likely luck      PBO > 0.5, or P(deflated Sharpe > 0) < 0.5
//   fragile peak     the plateau keeps less than half of the peak (its ±1-step neighbours are
//                    much worse), or the out-of-sample Sharpe is below 0
//   robust           none of the above
import type { Plateau } from '../../../../shared/optimize/index.ts'

export const VERDICTS = ['not enough data', 'likely luck', 'fragile peak', 'robust'] as const
export type VerdictKind = (typeof VERDICTS)[number]

export interface Verdict {
  readonly kind: VerdictKind
  /** Why, one short sentence per figure that decided it (or that was checked and passed). */
  readonly reasons: readonly string[]
}

export interface VerdictInput {
  /** Combos that rank (objective not NaN, constraints met). */
  readonly candidates: number
  readonly pbo: number
  /** P(true Sharpe > SR₀), the deflated Sharpe ratio as a probability. */
  readonly dsrProbability: number
  readonly plateau: Plateau | null
  /** Sharpe out of sample (holdout or stitched walk-forward); null without a check. */
  readonly oosSharpe: number | null
}

export const PBO_LIMIT = 0.5
export const DSR_LIMIT = 0.5
export const PLATEAU_LIMIT = 0.5

export const VERDICT_RULES = [
  'not enough data: fewer than 2 combos rank, or PBO or the deflated Sharpe could not be computed (too few days or trials)',
  `likely luck: PBO above ${PBO_LIMIT} (the in-sample best lands in the bottom half out of sample more often than not), or the deflated Sharpe probability below ${DSR_LIMIT} (the best Sharpe is what the best of this many tries reaches by luck)`,
  `fragile peak: the plateau score (median of the pick and its ±1-step neighbours over the peak) below ${PLATEAU_LIMIT}, or a negative out-of-sample Sharpe`,
  'robust: none of the above',
].join('\n')

/**
 * The plateau as a share of the peak: 1 on a flat plateau, near 0 (or below) on a lone spike.
 * NaN when it says nothing: no neighbour, or a peak ≤ 0 (then the pick is no edge anyway).
 */
export function plateauScore(p: Plateau | null): number {
  if (p === null || p.neighbours < 2 || Number.isNaN(p.peak)) return Number.NaN
  if (p.peak === Infinity) return p.plateau === Infinity ? 1 : 0
  if (!(p.peak > 0)) return Number.NaN
  return Math.min(1, p.plateau / p.peak)
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : String(x))

export function verdictOf(x: VerdictInput): Verdict {
  if (x.candidates < 2) return { kind: 'not enough data', reasons: [`only ${x.candidates} combo${x.candidates === 1 ? '' : 's'} rank`] }
  if (Number.isNaN(x.pbo)) return { kind: 'not enough data', reasons: ['PBO could not be computed (too few days or distinct trials)'] }
  if (Number.isNaN(x.dsrProbability)) return { kind: 'not enough data', reasons: ['the deflated Sharpe could not be computed'] }
  const luck: string[] = []
  if (x.pbo > PBO_LIMIT) luck.push(`PBO ${f2(x.pbo)} > ${PBO_LIMIT}`)
  if (x.dsrProbability < DSR_LIMIT) luck.push(`deflated Sharpe probability ${f2(x.dsrProbability)} < ${DSR_LIMIT}`)
  if (luck.length > 0) return { kind: 'likely luck', reasons: luck }
  const fragile: string[] = []
  const ps = plateauScore(x.plateau)
  if (ps < PLATEAU_LIMIT) fragile.push(`plateau score ${f2(ps)} < ${PLATEAU_LIMIT}: the neighbours are much worse`)
  if (x.oosSharpe !== null && x.oosSharpe < 0) fragile.push(`out-of-sample Sharpe ${f2(x.oosSharpe)} < 0`)
  if (fragile.length > 0) return { kind: 'fragile peak', reasons: fragile }
  const ok = [`PBO ${f2(x.pbo)} ≤ ${PBO_LIMIT}`, `deflated Sharpe probability ${f2(x.dsrProbability)} ≥ ${DSR_LIMIT}`]
  ok.push(Number.isNaN(ps) ? 'plateau not measurable (no neighbour or peak ≤ 0)' : `plateau score ${f2(ps)} ≥ ${PLATEAU_LIMIT}`)
  if (x.oosSharpe === null) ok.push('no out-of-sample check')
  else ok.push(Number.isNaN(x.oosSharpe) ? 'no out-of-sample Sharpe (a flat curve)' : `out-of-sample Sharpe ${f2(x.oosSharpe)} ≥ 0`)
  return { kind: 'robust', reasons: ok }
}
