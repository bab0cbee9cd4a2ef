// Strategy contract (design §3, §7.2): a pure function from closed bars to wishes.
import type { CandleSeries } from '../candles/types.ts'
import type { SignalSource, SweepContext } from '../signals/index.ts'

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
  /** Same as signals() but writes into `out` (length = series length) without allocating. */
  readonly signalsInto?: (series: CandleSeries, params: Params, out: Int8Array) => void
  /**
   * The strategy's own optimizer fast path: a signal source that shares expensive parts (an
   * indicator, member signals) across the param sets of a sweep and gives exactly the signals of
   * signals(). The sweep runner uses it when present (and the generic one-run-per-param-set source
   * otherwise, or when asked for plain signals), so a fast path is written for, and travels with,
   * the version of the rule it repeats.
   */
  readonly sweepSource?: (ctx: SweepContext) => SignalSource<Params>
}
