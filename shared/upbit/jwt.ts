// Upbit request signing (upbit-api.md §2): a compact JWS signed with HMAC (HS256 or HS512) whose
// payload is {access_key, nonce, query_hash?, query_hash_alg?}. WebCrypto only (crypto.subtle),
// so the same code signs in edge (Node 20) and verifies in tests or the simulated venue.
// The nonce is passed in: shared/ owns no randomness (edge passes crypto.randomUUID()).
import { err, ok, type Result } from '../result.ts'

export type JwtAlg = 'HS256' | 'HS512'

export interface SignUpbitJwtInput {
  readonly accessKey: string
  readonly secretKey: string
  /** The UNENCODED canonical query/body string (buildQueryString); undefined or '' = no params. */
  readonly query: string | undefined
  readonly nonce: string
  readonly alg: JwtAlg
}

export interface UpbitJwtPayload {
  readonly access_key: string
  readonly nonce: string
  readonly query_hash?: string
  readonly query_hash_alg?: string
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64URL_INDEX = new Int16Array(128).fill(-1)
for (let i = 0; i < BASE64URL.length; i++) BASE64URL_INDEX[BASE64URL.charCodeAt(i)] = i

/** base64url without padding (RFC 7515 §2). Accepts bytes or a string (encoded as UTF-8). */
export function base64UrlEncode(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += BASE64URL[n >> 18]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]!
  }
  return out
}

/** Decodes unpadded base64url; returns undefined for characters outside the alphabet or a bad length. */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let acc = 0
  let bits = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? BASE64URL_INDEX[c]! : -1
    if (v < 0) return undefined
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return out
}

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer)
  let hex = ''
  for (let i = 0; i < bytes.length; i++) hex += bytes[i]!.toString(16).padStart(2, '0')
  return hex
}

/** Lower-case hex SHA-512 of the UTF-8 bytes of `text` (Upbit's query_hash). */
export async function sha512Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-512', encoder.encode(text)))
}

const HASH_OF: Readonly<Record<JwtAlg, string>> = { HS256: 'SHA-256', HS512: 'SHA-512' }

/** HMAC over the UTF-8 bytes of `data` keyed with the UTF-8 bytes of `secret` (never base64-decoded). */
export async function hmacSign(alg: JwtAlg, secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: HASH_OF[alg] }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
}

/** Builds and signs the token for one request. A fresh nonce is required per HTTP attempt. */
export async function signUpbitJwt(input: SignUpbitJwtInput): Promise<string> {
  const payload: UpbitJwtPayload =
    input.query === undefined || input.query === ''
      ? { access_key: input.accessKey, nonce: input.nonce }
      : {
          access_key: input.accessKey,
          nonce: input.nonce,
          query_hash: await sha512Hex(input.query),
          query_hash_alg: 'SHA512',
        }
  const signingInput = `${base64UrlEncode(JSON.stringify({ alg: input.alg, typ: 'JWT' }))}.${base64UrlEncode(JSON.stringify(payload))}`
  return `${signingInput}.${base64UrlEncode(await hmacSign(input.alg, input.secretKey, signingInput))}`
}

export type JwtDecodeError =
  | { readonly kind: 'jwt-format'; readonly message: string }
  | { readonly kind: 'jwt-header'; readonly message: string }
  | { readonly kind: 'jwt-payload'; readonly message: string }

export interface DecodedJwt {
  readonly header: { readonly alg: string; readonly typ?: string }
  readonly payload: Readonly<Record<string, unknown>>
  /** `header.payload` exactly as received: verify the signature over these bytes, never re-serialize. */
  readonly signingInput: string
  readonly signature: Uint8Array
}

function parseSegment(segment: string): unknown {
  const bytes = base64UrlDecode(segment)
  if (bytes === undefined) return undefined
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown
  } catch {
    return undefined
  }
}

/** Splits and parses a token without verifying it. Errors are values, never throws. */
export function decodeJwt(token: string): Result<DecodedJwt, JwtDecodeError> {
  const parts = token.split('.')
  if (parts.length !== 3) return err({ kind: 'jwt-format', message: `expected 3 segments, got ${parts.length}` })
  const [h, p, s] = parts as [string, string, string]
  const header = parseSegment(h)
  if (typeof header !== 'object' || header === null || typeof (header as { alg?: unknown }).alg !== 'string') {
    return err({ kind: 'jwt-header', message: 'header is not a JSON object with a string alg' })
  }
  const payload = parseSegment(p)
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return err({ kind: 'jwt-payload', message: 'payload is not a JSON object' })
  }
  const signature = base64UrlDecode(s)
  if (signature === undefined) return err({ kind: 'jwt-format', message: 'signature is not base64url' })
  return ok({
    header: header as DecodedJwt['header'],
    payload: payload as Record<string, unknown>,
    signingInput: `${h}.${p}`,
    signature,
  })
}

/** Constant-time-ish check of a decoded token's HMAC (for verifiers such as the simulated venue). */
export async function verifyJwtSignature(decoded: DecodedJwt, secret: string): Promise<boolean> {
  const alg = decoded.header.alg
  if (alg !== 'HS256' && alg !== 'HS512') return false
  const expected = await hmacSign(alg, secret, decoded.signingInput)
  if (expected.length !== decoded.signature.length) return false
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ decoded.signature[i]!
  return diff === 0
}
