// Private signing primitives for the simulated venue (base64url, SHA-512, HMAC, Upbit's canonical
// query string). Minimal stand-ins until shared/upbit/jwt.ts and query.ts land; the names and
// signatures follow that module's announced API so switching is an import change.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export type JwtAlg = 'HS256' | 'HS512'

export function base64UrlEncode(data: string | Uint8Array): string {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  return buf.toString('base64url')
}

export function base64UrlDecode(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

export function sha512Hex(text: string): string {
  return createHash('sha512').update(text, 'utf8').digest('hex')
}

/** HMAC of `data` with the secret's UTF-8 bytes (Upbit secrets are used as issued, not base64). */
export function hmacSign(alg: JwtAlg, secret: string, data: string): Uint8Array {
  const h = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', Buffer.from(secret, 'utf8'))
  return new Uint8Array(h.update(data, 'utf8').digest())
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export type QueryValue = string | number | boolean | ReadonlyArray<string | number | boolean>

/**
 * Upbit's canonical (unencoded) query string: keys in insertion order, arrays as repeated `key[]=v`
 * (a key already ending in `[]` is not suffixed again).
 */
export function buildQueryString(params: Readonly<Record<string, QueryValue | null | undefined>>): string {
  const parts: string[] = []
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      const k = key.endsWith('[]') ? key : `${key}[]`
      for (const v of value) parts.push(`${k}=${String(v)}`)
    } else {
      parts.push(`${key}=${String(value)}`)
    }
  }
  return parts.join('&')
}

/** Builds a signed Upbit JWT (used by the sim's own tests and tools, never by the verifier). */
export function signUpbitJwt(opts: {
  accessKey: string
  secretKey: string
  nonce: string
  queryString?: string
  alg?: JwtAlg
}): string {
  const alg = opts.alg ?? 'HS512'
  const header = base64UrlEncode(JSON.stringify({ alg, typ: 'JWT' }))
  const payload: Record<string, string> = { access_key: opts.accessKey, nonce: opts.nonce }
  if (opts.queryString !== undefined && opts.queryString !== '') {
    payload.query_hash = sha512Hex(opts.queryString)
    payload.query_hash_alg = 'SHA512'
  }
  const body = base64UrlEncode(JSON.stringify(payload))
  const sig = base64UrlEncode(hmacSign(alg, opts.secretKey, `${header}.${body}`))
  return `${header}.${body}.${sig}`
}
