// Deflated Sharpe ratio (Bailey & López de Prado 2014, "The Deflated Sharpe Ratio").
// All Sharpe ratios here are per observation (NOT annualised): divide an annualised figure by
// √(periods per year) first. The number of trials must be the number of DISTINCT strategies tried
// (distinct decision sequences: the optimizer's distinct backtests), not the raw grid size.
import { normCdf, normInv } from './normal.ts'

const EULER_GAMMA = 0.5772156649015329

/**
 * E[max SR] of N independent trials whose Sharpe estimates have variance `variance` (mean 0):
 * √V · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))). 0 for a single trial.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials >= 1)) throw new RangeError(`trials must be ≥ 1, got ${trials}`)
  if (trials === 1) return 0
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * normInv(1 - 1 / trials) + EULER_GAMMA * normInv(1 - 1 / (trials * Math.E)))
}

/**
 * Probabilistic Sharpe ratio: P(true SR > benchmark) =
 * Φ((SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²)), γ₄ the (non-excess) kurtosis.
 */
export function probabilisticSharpe(sharpe: number, benchmark: number, observations: number, skew: number, kurtosis: number): number {
  const den = Math.sqrt(1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe)
  return normCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / den)
}

export interface DeflatedSharpeInput {
  /** The selected strategy's per-observation Sharpe ratio. */
  readonly sharpe: number
  /** Number of return observations T behind it. */
  readonly observations: number
  readonly skew: number
  /** Non-excess kurtosis (normal = 3). */
  readonly kurtosis: number
  /** Distinct trials N. */
  readonly trials: number
  /** Variance of the trials' per-observation Sharpe ratios. */
  readonly sharpeVariance: number
}

export interface DeflatedSharpe {
  /** The benchmark SR₀ = E[max SR] under the null. */
  readonly expectedMaxSharpe: number
  /** DSR = PSR(SR₀), a probability. */
  readonly dsr: number
}

export function deflatedSharpe(x: DeflatedSharpeInput): DeflatedSharpe {
  const sr0 = expectedMaxSharpe(x.trials, x.sharpeVariance)
  return { expectedMaxSharpe: sr0, dsr: probabilisticSharpe(x.sharpe, sr0, x.observations, x.skew, x.kurtosis) }
}
