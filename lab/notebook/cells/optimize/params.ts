// An optimize cell's inputs: the strategy, which of its parameters vary (a range or a list each;
// the others stay at their value), the base execution settings and which of them vary, the
// objective and constraints, the out-of-sample check, and when to ask before a big sweep.
// Everything is plain JSON (it goes into notebook files) and checked by these schemas on import.
import * as v from 'valibot'
import { OBJECTIVES } from '../../../../shared/optimize/objective.ts'
import { ExecParams, defaultExecParams } from '../backtest/params.ts'

const finite = v.pipe(v.number(), v.finite())

export const AxisRange = v.strictObject({
  mode: v.literal('range'),
  min: finite,
  max: finite,
  step: v.pipe(v.number(), v.finite(), v.gtValue(0)),
})
export const AxisList = v.strictObject({
  mode: v.literal('list'),
  values: v.pipe(v.array(finite), v.minLength(1), v.maxLength(1000)),
})
/** How one parameter varies over the sweep; a parameter without an axis keeps its value. */
export const Axis = v.variant('mode', [AxisRange, AxisList])
export type Axis = v.InferOutput<typeof Axis>

/** Execution settings a sweep may vary (numbers; rates as fractions). */
export const EXEC_AXIS_KEYS = [
  'feeRate',
  'slippageRate',
  'aggressivenessRate',
  'orderTtlBars',
  'stopLossRate',
  'takeProfitRate',
  'trailingStopRate',
] as const
export type ExecAxisKey = (typeof EXEC_AXIS_KEYS)[number]

export const ORDER_TYPES = ['market', 'limit'] as const

export const Validation = v.variant('kind', [
  v.strictObject({ kind: v.literal('none') }),
  /** Train on the first (1 − testFraction) of the bars, test the in-sample best on the rest. */
  v.strictObject({ kind: v.literal('holdout'), testFraction: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(0.9)) }),
  /** Rolling (or anchored) train windows, each followed by a test window; test windows stitched. */
  v.strictObject({
    kind: v.literal('walkForward'),
    trainBars: v.pipe(v.number(), v.integer(), v.minValue(2)),
    testBars: v.pipe(v.number(), v.integer(), v.minValue(1)),
    stepBars: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
    anchored: v.boolean(),
  }),
])
export type Validation = v.InferOutput<typeof Validation>

export const OptimizeParams = v.strictObject({
  strategy: v.pipe(v.string(), v.regex(/^(user\.)?[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a strategy id like ensemble')),
  /** Values of the parameters held fixed; a missing one takes the strategy's default. */
  values: v.record(v.string(), finite),
  /** Parameter name → its axis; in the strategy's schema order when the grid is built. */
  axes: v.record(v.string(), Axis),
  /** The base execution settings (the backtest cell's). */
  exec: ExecParams,
  /** Execution setting → its axis. */
  execAxes: v.record(v.picklist(EXEC_AXIS_KEYS), Axis),
  /** Both order types make an axis; one is the base order type. */
  orderTypes: v.pipe(v.array(v.picklist(ORDER_TYPES)), v.minLength(1), v.maxLength(2)),
  objective: v.picklist(OBJECTIVES),
  /** Combos with fewer trades never rank (a 2-trade, 100 %-win combo is luck, not a result). */
  minTrades: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000)),
  /** Combos whose max drawdown is worse (a negative fraction, e.g. −0.5) never rank; null = off. */
  maxDrawdown: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(-1), v.maxValue(0))),
  validation: Validation,
  /** Above this many combos the cell asks before it runs. */
  confirmAbove: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000_000)),
  /** The combo count the user confirmed (null: none); any change of the grid voids it. */
  confirmedCombos: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /**
   * For a user strategy: the version it sweeps, named by the SHA-256 of its source (kept in the
   * lab's strategy library) and its declared version, so a reopened notebook sweeps the same code.
   */
  user: v.optional(
    v.strictObject({
      hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex')),
      version: v.pipe(v.number(), v.integer(), v.minValue(1)),
    }),
  ),
})
export type OptimizeParams = v.InferOutput<typeof OptimizeParams>

export const DEFAULT_MIN_TRADES = 30
export const DEFAULT_CONFIRM_ABOVE = 100_000

/** A small ensemble grid that runs in seconds on two days of 1m bars: 3 × 3 × 5 = 45 combos. */
export function defaultOptimizeParams(): OptimizeParams {
  return {
    strategy: 'ensemble',
    values: {},
    axes: {
      'w.trend': { mode: 'list', values: [0, 0.5, 1] },
      'w.momentum': { mode: 'list', values: [0, 0.5, 1] },
      threshold: { mode: 'range', min: 0.1, max: 0.5, step: 0.1 },
    },
    exec: defaultExecParams(),
    execAxes: {},
    orderTypes: [defaultExecParams().orderType],
    objective: 'sharpe',
    minTrades: DEFAULT_MIN_TRADES,
    maxDrawdown: null,
    validation: { kind: 'holdout', testFraction: 0.25 },
    confirmAbove: DEFAULT_CONFIRM_ABOVE,
    confirmedCombos: null,
  }
}
