// Strategy contract (design §3, §7.2): a pure function from closed bars to wishes.
import type { CandleSeries } from '../candles/types.ts'

/** One tunable parameter: the same schema drives UI forms and optimizer grids. */
export interface ParamSpec {
  readonly name: string
  readonly label: string
  readonly default: number
  readonly min: number
  readonly max: number
  readonly step: number
  /** e.g. 'bars', 'ratio', 'weight', 'points'. */
  readonly unit: string
  /** Integer parameters are enumerated and validated as integers. */
  readonly integer: boolean
}

export type Params = Readonly<Record<string, number>>

/** Signal values: +1 = want long, -1 = want flat, 0 = no opinion. */
export const SIGNAL_LONG = 1
export const SIGNAL_FLAT = -1
export const SIGNAL_NONE = 0

export interface StrategyDef {
  /** Stable kebab-case id. */
  readonly id: string
  /** Bumped whenever the rule changes, so stored results can tell. */
  readonly version: number
  readonly name: string
  /** The exact rule, in words (shown in the UI and the README). */
  readonly description: string
  readonly params: readonly ParamSpec[]
  /** Bars before the first bar whose signal can be non-zero. */
  warmup(params: Params): number
  /**
   * signals[t] depends only on bars 0..t. Missing params take their defaults.
   * Returns a new Int8Array of the series length.
   */
  signals(series: CandleSeries, params: Params): Int8Array
}
