// The body of POST /api/promotions, as valibot schemas: shapes and types here (strict objects, so
// an unknown field, an API key among them, is refused), the rules that already exist elsewhere
// stay there and are applied by validate.ts: the strategy registry and its param schemas
// (shared/strategies), the execution-config checks (shared/engine checkExecConfig). Risk limits
// and the backtest provenance are new, so their ranges are defined here.
import * as v from 'valibot'
import { TIMEFRAMES } from '../../shared/candles/index.ts'
import { METRIC_NAMES, type MetricName } from '../../shared/metrics/types.ts'

/** A finite JSON number (JSON.parse turns 1e999 into Infinity, which is not a config value). */
const Num = v.pipe(v.number(), v.finite())
const Int = v.pipe(v.number(), v.safeInteger())
const EpochMs = v.pipe(Int, v.minValue(0, 'expected epoch milliseconds (≥ 0)'))
/** A fraction in (0, 1]: a share of equity that may be lost. */
const LossRate = v.pipe(Num, v.gtValue(0, 'expected a rate > 0'), v.maxValue(1, 'expected a rate ≤ 1 (1 = 100%)'))

// Only KRW markets: the execution config is checked against Upbit's KRW rules (ticks, minimum).
export const KRW_MARKET_RE = /^KRW-[A-Z0-9]{1,20}$/
const Rounding = v.picklist(['up', 'down', 'nearest'])

const Sizing = v.variant('kind', [
  v.strictObject({ kind: v.literal('all-in'), feeBufferRate: Num }),
  v.strictObject({ kind: v.literal('fixed-quote'), notionalQuote: Num }),
  v.strictObject({ kind: v.literal('fraction'), fractionRate: Num }),
  v.strictObject({ kind: v.literal('kelly'), winRate: Num, payoffRatio: Num, kellyFraction: Num }),
  v.strictObject({ kind: v.literal('risk'), riskRate: Num, stopDistanceRate: Num }),
])

/** shared/engine's ExecConfig, every field required: a promotion records exactly what was tested. */
export const ExecConfigSchema = v.strictObject({
  initialCash: Num,
  feeRate: Num,
  slippageRate: Num,
  orderType: v.picklist(['market', 'limit']),
  aggressivenessRate: Num,
  buyRounding: Rounding,
  sellRounding: Rounding,
  orderTtlBars: Int,
  sizing: Sizing,
  stopLossRate: Num,
  takeProfitRate: Num,
  trailingStopRate: Num,
  minOrderQuote: Num,
})

/** Limits the live runner enforces (issue 8 item 5, reliability RISK-4/5). */
export const RiskLimitsSchema = v.strictObject({
  /** Largest position value in KRW (cost of the holding at entry prices). */
  maxPositionQuote: v.pipe(Num, v.gtValue(0, 'expected a KRW amount > 0')),
  /** Halt when the day's loss (realized + marked, fees included) reaches this share of the day's starting equity. */
  dailyLossLimitRate: LossRate,
  /** Halt when equity falls this share below its peak. */
  maxDrawdownRate: LossRate,
})
export type RiskLimits = v.InferOutput<typeof RiskLimitsSchema>

// A metric may be ±Infinity or NaN (a ratio over zero, design §7.4); JSON has no such numbers, so
// the lab sends null for them, as it shows "—".
const Metric = v.nullable(Num)
const MetricsSchema = v.strictObject(
  Object.fromEntries(METRIC_NAMES.map((n) => [n, v.optional(Metric)])) as Record<MetricName, v.OptionalSchema<typeof Metric, undefined>>,
)

export const DATA_SOURCES = ['upbit', 'sim', 'synthetic', 'file'] as const

export const BacktestSchema = v.strictObject({
  /** The candles the backtest ran on: where from and which bars ([fromMs, toMs), bar open times). */
  range: v.strictObject({
    source: v.picklist(DATA_SOURCES),
    fromMs: EpochMs,
    toMs: EpochMs,
    bars: v.pipe(Int, v.minValue(1, 'expected at least 1 bar')),
  }),
  metrics: MetricsSchema,
})

/**
 * The checklist the lab showed before promoting (issue 14): each item green, amber or red with
 * why, and the confirmation the user typed to promote despite amber or red items (the market's
 * name). Stored with the promotion, so what was known at promotion time stays on record.
 */
export const ChecklistSchema = v.strictObject({
  items: v.pipe(
    v.array(
      v.strictObject({
        id: v.pipe(v.string(), v.regex(/^[a-z][a-zA-Z0-9_-]{0,39}$/, 'expected an item id (letters, digits, _ or -)')),
        label: v.pipe(v.string(), v.maxLength(200)),
        level: v.picklist(['green', 'amber', 'red'], "expected 'green', 'amber' or 'red'"),
        detail: v.pipe(v.string(), v.maxLength(1_000)),
      }),
    ),
    v.maxLength(40),
  ),
  confirmation: v.nullable(v.pipe(v.string(), v.maxLength(40))),
})
export type Checklist = v.InferOutput<typeof ChecklistSchema>

export const PromotionBodySchema = v.strictObject({
  strategy: v.strictObject({
    id: v.pipe(v.string(), v.maxLength(64)),
    version: v.pipe(Int, v.minValue(1)),
    /** User strategies (`user.…`): the TypeScript or JavaScript source (README "User strategies"). */
    source: v.optional(v.pipe(v.string(), v.maxLength(200_000, 'the source is over 200,000 characters'))),
    /** Promote although the look-ahead audit fails: recorded with the promotion. */
    lookaheadOverride: v.optional(v.strictObject({ reason: v.pipe(v.string(), v.minLength(1, 'say why'), v.maxLength(500)) })),
  }),
  /** Strategy params; missing ones take the strategy's defaults and are stored resolved. */
  params: v.pipe(
    // valibot's record() drops these keys silently; refuse them instead of storing less than was sent.
    v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'expected an object'),
    v.check((x) => !['__proto__', 'prototype', 'constructor'].some((k) => Object.hasOwn(x, k)), 'unknown parameter name'),
    v.record(v.pipe(v.string(), v.maxLength(64)), Num),
  ),
  market: v.pipe(v.string(), v.regex(KRW_MARKET_RE, 'expected a KRW market code like KRW-BTC')),
  timeframe: v.picklist(TIMEFRAMES, `expected one of ${TIMEFRAMES.join(', ')}`),
  exec: ExecConfigSchema,
  risk: RiskLimitsSchema,
  backtest: BacktestSchema,
  checklist: v.optional(ChecklistSchema),
})
export type PromotionBody = v.InferOutput<typeof PromotionBodySchema>

/** An empty JSON object: the body of POST /api/promotions/:id/retire. */
export const RetireBodySchema = v.strictObject({})
