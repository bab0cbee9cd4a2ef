// Upbit's KRW market as engine venue rules (upbit-api.md §4.3, §6): the tick ladder in force since
// 2025-07-31, 5,000 to 1,000,000,000 KRW per order, 8 volume decimals, 0.05% fee.
import type { VenueRules } from '../engine/venue-rules.ts'
import { KRW_MAX_TOTAL, KRW_MIN_TOTAL, VOLUME_DECIMALS } from './order-rules.ts'
import { roundKrwPrice } from './ticks.ts'

export const UPBIT_KRW_FEE_RATE = 0.0005

export const UPBIT_KRW_RULES: VenueRules = {
  id: 'upbit-krw',
  roundPrice: roundKrwPrice,
  minOrderQuote: KRW_MIN_TOTAL,
  maxOrderQuote: KRW_MAX_TOTAL,
  volumeDecimals: VOLUME_DECIMALS,
  feeRate: UPBIT_KRW_FEE_RATE,
}
