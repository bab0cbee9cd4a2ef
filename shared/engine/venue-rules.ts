// What the engine needs to know about a venue's order rules, as data (design §7.3): how a price is
// rounded onto the venue's price grid, the smallest and largest order total, how many decimals a
// volume may have, and the fee. The engine never imports a venue: Upbit KRW is one instance
// (shared/upbit/venue-rules.ts); a venue with other tick and lot filters is another value of
// this type, with no change to the engine.
import type { TickRounding } from './types.ts'

export interface VenueRules {
  /** A short stable name, e.g. 'upbit-krw' (recorded with results). */
  readonly id: string
  /**
   * The price on the venue's grid for a positive finite price, in the given direction. A price
   * within float noise of a grid point is on it (it never moves to the next one).
   */
  roundPrice(price: number, direction: TickRounding): number
  /** Smallest order total in quote (Upbit KRW: 5,000). ExecConfig.minOrderQuote starts from it. */
  readonly minOrderQuote: number
  /**
   * Largest order total in quote (Upbit KRW: 1,000,000,000). Carried for the live broker's
   * checks; the backtest kernel does not enforce it (results stay comparable across accounts).
   */
  readonly maxOrderQuote: number
  /** Decimals a volume may have (Upbit: 8); volumes are rounded down to them. */
  readonly volumeDecimals: number
  /** The venue's default fee on notional (Upbit KRW: 0.0005). ExecConfig.feeRate starts from it. */
  readonly feeRate: number
}
