// Execution contract (design §3 engine, §7.3): configuration, trades and rejections shared by the
// backtest, the optimizer's fast paths and the live runner.

export type TickRounding = 'up' | 'down' | 'nearest'
export type OrderType = 'market' | 'limit'

/** How big a buy is. Sizes are the order's value before fees; the fee comes on top. */
export type Sizing =
  /** The seed's: qty = cash / (price × (1 + fee + feeBuffer)), 8 decimals, rounded down. */
  | { readonly kind: 'all-in'; readonly feeBufferRate: number }
  /** A fixed quote (KRW) notional per entry. */
  | { readonly kind: 'fixed-quote'; readonly notionalQuote: number }
  /** A fraction of equity at the decision close. */
  | { readonly kind: 'fraction'; readonly fractionRate: number }
  /**
   * Seed 001's Kelly: f* = (p·b − (1 − p)) / b with p = win rate, b = payoff ratio; the entry is
   * equity × f* × kellyFraction (clamped to [0, 1]); no entry when f* ≤ 0.
   */
  | { readonly kind: 'kelly'; readonly winRate: number; readonly payoffRatio: number; readonly kellyFraction: number }
  /** Lose at most riskRate of equity if the stop at stopDistanceRate below entry is hit. */
  | { readonly kind: 'risk'; readonly riskRate: number; readonly stopDistanceRate: number }

export interface ExecConfig {
  /** Starting quote (KRW) cash. */
  readonly initialCash: number
  /** Fee on notional at every fill (Upbit KRW market: 0.0005). */
  readonly feeRate: number
  /** Market fills at open × (1 ± slippageRate). */
  readonly slippageRate: number
  readonly orderType: OrderType
  /** Limit price = close × (1 ± aggressivenessRate), rounded to the KRW tick. */
  readonly aggressivenessRate: number
  /** Tick rounding of limit buy prices (seed: 'up'). */
  readonly buyRounding: TickRounding
  /** Tick rounding of limit sell prices (seed: 'down'). */
  readonly sellRounding: TickRounding
  /** A limit order may fill on the next orderTtlBars bars, then it is cancelled. */
  readonly orderTtlBars: number
  readonly sizing: Sizing
  /** 0 disables. Stop at entry × (1 − stopLossRate). */
  readonly stopLossRate: number
  /** 0 disables. Exit at entry × (1 + takeProfitRate). */
  readonly takeProfitRate: number
  /** 0 disables. Stop at peak × (1 − trailingStopRate). */
  readonly trailingStopRate: number
  /** Exchange minimum order value in quote (Upbit KRW: 5,000). */
  readonly minOrderQuote: number
}

export const DEFAULT_EXEC_CONFIG: ExecConfig = {
  initialCash: 1_000_000,
  feeRate: 0.0005,
  slippageRate: 0,
  orderType: 'limit',
  aggressivenessRate: 0.0015,
  buyRounding: 'up',
  sellRounding: 'down',
  orderTtlBars: 1,
  sizing: { kind: 'all-in', feeBufferRate: 0.0005 },
  stopLossRate: 0,
  takeProfitRate: 0,
  trailingStopRate: 0,
  minOrderQuote: 5000,
}

export const EXIT_REASONS = ['signal', 'stop-loss', 'take-profit', 'trailing-stop', 'open'] as const
export type ExitReason = (typeof EXIT_REASONS)[number]

/** One entry-to-exit round trip. Times are the open times of the bars that filled it. */
export interface Trade {
  readonly entryBar: number
  readonly entryTimeMs: number
  readonly entryPrice: number
  readonly qtyBase: number
  readonly entryFeeQuote: number
  /** -1 / NaN while the position is still open at the end ('open'). */
  readonly exitBar: number
  readonly exitTimeMs: number
  readonly exitPrice: number
  readonly exitFeeQuote: number
  /** Net of both fees; for an open trade, marked at the last close without an exit fee. */
  readonly profitQuote: number
  /** profit / (entry value + entry fee). */
  readonly returnRate: number
  readonly exitReason: ExitReason
}

export const REJECT_REASONS = ['below-minimum', 'insufficient-cash', 'zero-size'] as const
export type RejectReason = (typeof REJECT_REASONS)[number]
