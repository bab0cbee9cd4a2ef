// Every vector of upbit-jwt-vectors.json (a copy of shared/reference's file, made with ccxt 4.5.84
// and the official rule): canonical strings, hashes and full tokens, plus the verifier primitives.
import { describe, it, expect } from 'vitest'
import vectorsFile from './upbit-jwt-vectors.json' with { type: 'json' }
import { buildQueryString, buildEncodedQueryString, type QueryParams } from '../../../shared/upbit/query.ts'
import {
  signUpbitJwt,
  sha512Hex,
  decodeJwt,
  base64UrlEncode,
  base64UrlDecode,
  hmacSign,
  verifyJwtSignature,
} from '../../../shared/upbit/jwt.ts'

const { access_key: accessKey, secret_key: secretKey, nonce, vectors } = vectorsFile

describe('upbit JWT vectors (official rule)', () => {
  it('has the seven documented vectors', () => {
    expect(vectors.map((v) => v.name)).toEqual([
      'get_accounts_no_query',
      'get_order_by_uuid',
      'post_order_limit_bid',
      'delete_order_by_identifier',
      'get_orders_uuids_array_key_with_brackets',
      'get_orders_open_array_key_plain',
      'get_orders_closed_iso_time',
    ])
  })

  for (const v of vectors) {
    describe(v.name, () => {
      const params = v.params as QueryParams
      const query = buildQueryString(params)
      const official = v.official_rule

      it('builds the documented canonical string', () => {
        expect(query === '' ? null : query).toBe(official.hashed_string)
      })

      it('hashes it to the documented query_hash', async () => {
        if (official.query_hash === null) return expect(query).toBe('')
        expect(await sha512Hex(query)).toBe(official.query_hash)
      })

      it('signs the documented HS512 and HS256 tokens', async () => {
        const q = query === '' ? undefined : query
        expect(await signUpbitJwt({ accessKey, secretKey, query: q, nonce, alg: 'HS512' })).toBe(official.token_hs512)
        expect(await signUpbitJwt({ accessKey, secretKey, query: q, nonce, alg: 'HS256' })).toBe(official.token_hs256)
        expect(official.authorization_hs512).toBe(`Bearer ${official.token_hs512}`)
      })

      it('decodes to the documented payload and verifies', async () => {
        const decoded = decodeJwt(official.token_hs512)
        if (!decoded.ok) throw new Error(decoded.error.message)
        expect(decoded.value.header).toEqual({ alg: 'HS512', typ: 'JWT' })
        expect(decoded.value.payload).toEqual(official.jwt_payload)
        expect(await verifyJwtSignature(decoded.value, secretKey)).toBe(true)
        expect(await verifyJwtSignature(decoded.value, `${secretKey}x`)).toBe(false)
      })

      it('matches ccxt exactly where ccxt and the docs agree', async () => {
        if (!official.same_hash_as_ccxt) {
          // Arrays: ccxt indexes (`states[0]=`); the docs repeat `key[]=`. We follow the docs.
          expect(v.ccxt.hashed_string).toMatch(/\[\d\]|\]\[/)
          expect(query).not.toBe(v.ccxt.hashed_string)
          return
        }
        expect(query === '' ? null : query).toBe(v.ccxt.hashed_string)
        const q = query === '' ? undefined : query
        expect(await signUpbitJwt({ accessKey, secretKey, query: q, nonce, alg: 'HS256' })).toBe(v.ccxt.token)
      })
    })
  }
})

describe('query strings', () => {
  it('encodes values on the wire but leaves array brackets literal', () => {
    const params = { market: 'KRW-BTC', start_time: '2024-08-19T00:00:00+09:00', states: ['wait', 'watch'], limit: 100 }
    expect(buildQueryString(params)).toBe('market=KRW-BTC&start_time=2024-08-19T00:00:00+09:00&states[]=wait&states[]=watch&limit=100')
    expect(buildEncodedQueryString(params)).toBe(
      'market=KRW-BTC&start_time=2024-08-19T00%3A00%3A00%2B09%3A00&states[]=wait&states[]=watch&limit=100',
    )
  })

  it('matches the URL of the ISO-time vector and skips undefined values', () => {
    const v = vectors.find((x) => x.name === 'get_orders_closed_iso_time')!
    expect(`https://api.upbit.com${v.path}?${buildEncodedQueryString({ ...(v.params as QueryParams), state: undefined })}`).toBe(v.ccxt.url)
  })

  it('encodes spaces and non-ASCII values', () => {
    expect(buildEncodedQueryString({ to: '2025-06-24 04:56:53', name: '비트' })).toBe(
      'to=2025-06-24%2004%3A56%3A53&name=%EB%B9%84%ED%8A%B8',
    )
    expect(buildQueryString({ to: '2025-06-24 04:56:53' })).toBe('to=2025-06-24 04:56:53')
  })
})

describe('JWT primitives', () => {
  it('base64url round-trips every length and never pads', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 251) & 0xff)
      const text = base64UrlEncode(bytes)
      expect(text).not.toMatch(/[=+/]/)
      expect(Array.from(base64UrlDecode(text)!)).toEqual(Array.from(bytes))
    }
    expect(base64UrlEncode('{"alg":"HS512","typ":"JWT"}')).toBe('eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9')
  })

  it('rejects invalid base64url', () => {
    expect(base64UrlDecode('ab+c')).toBeUndefined()
    expect(base64UrlDecode('abcde')).toBeUndefined()
  })

  it('HMACs with the secret as raw UTF-8 bytes (RFC 4231 case 2)', async () => {
    const sig = await hmacSign('HS256', 'Jefe', 'what do ya want for nothing?')
    expect(Buffer.from(sig).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  })

  it('returns typed errors for malformed tokens', () => {
    expect(decodeJwt('a.b')).toMatchObject({ ok: false, error: { kind: 'jwt-format' } })
    expect(decodeJwt('bm90anNvbg.e30.AA')).toMatchObject({ ok: false, error: { kind: 'jwt-header' } })
    expect(decodeJwt(`${base64UrlEncode('{"alg":"HS512"}')}.${base64UrlEncode('[1]')}.AA`)).toMatchObject({
      ok: false,
      error: { kind: 'jwt-payload' },
    })
    expect(decodeJwt(`${base64UrlEncode('{"alg":"HS512"}')}.${base64UrlEncode('{}')}.A*`)).toMatchObject({
      ok: false,
      error: { kind: 'jwt-format' },
    })
  })

  it('refuses alg none and unknown algs when verifying', async () => {
    const token = `${base64UrlEncode('{"alg":"none"}')}.${base64UrlEncode('{"access_key":"a"}')}.`
    const decoded = decodeJwt(token)
    expect(decoded.ok).toBe(true)
    if (decoded.ok) expect(await verifyJwtSignature(decoded.value, 'secret')).toBe(false)
  })
})
