// One HTTP exchange with Upbit: rate-limit slot, fresh JWT (new nonce per attempt, query_hash over
// exactly what is sent), fetch with a timeout, classification of the answer, and retries for
// idempotent calls only. Never sets an `Origin` header (Upbit limits Origin-bearing requests to
// 1 per 10 s). Body parsing into domain objects is the caller's job (client.ts).
import { buildEncodedQueryString, buildQueryString, type QueryParams } from '../../shared/upbit/query.ts'
import { signUpbitJwt, type JwtAlg } from '../../shared/upbit/jwt.ts'
import { parseErrorBody } from '../../shared/upbit/parse.ts'
import { parseRemainingReq, rateGroupOf, type RateGroup } from '../../shared/upbit/rate-groups.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { fail, ok, type UpbitError, type UpbitResult } from './result.ts'

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export interface TransportOptions {
  readonly baseUrl: string
  readonly accessKey?: string
  readonly secretKey?: string
  readonly fetch: FetchLike
  readonly nonce: () => string
  readonly random: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly limiter: RateLimiter
  readonly timeoutMs: number
  /** Attempts for idempotent calls (GET), first one included. */
  readonly maxAttempts: number
  readonly retryBaseMs: number
  readonly retryCapMs: number
  readonly alg: JwtAlg
}

export interface UpbitRequest {
  readonly method: 'GET' | 'POST' | 'DELETE'
  readonly path: string
  /** Query params (GET/DELETE) in send order. */
  readonly query?: QueryParams
  /** JSON body (POST) in send order. */
  readonly body?: QueryParams
  readonly auth: boolean
  /** Retry on 5xx/timeout/reset/429/malformed. Only true for reads. */
  readonly idempotent: boolean
}

export interface RawResponse {
  readonly status: number
  readonly json: unknown
}

/** Duration of a 418 block from `Retry-After` (seconds) or a number of seconds in the body. */
export function blockDurationMs(retryAfter: string | null, bodyText: string): number | undefined {
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000
  const m = /(\d+(?:\.\d+)?)\s*(ms|milliseconds|s|sec|secs|seconds|초)\b/i.exec(bodyText) ?? /(\d+(?:\.\d+)?)\s*초/.exec(bodyText)
  if (m) return Number(m[1]) * (m[2]?.toLowerCase().startsWith('m') ? 1 : 1000)
  return undefined
}

function isRetryable(e: UpbitError): boolean {
  if (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'rate-limited' || e.kind === 'malformed') return true
  return e.kind === 'http' && e.status !== undefined && e.status >= 500
}

export interface Transport {
  send(req: UpbitRequest): Promise<UpbitResult<RawResponse>>
  readonly limiter: RateLimiter
}

export function createTransport(o: TransportOptions): Transport {
  const base = o.baseUrl.replace(/\/+$/, '')

  async function attempt(req: UpbitRequest): Promise<UpbitResult<RawResponse>> {
    const group = rateGroupOf(req.method, req.path)
    const acquired = await o.limiter.acquire(group)
    if (!acquired.ok) {
      const until = acquired.error.blockedUntilMs
      return fail({ kind: 'blocked', message: `Upbit calls are blocked (418) until ${new Date(until).toISOString()}`, retryAtMs: until })
    }
    try {
      return await exchange(req, group)
    } finally {
      acquired.value.done()
    }
  }

  async function exchange(req: UpbitRequest, group: RateGroup): Promise<UpbitResult<RawResponse>> {
    const query = req.query ?? {}
    const encoded = buildEncodedQueryString(query)
    const url = `${base}${req.path}${encoded ? `?${encoded}` : ''}`
    const headers: Record<string, string> = { Accept: 'application/json' }
    let bodyText: string | undefined
    if (req.body !== undefined) {
      const body: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(req.body)) if (v !== undefined) body[k] = v
      bodyText = JSON.stringify(body)
      headers['Content-Type'] = 'application/json; charset=utf-8'
    }
    if (req.auth) {
      if (!o.accessKey || !o.secretKey) return fail({ kind: 'upbit', name: 'no_credentials', message: 'this call needs Upbit API keys' })
      const canonical = req.body !== undefined ? buildQueryString(req.body) : buildQueryString(query)
      const token = await signUpbitJwt({
        accessKey: o.accessKey,
        secretKey: o.secretKey,
        query: canonical || undefined,
        nonce: o.nonce(),
        alg: o.alg,
      })
      headers.Authorization = `Bearer ${token}`
    }

    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, o.timeoutMs)
    let status: number
    let text: string
    let retryAfter: string | null
    try {
      const res = await o.fetch(url, {
        method: req.method,
        headers,
        ...(bodyText !== undefined ? { body: bodyText } : {}),
        signal: controller.signal,
      })
      status = res.status
      retryAfter = res.headers.get('retry-after')
      o.limiter.onRemaining(group, parseRemainingReq(res.headers.get('remaining-req')))
      text = await res.text()
    } catch (e) {
      const message = e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e)
      if (timedOut) return fail({ kind: 'timeout', message: `${req.method} ${req.path}: no complete answer within ${o.timeoutMs} ms` })
      return fail({ kind: 'network', message: `${req.method} ${req.path}: ${message}` })
    } finally {
      clearTimeout(timer)
    }

    if (status === 429) {
      o.limiter.on429(group)
      return fail({ kind: 'rate-limited', status, message: `${req.method} ${req.path}: 429 ${text.slice(0, 200)}` })
    }
    if (status === 418) {
      const until = o.limiter.on418(blockDurationMs(retryAfter, text))
      return fail({
        kind: 'blocked',
        status,
        retryAtMs: until,
        message: `${req.method} ${req.path}: 418 blocked until ${new Date(until).toISOString()}`,
      })
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    if (status >= 200 && status < 300) {
      if (json === undefined)
        return fail({ kind: 'malformed', status, message: `${req.method} ${req.path}: body is not JSON: ${text.slice(0, 200)}` })
      o.limiter.onSuccess(group)
      return ok({ status, json })
    }
    const err = parseErrorBody(json)
    if (status >= 500) {
      return fail({
        kind: 'http',
        status,
        ...(err.ok ? { name: err.value.name } : {}),
        message: `${req.method} ${req.path}: ${status} ${err.ok ? err.value.message : text.slice(0, 200)}`,
      })
    }
    if (err.ok)
      return fail({
        kind: 'upbit',
        status,
        name: err.value.name,
        message: `${req.method} ${req.path}: ${status} ${err.value.name}: ${err.value.message}`,
      })
    return fail({ kind: 'http', status, message: `${req.method} ${req.path}: ${status} ${text.slice(0, 200)}` })
  }

  return {
    limiter: o.limiter,
    async send(req) {
      const attempts = req.idempotent ? Math.max(1, o.maxAttempts) : 1
      let last: UpbitResult<RawResponse> | undefined
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await o.sleep(o.random() * Math.min(o.retryCapMs, o.retryBaseMs * 2 ** (i - 1)))
        last = await attempt(req)
        if (last.ok || !isRetryable(last.error)) return last
      }
      return last!
    },
  }
}
