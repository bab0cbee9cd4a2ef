// Verifies Upbit's JWT the way upbit-api.md §2.5 prescribes: Bearer token, alg HS256/HS512, known
// access key, HMAC over the RECEIVED header.payload bytes, fresh nonce, and query_hash = SHA-512 of
// the unencoded query (GET/DELETE: raw query split on '&', each side percent-decoded, '+' kept;
// POST: JSON body keys in order as k=v, arrays as k[]=v). Routes with a body authenticate the token
// first (`authenticate`), read and bound the body, then check its hash (`complete`).
// HMAC, SHA-512, base64url and the canonical string are shared/upbit's (the signer's own code);
// only the constant-time byte compare is node:crypto's.
import { timingSafeEqual } from 'node:crypto'
import { base64UrlDecode, base64UrlEncode, hmacSign, sha512Hex } from '../../shared/upbit/jwt.ts'
import { buildBodyHashString } from '../../shared/upbit/query.ts'
import type { QueryValue } from '../../shared/upbit/query.ts'
import { exchangeError } from './errors.ts'

export interface AuthKeys {
  accessKey: string
  secretKey: string
}

/** Decoded canonical form of a raw (still percent-encoded) query string. */
export function canonicalFromRawQuery(raw: string): string {
  if (raw === '') return ''
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const dk = (s: string): string => {
        try {
          return decodeURIComponent(s)
        } catch {
          throw exchangeError(400, 'invalid_parameter', '잘못된 인코딩의 쿼리입니다.')
        }
      }
      return eq < 0 ? dk(pair) : `${dk(pair.slice(0, eq))}=${dk(pair.slice(eq + 1))}`
    })
    .join('&')
}

/**
 * Canonical form of a JSON body (keys in body order; nested objects are not Upbit params). String()
 * recurses into nested arrays, so callers pass bodies whose depth body.ts has bounded.
 */
export function canonicalFromBody(body: Readonly<Record<string, unknown>>): string {
  const params: Record<string, QueryValue> = {}
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) params[k] = v.map((x) => String(x))
    else params[k] = v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean)
  }
  return buildBodyHashString(params)
}

/**
 * A header or payload segment as a JSON object. Decoded leniently, as the venue always has (Node's
 * base64url reader skips padding and stray characters; bad UTF-8 becomes U+FFFD): the HMAC covers
 * the received bytes, so leniency here lets no forged token through. shared/upbit's decoder is
 * strict and would turn such tokens from accepted into `jwt_verification`.
 */
function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** A token whose format, key, signature and nonce passed; its query hash is checked by `complete`. */
export interface AuthenticatedToken {
  readonly payload: Readonly<Record<string, unknown>>
  readonly nonce: string
}

export class JwtVerifier {
  private readonly seenNonces = new Set<string>()
  constructor(private readonly keys: AuthKeys) {}

  /**
   * Rejects with an UpbitError (401) unless the token is well formed, signed with the secret and
   * carries an unused nonce. Needs nothing from the request body, so routes call it BEFORE reading one: a
   * caller without a valid token never makes the venue parse anything.
   */
  async authenticate(authorization: string | undefined): Promise<AuthenticatedToken> {
    if (!authorization || !authorization.startsWith('Bearer ') || authorization.length <= 7) {
      throw exchangeError(401, 'no_authorization_token')
    }
    const token = authorization.slice(7).trim()
    const segs = token.split('.')
    if (segs.length !== 3) throw exchangeError(401, 'jwt_verification')
    const [h, p, s] = segs as [string, string, string]
    const header = decodeJson(h)
    const payload = decodeJson(p)
    if (!header || !payload) throw exchangeError(401, 'jwt_verification')
    const alg = header.alg
    if (alg !== 'HS256' && alg !== 'HS512') throw exchangeError(401, 'jwt_verification')
    if (payload.access_key !== this.keys.accessKey) throw exchangeError(401, 'invalid_access_key')
    const expected = await hmacSign(alg, this.keys.secretKey, `${h}.${p}`)
    const given = base64UrlDecode(s)
    // Compare raw bytes in constant time; also require canonical base64url so padding/alternates don't pass.
    const sameBytes = given !== undefined && given.length === expected.length && timingSafeEqual(expected, given)
    if (!sameBytes || base64UrlEncode(expected) !== s) {
      throw exchangeError(401, 'jwt_verification')
    }
    const nonce = payload.nonce
    if (typeof nonce !== 'string' && typeof nonce !== 'number') throw exchangeError(401, 'nonce_used', 'nonce가 없습니다.')
    const nonceKey = String(nonce)
    if (this.seenNonces.has(nonceKey)) throw exchangeError(401, 'nonce_used')
    return { payload, nonce: nonceKey }
  }

  /** Checks the token's query_hash against `canonical` ('' = no params) and spends its nonce. */
  async complete(token: AuthenticatedToken, canonical: string): Promise<void> {
    // Hash first: from the nonce check to spending the nonce there is no await, so of two requests
    // carrying one nonce only one can pass.
    const expectedHash = canonical === '' ? undefined : await sha512Hex(canonical)
    // Checked again: another request with the same nonce may have completed while this one read its body.
    if (this.seenNonces.has(token.nonce)) throw exchangeError(401, 'nonce_used')
    if (expectedHash !== undefined) {
      const { query_hash: hash, query_hash_alg: alg = 'SHA512' } = token.payload
      if (alg !== 'SHA512' || typeof hash !== 'string' || hash.toLowerCase() !== expectedHash) {
        throw exchangeError(401, 'invalid_query_payload')
      }
    }
    this.seenNonces.add(token.nonce)
  }

  /** Rejects with an UpbitError (401) unless the token is valid for `canonical` (''= no params). */
  async verify(authorization: string | undefined, canonical: string): Promise<void> {
    await this.complete(await this.authenticate(authorization), canonical)
  }
}
