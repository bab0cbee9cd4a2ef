// Compiles an ExecConfig and a venue's rules into flat parameters for the kernel's hot loop, after
// checking the config: the one place an execution config is compiled (backtest, optimizer, paper
// and live runs). Invalid configs are expected user input (forms, JSON files), so they come back
// as messages.
import { invalid, ok, type InvalidInput, type Result } from '../result.ts'
import type { ExecConfig } from './types.ts'
import type { VenueRules } from './venue-rules.ts'

export const SIZING_ALL_IN = 0
export const SIZING_FIXED_QUOTE = 1
export const SIZING_FRACTION = 2
export const SIZING_KELLY = 3
export const SIZING_RISK = 4

export const ROUND_UP = 0
export const ROUND_DOWN = 1
export const ROUND_NEAREST = 2

/** Flat numeric view of an ExecConfig on a venue (monomorphic object; read in the hot loop). */
export interface KernelParams {
  /** The venue's price grid and volume decimals (the fee and minimum come from the config). */
  readonly rules: VenueRules
  readonly volumeDecimals: number
  readonly initialCash: number
  readonly feeRate: number
  readonly slippageRate: number
  readonly isLimit: boolean
  readonly aggressivenessRate: number
  readonly buyRounding: 'up' | 'down' | 'nearest'
  readonly sellRounding: 'up' | 'down' | 'nearest'
  readonly orderTtlBars: number
  readonly sizingKind: number
  /** all-in: 1 + fee + buffer; others unused. */
  readonly allInCostFactor: number
  /** fixed-quote notional, or the fraction of equity to invest (fraction, kelly, risk). */
  readonly sizeValue: number
  readonly stopLossRate: number
  readonly takeProfitRate: number
  readonly trailingStopRate: number
  /** Any of stop-loss, take-profit or trailing stop set: held positions meet every bar's prices. */
  readonly hasExits: boolean
  readonly minOrderQuote: number
}

/** The compiled parameters, or every problem with the config (one message per field). */
export type ExecConfigCheck = Result<KernelParams, InvalidInput>

function rate(errors: string[], name: string, v: number, max: number): void {
  if (!Number.isFinite(v) || v < 0 || v > max) errors.push(`${name} must be a number in [0, ${max}], got ${v}`)
}

export function checkExecConfig(cfg: ExecConfig, rules: VenueRules): ExecConfigCheck {
  const errors: string[] = []
  if (!Number.isFinite(cfg.initialCash) || cfg.initialCash <= 0) errors.push(`initialCash must be > 0, got ${cfg.initialCash}`)
  rate(errors, 'feeRate', cfg.feeRate, 0.1)
  rate(errors, 'slippageRate', cfg.slippageRate, 0.5)
  rate(errors, 'aggressivenessRate', cfg.aggressivenessRate, 0.5)
  rate(errors, 'stopLossRate', cfg.stopLossRate, 0.99)
  rate(errors, 'takeProfitRate', cfg.takeProfitRate, 100)
  rate(errors, 'trailingStopRate', cfg.trailingStopRate, 0.99)
  if (!Number.isFinite(cfg.minOrderQuote) || cfg.minOrderQuote < 0) errors.push(`minOrderQuote must be ≥ 0, got ${cfg.minOrderQuote}`)
  if (!Number.isInteger(cfg.orderTtlBars) || cfg.orderTtlBars < 1)
    errors.push(`orderTtlBars must be an integer ≥ 1, got ${cfg.orderTtlBars}`)
  if (cfg.orderType !== 'market' && cfg.orderType !== 'limit')
    errors.push(`orderType must be 'market' or 'limit', got ${String(cfg.orderType)}`)
  for (const [k, v] of [
    ['buyRounding', cfg.buyRounding],
    ['sellRounding', cfg.sellRounding],
  ] as const) {
    if (v !== 'up' && v !== 'down' && v !== 'nearest') errors.push(`${k} must be 'up', 'down' or 'nearest', got ${String(v)}`)
  }
  let sizingKind = SIZING_ALL_IN
  let allInCostFactor = 1 + cfg.feeRate
  let sizeValue = 0
  const s = cfg.sizing
  switch (s?.kind) {
    case 'all-in':
      rate(errors, 'sizing.feeBufferRate', s.feeBufferRate, 0.5)
      allInCostFactor = 1 + cfg.feeRate + s.feeBufferRate
      break
    case 'fixed-quote':
      sizingKind = SIZING_FIXED_QUOTE
      if (!Number.isFinite(s.notionalQuote) || s.notionalQuote <= 0) errors.push(`sizing.notionalQuote must be > 0, got ${s.notionalQuote}`)
      sizeValue = s.notionalQuote
      break
    case 'fraction':
      sizingKind = SIZING_FRACTION
      if (!Number.isFinite(s.fractionRate) || s.fractionRate <= 0 || s.fractionRate > 1)
        errors.push(`sizing.fractionRate must be in (0, 1], got ${s.fractionRate}`)
      sizeValue = s.fractionRate
      break
    case 'kelly': {
      sizingKind = SIZING_KELLY
      if (!Number.isFinite(s.winRate) || s.winRate < 0 || s.winRate > 1) errors.push(`sizing.winRate must be in [0, 1], got ${s.winRate}`)
      if (!Number.isFinite(s.payoffRatio) || s.payoffRatio <= 0) errors.push(`sizing.payoffRatio must be > 0, got ${s.payoffRatio}`)
      if (!Number.isFinite(s.kellyFraction) || s.kellyFraction <= 0 || s.kellyFraction > 1)
        errors.push(`sizing.kellyFraction must be in (0, 1], got ${s.kellyFraction}`)
      sizeValue = kellyFraction(s.winRate, s.payoffRatio, s.kellyFraction)
      break
    }
    case 'risk':
      sizingKind = SIZING_RISK
      if (!Number.isFinite(s.riskRate) || s.riskRate <= 0 || s.riskRate > 1)
        errors.push(`sizing.riskRate must be in (0, 1], got ${s.riskRate}`)
      if (!Number.isFinite(s.stopDistanceRate) || s.stopDistanceRate <= 0 || s.stopDistanceRate >= 1)
        errors.push(`sizing.stopDistanceRate must be in (0, 1), got ${s.stopDistanceRate}`)
      sizeValue = s.riskRate / s.stopDistanceRate
      break
    default:
      errors.push(
        `sizing.kind must be one of all-in, fixed-quote, fraction, kelly, risk; got ${String((s as { kind?: unknown } | undefined)?.kind)}`,
      )
  }
  if (errors.length > 0) return invalid(errors)
  return ok({
    rules,
    volumeDecimals: rules.volumeDecimals,
    initialCash: cfg.initialCash,
    feeRate: cfg.feeRate,
    slippageRate: cfg.slippageRate,
    isLimit: cfg.orderType === 'limit',
    aggressivenessRate: cfg.aggressivenessRate,
    buyRounding: cfg.buyRounding,
    sellRounding: cfg.sellRounding,
    orderTtlBars: cfg.orderTtlBars,
    sizingKind,
    allInCostFactor,
    sizeValue,
    stopLossRate: cfg.stopLossRate,
    takeProfitRate: cfg.takeProfitRate,
    trailingStopRate: cfg.trailingStopRate,
    hasExits: cfg.stopLossRate > 0 || cfg.takeProfitRate > 0 || cfg.trailingStopRate > 0,
    minOrderQuote: cfg.minOrderQuote,
  })
}

/** Kelly stake: f* = (p·b − (1 − p)) / b scaled by the fraction and clamped to [0, 1] (seed 001). */
export function kellyFraction(winRate: number, payoffRatio: number, fraction: number): number {
  const f = ((winRate * payoffRatio - (1 - winRate)) / payoffRatio) * fraction
  return f > 1 ? 1 : f > 0 ? f : 0
}

/** Throws on an invalid config; for callers whose config was validated at the boundary. */
export function compileExecConfig(cfg: ExecConfig, rules: VenueRules): KernelParams {
  const r = checkExecConfig(cfg, rules)
  if (!r.ok) throw new RangeError(`invalid execution config: ${r.error.messages.join('; ')}`)
  return r.value
}
