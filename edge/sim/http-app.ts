// The sim's Hono app: per request it first lets the market catch up with the clock, then applies
// an armed fault, then the rate limit (with Remaining-Req), then the route. Expected refusals
// (UpbitError) become Upbit error bodies; a client that aborts its request is logged as such; anything
// else is a bug: logged with its detail, answered with a generic 500 that never carries the
// internal message.
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { HttpBindings } from '@hono/node-server'
import { errorBody, exchangeError, UpbitError } from './errors.ts'
import type { FaultBook } from './faults.ts'
import type { RateGroupId, RateLimiter } from './rate-limit.ts'
import type { SimLogger } from './types.ts'
import { remainingReqHeader } from './rate-limit.ts'
import { clientIp } from './request.ts'

export interface HttpDeps {
  faults: FaultBook
  limiter: RateLimiter
  /** Account key for exchange-group limits. */
  accountKey: string
  sync(): void
  /** Resolves when the venue is disposed (held 'timeout' requests then end). */
  disposed: Promise<void>
  sleep(ms: number): Promise<void>
  logger: SimLogger
}

export function rateGroupOf(method: string, path: string): RateGroupId | null {
  if (path === '/v1/market/all') return 'market'
  if (path.startsWith('/v1/candles/')) return 'candle'
  if (path === '/v1/trades/ticks') return 'trade'
  if (path.startsWith('/v1/ticker')) return 'ticker'
  if (path.startsWith('/v1/orderbook')) return 'orderbook'
  if (method === 'POST' && (path === '/v1/orders' || path === '/v1/orders/cancel_and_new')) return 'order'
  if (method === 'POST' && path === '/v1/orders/test') return 'order-test'
  if (method === 'DELETE' && path === '/v1/orders/open') return 'order-cancel-all'
  if (path.startsWith('/v1/')) return 'default'
  return null
}

const isQuotation = (g: RateGroupId): boolean => ['market', 'candle', 'trade', 'ticker', 'orderbook'].includes(g)

function tooMany(group: RateGroupId): Response {
  // Observed: quotation 429s are plain text; exchange 429s here use the JSON error shape.
  const headers = { 'Remaining-Req': remainingReqHeader(group, 0) }
  if (isQuotation(group))
    return new Response('Too many API requests.', { status: 429, headers: { ...headers, 'content-type': 'text/plain' } })
  return new Response(JSON.stringify({ error: { name: 'too_many_requests', message: 'Too many API requests.' } }), {
    status: 429,
    headers: { ...headers, 'content-type': 'application/json;charset=UTF-8' },
  })
}

function blocked(blockedForMs: number): Response {
  const sec = Math.max(1, Math.ceil(blockedForMs / 1000))
  return new Response(
    JSON.stringify({ error: { name: 'too_many_requests', message: `Too many API requests. Blocked for ${sec} seconds.` } }),
    {
      status: 418,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'Retry-After': String(sec) },
    },
  )
}

/** True when the request failed because its client went away (reset or closed mid-body). */
function clientAborted(c: Context, e: unknown): boolean {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming
  if (incoming === undefined) return false
  const code = (e as { code?: unknown } | null)?.code
  return (
    incoming.errored !== null ||
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (incoming.destroyed && !incoming.complete)
  )
}

const SERVER_ERROR_BODY = JSON.stringify({ error: { name: 'server_error', message: '서버 내부 오류가 발생했습니다.' } })

function destroySocket(c: Context): void {
  const env = c.env as Partial<HttpBindings> | undefined
  env?.incoming?.socket?.destroy()
}

export function createHttpApp(d: HttpDeps): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    d.sync()
    const group = rateGroupOf(c.req.method, c.req.path)
    const fault = d.faults.take(`${c.req.method} ${c.req.path}`)
    if (fault?.kind === '429') return tooMany(group ?? 'default')
    if (fault?.kind === '418') return blocked(30_000)
    if (fault?.kind === '500') return c.json({ error: { name: 'server_error', message: '서버 오류 (injected)' } }, 500)
    if (fault?.kind === 'delay') await d.sleep(fault.delayMs ?? 2000)
    if (fault?.kind === 'timeout') {
      const env = c.env as Partial<HttpBindings> | undefined
      await Promise.race([d.disposed, new Promise<void>((r) => env?.incoming?.socket?.once('close', () => r()))])
      destroySocket(c)
      return c.body(null, 504)
    }
    if (group) {
      const caller = isQuotation(group) ? clientIp(c) : d.accountKey
      const decision = d.limiter.check(group, caller, isQuotation(group) && c.req.header('origin') !== undefined)
      if (decision.kind === '429') return tooMany(group)
      if (decision.kind === '418') return blocked(decision.blockedForMs)
      c.header('Remaining-Req', remainingReqHeader(group, decision.remaining))
    }
    await next()
    if (fault?.kind === 'malformed') {
      const text = await c.res.text()
      const headers = new Headers(c.res.headers)
      headers.delete('content-length')
      c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), { status: c.res.status, headers })
    }
    if (fault?.kind === 'response-lost') destroySocket(c)
  })
  app.onError((e, c) => {
    if (e instanceof UpbitError) {
      return c.body(errorBody(e), e.status as 400, { 'content-type': 'application/json;charset=UTF-8' })
    }
    if (clientAborted(c, e)) {
      d.logger.warn(`sim venue: client aborted ${c.req.method} ${c.req.path} before its request was complete`)
      // Nobody reads this answer; it only ends the exchange cleanly (still in Upbit's shape).
      return c.body(errorBody(exchangeError(400, 'invalid_parameter', 'request aborted by the client')), 400, {
        'content-type': 'application/json;charset=UTF-8',
      })
    }
    d.logger.error(`sim venue bug on ${c.req.method} ${c.req.path}:`, e)
    return c.body(SERVER_ERROR_BODY, 500, { 'content-type': 'application/json;charset=UTF-8' })
  })
  app.notFound((c) => c.json({ error: { name: 404, message: 'Not found' } }, 404))
  return app
}
