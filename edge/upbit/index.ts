// Public face of edge/upbit: the REST client (same code for api.upbit.com and the sim venue), bulk
// candle download, WebSocket streams, rate limiting and the persisted 418 block.
export type { UpbitError, UpbitErrorKind, UpbitResult } from './result.ts'
export type {
  UpbitClient,
  UpbitClientOptions,
  CandleQuery,
  CandleUnit,
  PlaceOrderInput,
  OrderRef,
  OrderListQuery,
  ClosedOrderQuery,
} from './client.ts'
export { createUpbitClient, CANDLE_PATHS, MAX_CANDLE_COUNT, candleToParam, kstIso } from './client.ts'
export type { PlacedOrder, ResolvedBy } from './place-order.ts'
export type { CandleChunk, DownloadOptions } from './download.ts'
export { downloadCandles } from './download.ts'
export type { UpbitWsClient, UpbitWsOptions, UpbitWsSubscription, UpbitWsState, UpbitWsError } from './ws.ts'
export { connectUpbitWs, subscriptionMessage } from './ws.ts'
export type { BlockState, BlockStore } from './block-store.ts'
export { createFileBlockStore, createMemoryBlockStore } from './block-store.ts'
export type { RateLimiter } from './rate-limiter.ts'
export type { FetchLike } from './transport.ts'
