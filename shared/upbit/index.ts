// Public face of shared/upbit: request signing, query strings, order rules, tick ladder, rate-limit
// groups and the parsers of Upbit REST and WebSocket messages. Pure (WebCrypto only).
export type { QueryParams, QueryScalar, QueryValue } from './query.ts'
export { buildQueryString, buildEncodedQueryString, buildBodyHashString, queryPairs } from './query.ts'
export type { JwtAlg, SignUpbitJwtInput, UpbitJwtPayload, DecodedJwt, JwtDecodeError } from './jwt.ts'
export { signUpbitJwt, base64UrlEncode, base64UrlDecode, sha512Hex, hmacSign, decodeJwt, verifyJwtSignature } from './jwt.ts'
export type { OrderRuleViolation, KrwOrderCheckInput } from './order-rules.ts'
export {
  checkKrwOrder,
  formatVolume,
  formatPrice,
  toPlainDecimal,
  decimalPlaces,
  KRW_MIN_TOTAL,
  KRW_MAX_TOTAL,
  VOLUME_DECIMALS,
} from './order-rules.ts'
export { krwTickSize, roundKrwPrice, isOnKrwTick } from './ticks.ts'
export type { RateGroup, RemainingReq } from './rate-groups.ts'
export { RATE_GROUPS, RATE_LIMITS, rateGroupOf, parseRemainingReq } from './rate-groups.ts'
export type * from './types.ts'
export type { ParseResult, MalformedError } from './parse.ts'
export {
  parseMarkets,
  parseCandles,
  parseTickers,
  parseOrderbooks,
  parseTradeTicks,
  parseAccounts,
  parseOrderChance,
  parseOrder,
  parseOrders,
  parseErrorBody,
} from './parse.ts'
export type { WsMessage, WsTrade, WsCandle, WsTicker, WsMyOrder, WsMyAsset } from './parse-ws.ts'
export { parseWsMessage } from './parse-ws.ts'
export { UPBIT_KRW_RULES, UPBIT_KRW_FEE_RATE } from './venue-rules.ts'
