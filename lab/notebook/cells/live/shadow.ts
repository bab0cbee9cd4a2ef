// The shadow comparison of a run (issue 14): the promotion's backtest replayed on exactly the bars
// the run has seen, beside what the run did. The run's bars are its venue's candles from its
// warm-up start (the first decided bar minus the warm-up edge loads: max(300, 3 × the strategy's
// warm-up), at most 2,000 bars) to its last equity mark; the backtest decides from the first
// decided bar on (runBacktest's fromBar), with the promotion's strategy, params and execution
// settings. shared/shadow/compare.ts matches the fills and names every divergence. Pure: the
// caller brings the candles (live-state.svelte.ts downloads them through edge's candle proxy).
import { runBacktest, type BacktestResult } from '../../../../shared/backtest/index.ts'
import { TIMEFRAME_MS, isTimeframe, type CandleSeries, type Timeframe } from '../../../../shared/candles/index.ts'
import {
  backtestFills,
  compareShadow,
  mergeOrderFills,
  type Divergence,
  type ShadowFill,
  type ShadowOrder,
  type ShadowReport,
} from '../../../../shared/shadow/index.ts'
import { findStrategy, tryResolveParams, type StrategyDef } from '../../../../shared/strategies/index.ts'
import type { PromotionConfig, RunActivity } from './api.ts'

/** Edge's warm-up for a run (edge/runner/manager.ts): bars loaded before the first decision. */
export const MIN_WARMUP_BARS = 300
export const MAX_WARMUP_BARS = 2_000

export type ShadowPlan =
  | {
      readonly ok: true
      /** The built-in strategy replayed; null for a user strategy, whose signals come from its sandbox. */
      readonly def: StrategyDef | null
      readonly params: Record<string, number>
      readonly timeframe: Timeframe
      readonly warmupBars: number
    }
  | { readonly ok: false; readonly reason: 'user-strategy' | 'unknown-strategy' | 'bad-params' | 'bad-timeframe'; readonly message: string }

/** Edge's warm-up rule for a strategy warm-up of `bars`. */
const edgeWarmup = (bars: number): number => Math.min(MAX_WARMUP_BARS, Math.max(MIN_WARMUP_BARS, 3 * bars))

/** A user strategy's promotion (its signals are computed in a sandbox, not on the page). */
export const isUserPromotion = (config: PromotionConfig): boolean => config.strategy.id.startsWith('user.')

/** Which built-in strategy the comparison replays, and with how much warm-up; why not when it cannot. */
export function planShadow(config: PromotionConfig): ShadowPlan {
  const id = config.strategy.id
  if (isUserPromotion(config))
    return {
      ok: false,
      reason: 'user-strategy',
      message: `${id} is a user strategy: its signals come from its promoted source in a sandbox (planUserShadow).`,
    }
  const def = findStrategy(id)
  if (def === undefined) return { ok: false, reason: 'unknown-strategy', message: `strategy ${id} is not in this lab's registry` }
  if (def.version !== config.strategy.version)
    return {
      ok: false,
      reason: 'unknown-strategy',
      message: `the promotion used ${id} v${config.strategy.version}; this lab has v${def.version}`,
    }
  const params = tryResolveParams(def, config.params)
  if (!params.ok) return { ok: false, reason: 'bad-params', message: params.error.message }
  if (!isTimeframe(config.timeframe)) return { ok: false, reason: 'bad-timeframe', message: `unknown timeframe ${config.timeframe}` }
  return {
    ok: true,
    def,
    params: params.value as Record<string, number>,
    timeframe: config.timeframe,
    warmupBars: edgeWarmup(def.warmup(params.value)),
  }
}

/**
 * The plan for a user strategy, once its sandbox has said its warm-up for the promotion's params
 * (edge validated the params against the strategy's schema when it accepted the promotion).
 */
export function planUserShadow(config: PromotionConfig, strategyWarmup: number): ShadowPlan {
  if (!isTimeframe(config.timeframe)) return { ok: false, reason: 'bad-timeframe', message: `unknown timeframe ${config.timeframe}` }
  return { ok: true, def: null, params: { ...config.params }, timeframe: config.timeframe, warmupBars: edgeWarmup(strategyWarmup) }
}

/** The candle range [fromMs, toMs) the run has seen; null before its first decided bar. */
export function runRange(activity: RunActivity, plan: { timeframe: Timeframe; warmupBars: number }): readonly [number, number] | null {
  const start = activity.startBarMs
  const last = activity.equity.at(-1)?.timeMs
  if (start === null || last === undefined) return null
  const tf = TIMEFRAME_MS[plan.timeframe]
  return [start - plan.warmupBars * tf, last + tf]
}

/** One row of the side-by-side fills: what the backtest did at a bar and side, what the run did. */
export interface FillPair {
  readonly barTimeMs: number
  readonly side: 'buy' | 'sell'
  readonly backtest: ShadowFill | null
  readonly run: ShadowFill | null
  /** Null when they agree. */
  readonly divergence: Divergence | null
}

export interface ShadowResult {
  readonly report: ShadowReport
  readonly pairs: readonly FillPair[]
  readonly backtest: BacktestResult
  /** Bar open times of the decided bars (the backtest's equity is indexed like this). */
  readonly times: Float64Array
  /** The run's equity mark at each of those bars (NaN where it has none). */
  readonly runEquity: Float64Array
  /** Largest |run − backtest| equity over the bars both have, in KRW. */
  readonly maxEquityGap: number
  readonly warmupBars: number
  readonly decidedBars: number
  readonly lastBarMs: number
}

export function runFillsOf(activity: RunActivity): ShadowFill[] {
  return mergeOrderFills(
    activity.fills.map((f) => ({
      orderId: f.orderId,
      side: f.side,
      price: f.price,
      volume: f.volume,
      feeQuote: f.feeQuote,
      timeMs: f.timeMs,
    })),
  )
}

export function runOrdersOf(activity: RunActivity): ShadowOrder[] {
  const out: ShadowOrder[] = []
  for (const o of activity.orders) {
    const side = o.intent?.side
    if (o.kind !== 'place' || (side !== 'buy' && side !== 'sell')) continue
    out.push({ id: o.id, side, decisionBarMs: o.barTimeMs, state: o.state })
  }
  return out
}

/** Where `series` reaches the run's first decided bar (an error when it does not hold it). */
export function firstDecidedBar(activity: RunActivity, series: CandleSeries): number {
  const start = activity.startBarMs
  if (start === null) throw new Error('the run has not decided its first bar yet')
  const t = series.time
  let fromBar = 0
  while (fromBar < t.length && t[fromBar]! < start) fromBar++
  if (fromBar === t.length || t[fromBar] !== start)
    throw new Error(`the candles do not hold the run's first decided bar (${new Date(start).toISOString()})`)
  return fromBar
}

/**
 * Replays the backtest on `series` (the run's bars: warm-up, then the decided bars) and compares it
 * with the run's journal activity. `signals`: the strategy's signals on `series`, required for a
 * user strategy (computed in its sandbox); a built-in's are computed here.
 */
export function computeShadow(
  plan: Extract<ShadowPlan, { ok: true }>,
  config: PromotionConfig,
  activity: RunActivity,
  series: CandleSeries,
  signals?: Int8Array,
): ShadowResult {
  const fromBar = firstDecidedBar(activity, series)
  const start = series.time[fromBar]!
  const t = series.time
  const sig = signals ?? plan.def?.signals(series, plan.params)
  if (sig === undefined) throw new Error('a user strategy is replayed with the signals of its sandbox')
  if (sig.length !== t.length) throw new Error(`the strategy gave ${sig.length} signals for ${t.length} bars`)
  const backtest = runBacktest(series, sig, config.exec, { fromBar })
  const tf = TIMEFRAME_MS[plan.timeframe]
  const btFills = backtestFills(backtest)
  const runFills = runFillsOf(activity)
  const report = compareShadow({ timeframeMs: tf, backtestFills: btFills, runFills, runOrders: runOrdersOf(activity) })
  const times = t.slice(fromBar)
  const marks = new Map(activity.equity.map((e) => [e.timeMs, e.equityQuote]))
  const runEquity = new Float64Array(times.length)
  let gap = 0
  for (let i = 0; i < times.length; i++) {
    const m = marks.get(times[i]!)
    runEquity[i] = m ?? NaN
    if (m !== undefined) gap = Math.max(gap, Math.abs(m - backtest.equity[i]!))
  }
  return {
    report,
    pairs: pairFills(btFills, runFills, report.divergences, tf),
    backtest,
    times,
    runEquity,
    maxEquityGap: gap,
    warmupBars: fromBar,
    decidedBars: times.length,
    lastBarMs: times.at(-1) ?? start,
  }
}

/** Backtest and run fills side by side, by bar and side, with the divergence of each pair. */
export function pairFills(
  bt: readonly ShadowFill[],
  run: readonly ShadowFill[],
  divergences: readonly Divergence[],
  tf: number,
): FillPair[] {
  const barOf = (ms: number): number => Math.floor(ms / tf) * tf
  const key = (side: string, bar: number): string => `${side}:${bar}`
  const rows = new Map<string, { barTimeMs: number; side: 'buy' | 'sell'; backtest: ShadowFill | null; run: ShadowFill | null }>()
  const row = (side: 'buy' | 'sell', bar: number) => {
    const k = key(side, bar)
    let r = rows.get(k)
    if (r === undefined) {
      r = { barTimeMs: bar, side, backtest: null, run: null }
      rows.set(k, r)
    }
    return r
  }
  for (const f of bt) row(f.side, barOf(f.timeMs)).backtest = f
  for (const f of run) row(f.side, barOf(f.timeMs)).run = f
  const byKey = new Map(divergences.map((d) => [key(d.side, d.barTimeMs), d]))
  // Divergences without a fill on either side (none today) still get a row.
  for (const d of divergences) row(d.side, d.barTimeMs)
  return [...rows.values()]
    .map((r) => ({ ...r, divergence: byKey.get(key(r.side, r.barTimeMs)) ?? null }))
    .sort((a, b) => a.barTimeMs - b.barTimeMs || (a.side === b.side ? 0 : a.side === 'buy' ? -1 : 1))
}
