// Market specification for the synthetic generator: the knobs, their KRW-BTC-like defaults, the
// named presets, and resolution into the derived per-minute constants the hot loop reads.
// Bad specs are programming/config errors and throw RangeError.
import { DAY_MS, MINUTE_MS } from '../candles/types.ts'
import { detLog } from './det-math.ts'

export const REGIMES = ['calm', 'trending-up', 'trending-down', 'turbulent'] as const
export type RegimeKind = (typeof REGIMES)[number]

export interface MarketSpec {
  /** Integer seed; the whole path is a function of (spec, minute index from originMs). */
  readonly seed: number
  /** Price at originMs, KRW. */
  readonly startPrice: number
  /** Minute-aligned start of the market (default 2024-01-01T00:00Z). No bars exist before it. */
  readonly originMs?: number
  /** Annualised volatility of the diffusive part averaged over regimes (default 0.55). */
  readonly annualVolRate?: number
  /** Chance that a minute of typical volume has no trade; rises as volume falls (default 0.002). */
  readonly noTradeRate?: number
  /** Expected price jumps per day in a trending regime (default 0.6; ×0.5 calm, ×4 turbulent). */
  readonly jumpRatePerDay?: number
  /** Scale of jump sizes as a log-return; sizes are Pareto(α = 3) above it (default 0.006). */
  readonly jumpScaleRate?: number
  /** Drift while trending, log-return per day (default 0.03). */
  readonly trendDriftPerDayRate?: number
  /** Mean traded notional per minute, KRW (default 150,000,000). */
  readonly meanNotionalQuotePerMinute?: number
  /** Mean regime durations in minutes. */
  readonly regimeMinutes?: Readonly<Partial<Record<RegimeKind, number>>>
  /** GARCH(1,1) on per-minute returns: weight of the last squared shock (default 0.05). */
  readonly garchAlpha?: number
  /** GARCH(1,1) persistence of variance (default 0.94; alpha + beta < 1). */
  readonly garchBeta?: number
  /** Chance the open differs from the previous close (default 0.25). */
  readonly openGapRate?: number
  /** Strength of the intraday (UTC hour) volume/volatility profile, 0 = flat (default 1). */
  readonly intradayAmplitude?: number
}

/** 2024-01-01T00:00:00.000Z. */
export const DEFAULT_ORIGIN_MS = 1_704_067_200_000

export const MARKET_SPEC_DEFAULTS = {
  startPrice: 90_000_000,
  originMs: DEFAULT_ORIGIN_MS,
  annualVolRate: 0.55,
  noTradeRate: 0.002,
  jumpRatePerDay: 0.6,
  jumpScaleRate: 0.006,
  trendDriftPerDayRate: 0.03,
  meanNotionalQuotePerMinute: 150_000_000,
  regimeMinutes: { calm: 2880, 'trending-up': 720, 'trending-down': 720, turbulent: 240 },
  garchAlpha: 0.05,
  garchBeta: 0.94,
  openGapRate: 0.25,
  intradayAmplitude: 1,
} as const

/**
 * Presets resembling Upbit KRW markets: BTC (default), ETH, XRP (low price, 1 KRW ticks of a few
 * basis points), DOGE (very low price: coarse ticks, thin volume, many no-trade minutes).
 */
export const SYNTHETIC_MARKETS = {
  'KRW-BTC': { seed: 1, startPrice: 90_000_000 },
  'KRW-ETH': {
    seed: 2,
    startPrice: 3_200_000,
    annualVolRate: 0.7,
    meanNotionalQuotePerMinute: 60_000_000,
    noTradeRate: 0.004,
  },
  'KRW-XRP': {
    seed: 3,
    startPrice: 3_000,
    annualVolRate: 0.85,
    meanNotionalQuotePerMinute: 80_000_000,
    noTradeRate: 0.003,
    jumpRatePerDay: 1,
  },
  'KRW-DOGE': {
    seed: 4,
    startPrice: 250,
    annualVolRate: 1,
    meanNotionalQuotePerMinute: 8_000_000,
    noTradeRate: 0.02,
    jumpRatePerDay: 1.2,
    jumpScaleRate: 0.01,
  },
} as const satisfies Record<string, MarketSpec>

export type SyntheticMarket = keyof typeof SYNTHETIC_MARKETS

/** Relative activity by UTC hour (KST = UTC+9): the 09:00 KST day open, US hours, the KST night lull. */
const HOURLY_ACTIVITY = [
  1.5, 1.25, 1.1, 1.0, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 0.95, 1.0, 1.1, 1.25, 1.35, 1.2, 1.0, 0.8, 0.65, 0.55, 0.5, 0.5, 0.55, 0.8,
] as const

// Per regime, in REGIMES order.
const VOL_MULT = [0.75, 1, 1, 2] as const
const DRIFT_SIGN = [0, 1, -1, 0] as const
const JUMP_MULT = [0.5, 1, 1, 4] as const
const VOLUME_BOOST_LOG = [-0.15, 0.1, 0.15, 0.6] as const
/** Where a regime goes when it ends (rows sum to 1). */
const NEXT_REGIME = [
  [0, 0.4, 0.4, 0.2],
  [0.6, 0, 0.15, 0.25],
  [0.6, 0.15, 0, 0.25],
  [0.5, 0.25, 0.25, 0],
] as const

export interface ResolvedMarketSpec {
  readonly seed: number
  readonly startPrice: number
  readonly originMs: number
  readonly annualVolRate: number
  readonly noTradeRate: number
  readonly jumpRatePerDay: number
  readonly jumpScaleRate: number
  readonly trendDriftPerDayRate: number
  readonly meanNotionalQuotePerMinute: number
  readonly regimeMinutes: Readonly<Record<RegimeKind, number>>
  readonly garchAlpha: number
  readonly garchBeta: number
  readonly openGapRate: number
  readonly intradayAmplitude: number
}

/** Constants the minute loop reads, derived once per stream. */
export interface MarketModel {
  readonly spec: ResolvedMarketSpec
  /** Stable text of the resolved spec (cache key). */
  readonly key: string
  readonly sigmaPerMinute: number
  readonly driftPerMinute: Float64Array
  readonly volMult: Float64Array
  readonly jumpProbPerMinute: Float64Array
  readonly volumeBoostLog: Float64Array
  /** Chance per minute that regime r ends. */
  readonly leaveProb: Float64Array
  /** Cumulative next-regime distribution, 4 per regime. */
  readonly nextCum: Float64Array
  /** Per UTC minute of day: volume multiplier (mean 1) and volatility multiplier (mean square 1). */
  readonly volumeSeason: Float64Array
  readonly volSeason: Float64Array
  readonly logMeanNotional: number
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`invalid MarketSpec: ${what}`)
}

export function resolveMarketSpec(spec: MarketSpec): ResolvedMarketSpec {
  const d = MARKET_SPEC_DEFAULTS
  const r: ResolvedMarketSpec = {
    seed: spec.seed,
    startPrice: spec.startPrice,
    originMs: spec.originMs ?? d.originMs,
    annualVolRate: spec.annualVolRate ?? d.annualVolRate,
    noTradeRate: spec.noTradeRate ?? d.noTradeRate,
    jumpRatePerDay: spec.jumpRatePerDay ?? d.jumpRatePerDay,
    jumpScaleRate: spec.jumpScaleRate ?? d.jumpScaleRate,
    trendDriftPerDayRate: spec.trendDriftPerDayRate ?? d.trendDriftPerDayRate,
    meanNotionalQuotePerMinute: spec.meanNotionalQuotePerMinute ?? d.meanNotionalQuotePerMinute,
    regimeMinutes: { ...d.regimeMinutes, ...spec.regimeMinutes },
    garchAlpha: spec.garchAlpha ?? d.garchAlpha,
    garchBeta: spec.garchBeta ?? d.garchBeta,
    openGapRate: spec.openGapRate ?? d.openGapRate,
    intradayAmplitude: spec.intradayAmplitude ?? d.intradayAmplitude,
  }
  check(Number.isInteger(r.seed), `seed must be an integer, got ${r.seed}`)
  check(r.startPrice > 0 && Number.isFinite(r.startPrice), `startPrice must be positive, got ${r.startPrice}`)
  check(Number.isInteger(r.originMs) && r.originMs % MINUTE_MS === 0, `originMs must be minute-aligned, got ${r.originMs}`)
  check(r.annualVolRate > 0 && r.annualVolRate < 10, `annualVolRate must be in (0, 10), got ${r.annualVolRate}`)
  check(r.noTradeRate >= 0 && r.noTradeRate < 1, `noTradeRate must be in [0, 1), got ${r.noTradeRate}`)
  check(r.jumpRatePerDay >= 0 && r.jumpRatePerDay < 1440, `jumpRatePerDay must be in [0, 1440), got ${r.jumpRatePerDay}`)
  check(r.jumpScaleRate >= 0 && r.jumpScaleRate < 0.2, `jumpScaleRate must be in [0, 0.2), got ${r.jumpScaleRate}`)
  check(Math.abs(r.trendDriftPerDayRate) < 1, `trendDriftPerDayRate must be in (-1, 1), got ${r.trendDriftPerDayRate}`)
  check(r.meanNotionalQuotePerMinute > 0 && Number.isFinite(r.meanNotionalQuotePerMinute), 'meanNotionalQuotePerMinute must be positive')
  for (const k of REGIMES) check(r.regimeMinutes[k] >= 1, `regimeMinutes.${k} must be >= 1`)
  check(r.garchAlpha >= 0 && r.garchBeta >= 0 && r.garchAlpha + r.garchBeta < 1, 'garchAlpha + garchBeta must be < 1 (both >= 0)')
  check(r.openGapRate >= 0 && r.openGapRate <= 1, `openGapRate must be in [0, 1], got ${r.openGapRate}`)
  check(r.intradayAmplitude >= 0 && r.intradayAmplitude <= 1, `intradayAmplitude must be in [0, 1], got ${r.intradayAmplitude}`)
  return r
}

/** Long-run share of time in each regime (embedded-chain stationary law × mean duration). */
function regimeShares(minutes: readonly number[]): Float64Array {
  let nu = [0.25, 0.25, 0.25, 0.25]
  for (let it = 0; it < 200; it++) {
    const next = [0, 0, 0, 0]
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) next[j]! += nu[i]! * NEXT_REGIME[i]![j]!
    nu = next
  }
  const w = new Float64Array(4)
  let sum = 0
  for (let i = 0; i < 4; i++) sum += w[i] = nu[i]! * minutes[i]!
  for (let i = 0; i < 4; i++) w[i] = w[i]! / sum
  return w
}

export function buildMarketModel(spec: MarketSpec): MarketModel {
  const s = resolveMarketSpec(spec)
  const minutes = REGIMES.map((k) => s.regimeMinutes[k])
  const shares = regimeShares(minutes)
  let meanSq = 0
  for (let i = 0; i < 4; i++) meanSq += shares[i]! * VOL_MULT[i]! * VOL_MULT[i]!
  const minutesPerYear = 365 * 1440

  const driftPerMinute = new Float64Array(4)
  const volMult = new Float64Array(4)
  const jumpProbPerMinute = new Float64Array(4)
  const volumeBoostLog = new Float64Array(4)
  const leaveProb = new Float64Array(4)
  const nextCum = new Float64Array(16)
  for (let i = 0; i < 4; i++) {
    driftPerMinute[i] = (DRIFT_SIGN[i]! * s.trendDriftPerDayRate) / 1440
    volMult[i] = VOL_MULT[i]! / Math.sqrt(meanSq)
    jumpProbPerMinute[i] = Math.min(1, (s.jumpRatePerDay * JUMP_MULT[i]!) / 1440)
    volumeBoostLog[i] = VOLUME_BOOST_LOG[i]!
    leaveProb[i] = 1 / minutes[i]!
    let c = 0
    for (let j = 0; j < 4; j++) nextCum[i * 4 + j] = c += NEXT_REGIME[i]![j]!
    nextCum[i * 4 + 3] = 1
  }

  const volumeSeason = new Float64Array(1440)
  const volSeason = new Float64Array(1440)
  let vSum = 0
  for (let m = 0; m < 1440; m++) {
    const h = Math.floor(m / 60)
    const f = (m % 60) / 60
    const a = HOURLY_ACTIVITY[h]! * (1 - f) + HOURLY_ACTIVITY[(h + 1) % 24]! * f
    const v = 1 + s.intradayAmplitude * (a - 1)
    volumeSeason[m] = v
    vSum += v
  }
  let volSq = 0
  for (let m = 0; m < 1440; m++) {
    const v = (volumeSeason[m] = (volumeSeason[m]! * 1440) / vSum)
    // Volatility follows activity, damped (square root of a square root).
    volSeason[m] = Math.sqrt(Math.sqrt(v))
    volSq += volSeason[m]! * volSeason[m]!
  }
  for (let m = 0; m < 1440; m++) volSeason[m] = volSeason[m]! / Math.sqrt(volSq / 1440)

  return {
    spec: s,
    key: JSON.stringify(s),
    sigmaPerMinute: s.annualVolRate / Math.sqrt(minutesPerYear),
    driftPerMinute,
    volMult,
    jumpProbPerMinute,
    volumeBoostLog,
    leaveProb,
    nextCum,
    volumeSeason,
    volSeason,
    logMeanNotional: detLog(s.meanNotionalQuotePerMinute),
  }
}

/** Minutes per generator day block (the rng is re-seeded per block so any day can be resumed). */
export const BLOCK_MINUTES = DAY_MS / MINUTE_MS
