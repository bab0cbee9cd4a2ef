// The body of POST /api/promotions (README "Promotions") from a backtest cell's result: the
// strategy (a user strategy with its source and any look-ahead override), the resolved params,
// the market and timeframe of the data, the full execution config that ran, the risk limits the
// user set, where the backtest came from (venue, bars, range, metrics with null for "—") and the
// checklist with the typed confirmation. The lab cannot import edge/, so the shape is restated
// here; edge validates it strictly.
import { TIMEFRAME_MS, type Timeframe } from '../../shared/candles/index.ts'
import type { ExecConfig } from '../../shared/engine/index.ts'
import { METRIC_NAMES, type Metrics } from '../../shared/metrics/types.ts'
import type { BacktestOutput } from '../notebook/cells/backtest/run.ts'
import { totalLength, clipRanges } from '../candles/index.ts'
import { flagged, type ChecklistItem, type DataFacts } from './checklist.ts'

export interface RiskLimits {
  /** Largest position value, KRW (≥ the 5,000 KRW minimum order). */
  readonly maxPositionQuote: number
  /** (0, 1]: halt when the day's loss reaches this share of the day's starting equity. */
  readonly dailyLossLimitRate: number
  /** (0, 1]: halt when equity falls this share below its peak. */
  readonly maxDrawdownRate: number
}

export const MIN_ORDER_KRW = 5_000

/** Defaults: the backtest's own cash as the largest position, 3% a day, 10% from the peak. */
export const defaultRisk = (config: ExecConfig): RiskLimits => ({
  maxPositionQuote: Math.max(MIN_ORDER_KRW, Math.round(config.initialCash)),
  dailyLossLimitRate: 0.03,
  maxDrawdownRate: 0.1,
})

/** Why the limits cannot be sent (null when they can). */
export function riskProblem(r: RiskLimits, config: ExecConfig): string | null {
  if (!Number.isFinite(r.maxPositionQuote) || r.maxPositionQuote < Math.max(MIN_ORDER_KRW, config.minOrderQuote))
    return `The largest position must be at least the minimum order, ${Math.max(MIN_ORDER_KRW, config.minOrderQuote).toLocaleString('en-US')} KRW.`
  for (const [k, label] of [
    ['dailyLossLimitRate', 'The daily loss limit'],
    ['maxDrawdownRate', 'The drawdown limit'],
  ] as const) {
    const x = r[k]
    if (!Number.isFinite(x) || x <= 0 || x > 1) return `${label} must be above 0% and at most 100%.`
  }
  return null
}

export type DataSource = 'upbit' | 'sim' | 'synthetic' | 'file'

export interface PromotionBody {
  readonly strategy: {
    readonly id: string
    readonly version: number
    readonly source?: string
    readonly lookaheadOverride?: { readonly reason: string }
  }
  readonly params: Readonly<Record<string, number>>
  readonly market: string
  readonly timeframe: string
  readonly exec: ExecConfig
  readonly risk: RiskLimits
  readonly backtest: {
    readonly range: { readonly source: DataSource; readonly fromMs: number; readonly toMs: number; readonly bars: number }
    readonly metrics: Readonly<Partial<Record<keyof Metrics, number | null>>>
  }
  readonly checklist: { readonly items: readonly ChecklistItem[]; readonly confirmation: string | null }
}

/** The data a result ran on, for the checklist and the body. */
export function dataFacts(out: BacktestOutput): DataFacts {
  const { key, series, fromMs, toMs, covered } = out.source
  const n = series.time.length
  const tf = TIMEFRAME_MS[key.timeframe as Timeframe] ?? 60_000
  const span = toMs - fromMs
  return {
    venue: key.venue,
    market: key.market,
    timeframe: key.timeframe,
    fromMs: n > 0 ? series.time[0]! : fromMs,
    toMs: n > 0 ? series.time[n - 1]! + tf : toMs,
    bars: n,
    coveredShare: span > 0 ? Math.min(1, totalLength(clipRanges(covered, [fromMs, toMs])) / span) : 0,
  }
}

const SOURCES: readonly DataSource[] = ['upbit', 'sim', 'synthetic', 'file']

export interface PromoteInput {
  readonly out: BacktestOutput
  readonly risk: RiskLimits
  readonly items: readonly ChecklistItem[]
  /** What the user typed (the market's name) to promote with amber or red items. */
  readonly confirmation: string
  /** A user strategy's source, and the reason given for promoting despite look-ahead. */
  readonly user?: { readonly source: string; readonly lookaheadReason?: string }
}

export function promotionBody(i: PromoteInput): PromotionBody {
  const { out } = i
  const d = dataFacts(out)
  const metrics: Record<string, number | null> = {}
  for (const name of METRIC_NAMES) {
    const x = out.result.metrics[name]
    metrics[name] = Number.isFinite(x) ? x : null
  }
  const reason = i.user?.lookaheadReason?.trim()
  const c = out.config
  return {
    strategy: {
      id: out.strategy.id,
      version: out.strategy.version,
      ...(i.user !== undefined ? { source: i.user.source } : {}),
      ...(i.user !== undefined && reason ? { lookaheadOverride: { reason } } : {}),
    },
    params: { ...out.params },
    market: d.market,
    timeframe: d.timeframe,
    // Exactly the 13 fields edge expects, whatever else a config object may carry.
    exec: {
      initialCash: c.initialCash,
      feeRate: c.feeRate,
      slippageRate: c.slippageRate,
      orderType: c.orderType,
      aggressivenessRate: c.aggressivenessRate,
      buyRounding: c.buyRounding,
      sellRounding: c.sellRounding,
      orderTtlBars: c.orderTtlBars,
      sizing: { ...c.sizing },
      stopLossRate: c.stopLossRate,
      takeProfitRate: c.takeProfitRate,
      trailingStopRate: c.trailingStopRate,
      minOrderQuote: c.minOrderQuote,
    },
    risk: { ...i.risk },
    backtest: {
      range: {
        source: SOURCES.includes(d.venue as DataSource) ? (d.venue as DataSource) : 'file',
        fromMs: d.fromMs,
        toMs: d.toMs,
        bars: d.bars,
      },
      metrics,
    },
    checklist: {
      items: i.items.map((x) => ({ id: x.id, label: x.label.slice(0, 200), level: x.level, detail: x.detail.slice(0, 1_000) })),
      confirmation: flagged(i.items).length > 0 ? i.confirmation.trim() : null,
    },
  }
}
