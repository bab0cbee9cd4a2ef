// A backtest cell's inputs: which strategy with which parameter values, and the execution
// settings (a subset of the engine's ExecConfig: the tick-rounding modes and the exchange minimum
// stay at the engine's defaults, they are venue facts rather than choices).
import * as v from 'valibot'
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../../../shared/engine/index.ts'
import { findStrategy, tryResolveParams } from '../../../../shared/strategies/index.ts'
import { EXEC_SPECS, SIZING_SPECS, specNumber } from './exec-schema.ts'

// Every bound comes from the one table the form uses (exec-schema.ts).
const sizingNum = (k: keyof typeof SIZING_SPECS) => specNumber(SIZING_SPECS[k])
const execNum = (k: keyof typeof EXEC_SPECS) => specNumber(EXEC_SPECS[k])

export const SizingParams = v.variant('kind', [
  v.strictObject({ kind: v.literal('all-in'), feeBufferRate: sizingNum('feeBufferRate') }),
  v.strictObject({ kind: v.literal('fixed-quote'), notionalQuote: sizingNum('notionalQuote') }),
  v.strictObject({ kind: v.literal('fraction'), fractionRate: sizingNum('fractionRate') }),
  v.strictObject({
    kind: v.literal('kelly'),
    winRate: sizingNum('winRate'),
    payoffRatio: sizingNum('payoffRatio'),
    kellyFraction: sizingNum('kellyFraction'),
  }),
  v.strictObject({ kind: v.literal('risk'), riskRate: sizingNum('riskRate'), stopDistanceRate: sizingNum('stopDistanceRate') }),
])
export type SizingParams = v.InferOutput<typeof SizingParams>
export type SizingKind = SizingParams['kind']

export const ExecParams = v.strictObject({
  initialCash: execNum('initialCash'),
  orderType: v.picklist(['market', 'limit']),
  feeRate: execNum('feeRate'),
  slippageRate: execNum('slippageRate'),
  aggressivenessRate: execNum('aggressivenessRate'),
  orderTtlBars: execNum('orderTtlBars'),
  sizing: SizingParams,
  stopLossRate: execNum('stopLossRate'),
  takeProfitRate: execNum('takeProfitRate'),
  trailingStopRate: execNum('trailingStopRate'),
})
export type ExecParams = v.InferOutput<typeof ExecParams>

const num = v.nullable(v.pipe(v.number(), v.finite()))

/**
 * Where a backtest's params came from, when an optimize cell opened it ("open as backtest"): the
 * sweep's label, the row's rank and objective, and the sweep's evidence (out-of-sample result,
 * deflated Sharpe, PBO, plateau, verdict). The promote checklist reads it. null/absent: typed by
 * hand. Non-finite figures are null.
 */
export const BacktestOrigin = v.strictObject({
  kind: v.literal('sweep'),
  /** The optimize cell that produced it and the sweep's own label (strategy, grid, data range). */
  cellId: v.pipe(v.string(), v.maxLength(80)),
  sweepLabel: v.pipe(v.string(), v.maxLength(400)),
  rank: v.pipe(v.number(), v.integer(), v.minValue(1)),
  combos: v.pipe(v.number(), v.integer(), v.minValue(1)),
  objective: v.pipe(v.string(), v.maxLength(40)),
  score: num,
  /** Out-of-sample (holdout or stitched walk-forward) result of this combo: return and Sharpe. */
  oosReturn: num,
  oosSharpe: num,
  deflatedSharpe: num,
  /** Probability the deflated Sharpe is > 0 (0..1). */
  dsrProbability: num,
  pbo: num,
  plateau: num,
  /** 'robust' | 'fragile peak' | 'likely luck' | 'not enough data', as the optimize cell said it. */
  verdict: v.pipe(v.string(), v.maxLength(40)),
})
export type BacktestOrigin = v.InferOutput<typeof BacktestOrigin>

const BacktestParamsShape = v.strictObject({
  /** A built-in id (`ensemble`) or a user strategy's (`user.rsi-cross`, from a strategy cell). */
  strategy: v.pipe(v.string(), v.regex(/^(user\.)?[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a strategy id like ensemble')),
  /** Values by parameter name; a missing one takes the strategy's default. */
  values: v.record(v.string(), v.pipe(v.number(), v.finite())),
  exec: ExecParams,
  origin: v.optional(v.nullable(BacktestOrigin)),
  /**
   * For a user strategy: the version it runs, named by the SHA-256 of its source (kept in the
   * lab's strategy library, lab/strategies) and its declared version. Editing the strategy cell
   * makes a new hash; this cell keeps running the one it names until "use the newest" is pressed.
   */
  user: v.optional(
    v.strictObject({
      hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex')),
      version: v.pipe(v.number(), v.integer(), v.minValue(1)),
    }),
  ),
})
/**
 * The shape, then (for a built-in strategy) its values against the strategy's own schema: an
 * imported notebook with an unknown strategy, an unknown parameter or a value outside its range is
 * refused at the door, not left to fail at the first run. A user strategy's schema is in its
 * source, which the worker loads: its values are checked there.
 */
export const BacktestParams = v.pipe(
  BacktestParamsShape,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed || isUserStrategyId(dataset.value.strategy)) return
    const def = findStrategy(dataset.value.strategy)
    if (def === undefined) return addIssue({ message: `unknown strategy '${dataset.value.strategy}'` })
    const r = tryResolveParams(def, dataset.value.values)
    if (!r.ok) addIssue({ message: r.error.message })
  }),
)
export type BacktestParams = v.InferOutput<typeof BacktestParamsShape>

export const DEFAULT_STRATEGY = 'ensemble'

/** Whether a strategy id names a user strategy (README "User strategies": `user.<name>`). */
export const isUserStrategyId = (id: string): boolean => id.startsWith('user.')

export function defaultExecParams(): ExecParams {
  const d = DEFAULT_EXEC_CONFIG
  return {
    initialCash: d.initialCash,
    orderType: d.orderType,
    feeRate: d.feeRate,
    slippageRate: d.slippageRate,
    aggressivenessRate: d.aggressivenessRate,
    orderTtlBars: d.orderTtlBars,
    sizing: { ...d.sizing },
    stopLossRate: d.stopLossRate,
    takeProfitRate: d.takeProfitRate,
    trailingStopRate: d.trailingStopRate,
  }
}

export const defaultBacktestParams = (): BacktestParams => ({ strategy: DEFAULT_STRATEGY, values: {}, exec: defaultExecParams() })

/** The engine's config: the cell's settings over the engine defaults. */
export const toExecConfig = (e: ExecParams): ExecConfig => ({ ...DEFAULT_EXEC_CONFIG, ...e, sizing: { ...e.sizing } })

/** Each sizing kind's settings when the user switches to it (the engine's seed values where it has them). */
export function defaultSizing(kind: SizingKind): SizingParams {
  switch (kind) {
    case 'all-in':
      return { kind, feeBufferRate: 0.0005 }
    case 'fixed-quote':
      return { kind, notionalQuote: 100_000 }
    case 'fraction':
      return { kind, fractionRate: 0.5 }
    case 'kelly':
      return { kind, winRate: 0.55, payoffRatio: 1.5, kellyFraction: 0.5 }
    case 'risk':
      return { kind, riskRate: 0.01, stopDistanceRate: 0.02 }
  }
}
