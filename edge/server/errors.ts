// Typed API errors and the one place they become responses: `{ error: { code, message } }` with
// the error's status. Anything that is not an ApiError is a bug: it is logged (message only, via
// the injected logger) and answered with a generic 500, so no stack trace, path or secret that an
// exception may carry ever reaches a client.
import type { Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from './logger.ts'

export type ApiErrorCode =
  | 'bad_host'
  | 'bad_origin'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'invalid_json'
  | 'invalid_parameter'
  | 'conflict'
  | 'confirmation_required'
  | 'no_keys'
  | 'venue_error'
  | 'internal'

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    /** The request field at fault (query parameter or body path), when there is one. */
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** 400 naming the field: `market: expected …`. */
export const invalidParameter = (field: string, problem: string): ApiError =>
  new ApiError(400, 'invalid_parameter', `${field}: ${problem}`, field)

export interface ErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly field?: string }
}

export function errorBody(e: ApiError): ErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.field !== undefined ? { field: e.field } : {}) } }
}

export function errorResponse(c: Context, e: ApiError, headers?: Record<string, string>): Response {
  return c.json(errorBody(e), e.status, headers)
}

/** Installs onError and notFound on the app: every failure leaves in the same shape. */
export function installErrorHandling(app: Hono, logger: Logger): void {
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err)
    if (err instanceof HTTPException && err.status === 413)
      return errorResponse(c, new ApiError(413, 'payload_too_large', 'request body too large'))
    if (err instanceof HTTPException && err.status < 500)
      return errorResponse(c, new ApiError(err.status as ContentfulStatusCode, 'invalid_parameter', 'bad request'))
    // Method and path only: the query string is never logged (it is not where tokens go, but a
    // careless client might put one there).
    logger.error(`${c.req.method} ${c.req.path}: ${err instanceof Error ? err.message : String(err)}`)
    return errorResponse(c, new ApiError(500, 'internal', 'internal error'))
  })
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`)))
}
