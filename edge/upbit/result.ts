// Typed outcomes of every Upbit call. Expected failures (exchange errors, limits, network) are
// values; the caller decides. `ambiguous` exists only for order placement: the order may or may not
// be at the venue, and the identifier must be used to find out (see place-order.ts).
// The shape is the house's one result type (shared/result.ts) with UpbitError as the error.
import { err, type Result } from '../../shared/result.ts'

export { ok } from '../../shared/result.ts'

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

export type UpbitResult<T> = Result<T, UpbitError>

/** A failed call; typed so that every failure built here is an UpbitError. */
export function fail(error: UpbitError): { readonly ok: false; readonly error: UpbitError } {
  return err(error)
}
