// Typed outcomes of every Upbit call. Expected failures (exchange errors, limits, network) are
// values; the caller decides. `ambiguous` exists only for order placement: the order may or may not
// be at the venue, and the identifier must be used to find out (see place-order.ts).

export type UpbitErrorKind = 'http' | 'rate-limited' | 'blocked' | 'malformed' | 'network' | 'timeout' | 'ambiguous' | 'upbit'

export interface UpbitError {
  readonly kind: UpbitErrorKind
  readonly message: string
  /** HTTP status when there was a response. */
  readonly status?: number
  /** Upbit's `error.name` (e.g. `insufficient_funds_bid`, `order_not_found`, `"404"` for quotation). */
  readonly name?: string
  /** For `blocked` (418 or a persisted block): when calls may resume, epoch ms. */
  readonly retryAtMs?: number
}

export type UpbitResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UpbitError }

export const ok = <T>(value: T): UpbitResult<T> => ({ ok: true, value })
export const fail = <T = never>(error: UpbitError): UpbitResult<T> => ({ ok: false, error })
