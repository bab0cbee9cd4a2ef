import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimVenue } from '../../../edge/sim/index.ts'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'
import { buildEncodedQueryString, buildQueryString } from '../../../shared/upbit/query.ts'
import { AK, SK, errorName, signed, startTestVenue } from './helpers.ts'

let venue: StartedSimVenue
beforeAll(async () => {
  venue = await startTestVenue()
})
afterAll(() => venue.close())

describe('sim venue JWT verification', () => {
  it('accepts HS512 and HS256 tokens', async () => {
    const a = await signed(venue, 'GET', '/v1/accounts', {}, { alg: 'HS512', noHash: true })
    expect(a.status).toBe(200)
    expect(a.headers.get('remaining-req')).toMatch(/^group=default; min=1800; sec=\d+$/)
    const b = await signed(venue, 'GET', '/v1/orders/chance', { market: 'KRW-BTC' }, { alg: 'HS256' })
    expect(b.status).toBe(200)
  })

  it('rejects a missing token, a bad signature and an unknown key', async () => {
    const none = await fetch(`${venue.url}/v1/accounts`)
    expect(none.status).toBe(401)
    expect(await errorName(none)).toBe('no_authorization_token')
    const bad = await signed(venue, 'GET', '/v1/accounts', {}, { secret: 'wrong', noHash: true })
    expect(bad.status).toBe(401)
    expect(await errorName(bad)).toBe('jwt_verification')
    const unknown = await signed(venue, 'GET', '/v1/accounts', {}, { accessKey: 'NOPE', noHash: true })
    expect(unknown.status).toBe(401)
    expect(await errorName(unknown)).toBe('invalid_access_key')
  })

  it('rejects a reused nonce', async () => {
    const first = await signed(venue, 'GET', '/v1/accounts', {}, { nonce: 'n-1', noHash: true })
    expect(first.status).toBe(200)
    const again = await signed(venue, 'GET', '/v1/accounts', {}, { nonce: 'n-1', noHash: true })
    expect(again.status).toBe(401)
    expect(await errorName(again)).toBe('nonce_used')
  })

  it('rejects a missing or wrong query_hash', async () => {
    const missing = await signed(venue, 'GET', '/v1/orders/chance', { market: 'KRW-BTC' }, { noHash: true })
    expect(missing.status).toBe(401)
    expect(await errorName(missing)).toBe('invalid_query_payload')
    const indexed = await signed(
      venue,
      'GET',
      '/v1/orders/open',
      { market: 'KRW-BTC', 'states[]': ['wait', 'watch'] },
      {
        hashOf: 'market=KRW-BTC&states[0]=wait&states[1]=watch',
      },
    )
    expect(indexed.status).toBe(401)
    expect(await errorName(indexed)).toBe('invalid_query_payload')
  })

  it('hashes the unencoded query (ISO time with : and +) and array keys as key[]=v', async () => {
    const closed = await signed(venue, 'GET', '/v1/orders/closed', {
      market: 'KRW-BTC',
      start_time: '2025-07-01T00:00:00+09:00',
      limit: 10,
    })
    expect(closed.status).toBe(200)
    const open = await signed(venue, 'GET', '/v1/orders/open', { market: 'KRW-BTC', 'states[]': ['wait', 'watch'], limit: 10 })
    expect(open.status).toBe(200)
    expect(await open.json()).toEqual([])
  })

  it('verifies the reference vectors (HS512 and ccxt HS256) for the vector keys', async () => {
    const vec = JSON.parse(readFileSync('/work/shared/reference/upbit-jwt-vectors.json', 'utf8')) as {
      access_key: string
      secret_key: string
      vectors: Array<{ name: string; ccxt: { url: string; token: string }; official_rule: { token_hs512: string } }>
    }
    const v2 = await startSimVenue({
      accessKey: vec.access_key,
      secretKey: vec.secret_key,
      clock: 'manual',
      historyDays: 1,
      startMs: Date.UTC(2025, 0, 1),
    })
    try {
      const acc = vec.vectors.find((v) => v.name === 'get_accounts_no_query')!
      const r1 = await fetch(`${v2.url}/v1/accounts`, { headers: { Authorization: `Bearer ${acc.official_rule.token_hs512}` } })
      expect(r1.status).toBe(200)
      // Every vector shares one nonce, so the next valid token is refused as a reused nonce.
      const byUuid = vec.vectors.find((v) => v.name === 'get_order_by_uuid')!
      const path = byUuid.ccxt.url.replace('https://api.upbit.com', '')
      const r2 = await fetch(`${v2.url}${path}`, { headers: { Authorization: `Bearer ${byUuid.ccxt.token}` } })
      expect(r2.status).toBe(401)
      expect(await errorName(r2)).toBe('nonce_used')
    } finally {
      await v2.close()
    }
  })
  it('accepts requests signed by the shared signer (shared/upbit/jwt.ts)', async () => {
    const params = { market: 'KRW-BTC', 'states[]': ['wait', 'watch'], start_time: '2025-07-01T00:00:00+09:00' }
    for (const alg of ['HS256', 'HS512'] as const) {
      const token = await signUpbitJwt({ accessKey: AK, secretKey: SK, query: buildQueryString(params), nonce: `shared-${alg}`, alg })
      const res = await fetch(
        `${venue.url}/v1/orders/open?${buildEncodedQueryString({ market: 'KRW-BTC', 'states[]': ['wait', 'watch'] })}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      )
      // The hash covers start_time, the URL does not: refused; then the matching request passes.
      expect(res.status).toBe(401)
      const ok = await signUpbitJwt({
        accessKey: AK,
        secretKey: SK,
        query: buildQueryString({ market: 'KRW-BTC', 'states[]': ['wait', 'watch'] }),
        nonce: `shared-ok-${alg}`,
        alg,
      })
      const res2 = await fetch(
        `${venue.url}/v1/orders/open?${buildEncodedQueryString({ market: 'KRW-BTC', 'states[]': ['wait', 'watch'] })}`,
        {
          headers: { Authorization: `Bearer ${ok}` },
        },
      )
      expect(res2.status).toBe(200)
    }
  })
})
