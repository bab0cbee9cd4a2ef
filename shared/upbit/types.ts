// Domain objects for Upbit REST answers: camelCase, numbers instead of decimal strings, times as
// epoch ms UTC. parse.ts turns Upbit's JSON (snake_case, strings for amounts) into these.

export type OrderSide = 'bid' | 'ask'
export type OrderType = 'limit' | 'price' | 'market' | 'best'
export type OrderState = 'wait' | 'watch' | 'done' | 'cancel'

export interface UpbitMarket {
  readonly market: string
  readonly koreanName: string
  readonly englishName: string
  /** market_event.warning (is_details=true); undefined when not requested. */
  readonly warning?: boolean
}

export interface UpbitCandle {
  readonly market: string
  /** Candle START in epoch ms UTC (from candle_date_time_utc). */
  readonly openTimeMs: number
  readonly open: number
  readonly high: number
  readonly low: number
  readonly close: number
  /** Base volume (candle_acc_trade_volume). */
  readonly volumeBase: number
  /** Quote volume (candle_acc_trade_price). */
  readonly notionalQuote: number
  /** Time of the last trade stored in the candle (`timestamp`). */
  readonly lastTradeMs: number
}

export interface UpbitTicker {
  readonly market: string
  readonly tradePrice: number
  readonly openingPrice: number
  readonly highPrice: number
  readonly lowPrice: number
  readonly prevClosingPrice: number
  readonly change: 'RISE' | 'EVEN' | 'FALL'
  readonly signedChangeRate: number
  readonly tradeVolume: number
  readonly accTradePrice24h: number
  readonly accTradeVolume24h: number
  readonly tradeTimeMs: number
  readonly timestampMs: number
}

export interface UpbitOrderbookUnit {
  readonly askPrice: number
  readonly bidPrice: number
  readonly askSize: number
  readonly bidSize: number
}

export interface UpbitOrderbook {
  readonly market: string
  readonly timestampMs: number
  readonly totalAskSize: number
  readonly totalBidSize: number
  /** units[0] is the best ask / best bid. */
  readonly units: readonly UpbitOrderbookUnit[]
}

export interface UpbitTradeTick {
  readonly market: string
  readonly timestampMs: number
  readonly price: number
  readonly volume: number
  /** Taker side: ASK = a sell hit the bid. */
  readonly askBid: 'ASK' | 'BID'
  readonly sequentialId: number
}

export interface UpbitAccount {
  readonly currency: string
  /** Available (excludes locked). */
  readonly balance: number
  readonly locked: number
  readonly avgBuyPrice: number
  readonly avgBuyPriceModified: boolean
  readonly unitCurrency: string
}

export interface UpbitOrderChance {
  readonly bidFeeRate: number
  readonly askFeeRate: number
  readonly makerBidFeeRate?: number
  readonly makerAskFeeRate?: number
  readonly market: {
    readonly id: string
    readonly bidMinTotal: number
    readonly askMinTotal: number
    readonly maxTotal?: number
    readonly state?: string
    readonly bidTypes?: readonly string[]
    readonly askTypes?: readonly string[]
  }
  readonly bidAccount: UpbitAccount
  readonly askAccount: UpbitAccount
}

export interface UpbitOrderTrade {
  /** Trade id (unique per fill: the key for exactly-once fill booking). */
  readonly uuid: string
  readonly market: string
  readonly price: number
  readonly volume: number
  readonly funds: number
  readonly side: OrderSide
  readonly createdAtMs: number
}

export interface UpbitOrder {
  readonly uuid: string
  readonly identifier?: string
  readonly market: string
  readonly side: OrderSide
  readonly ordType: OrderType
  /** Unit price (limit) or total (price orders); absent for market sells. */
  readonly price?: number
  readonly state: OrderState
  readonly createdAtMs: number
  /** Requested volume; absent for `price` orders. */
  readonly volume?: number
  readonly remainingVolume: number
  readonly executedVolume: number
  readonly reservedFee: number
  readonly remainingFee: number
  readonly paidFee: number
  readonly locked: number
  readonly tradesCount: number
  readonly executedFunds?: number
  readonly timeInForce?: string
  /** Only GET /v1/order returns trades; [] elsewhere. */
  readonly trades: readonly UpbitOrderTrade[]
}

/** Upbit's error body `{"error":{"name","message"}}` (quotation errors use a numeric name). */
export interface UpbitErrorBody {
  readonly name: string
  readonly message: string
}
