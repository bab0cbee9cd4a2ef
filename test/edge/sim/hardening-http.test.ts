// Issue 13, items 1 and 7, over real HTTP on 127.0.0.1: bodies are bounded and never parsed before
// the token is checked, internal errors never leak their message, and errors of the HTTP layer
// (huge headers, malformed requests) carry Upbit's error shape; an aborted request is logged as one.
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'
import { AK, SK, accountState, errorName, isUpbitError, rawHttp, startTestVenue } from './helpers.ts'

const NESTED = `{"market":${'['.repeat(5000)}${']'.repeat(5000)}}`
const POST_ROUTES = ['/v1/orders', '/v1/orders/test', '/v1/orders/cancel_and_new']

let venue: StartedSimVenue
const warnings: string[] = []
const errors: Array<{ message: string; detail: unknown }> = []
beforeEach(async () => {
  warnings.length = 0
  errors.length = 0
  venue = await startTestVenue({
    markets: ['KRW-BTC'],
    enforceRateLimits: false,
    logger: { warn: (m) => warnings.push(m), error: (message, detail) => errors.push({ message, detail }) },
  })
})
afterEach(() => venue.close())

/** A token whose query_hash covers `body` exactly as sent (the venue hashes its k=v form). */
async function bearerFor(canonical: string): Promise<string> {
  return `Bearer ${await signUpbitJwt({ accessKey: AK, secretKey: SK, nonce: randomUUID(), query: canonical, alg: 'HS512' })}`
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${venue.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body })

describe('request bodies (item 1)', () => {
  it('answers a deeply nested body without a token with 401 no_authorization_token, on every POST route', async () => {
    for (const path of POST_ROUTES) {
      const res = await post(path, NESTED)
      expect(res.status, path).toBe(401)
      const body = (await res.json()) as unknown
      expect(isUpbitError(body)).toBe(true)
      expect(body).toMatchObject({ error: { name: 'no_authorization_token' } })
    }
    expect(errors).toEqual([])
  })

  it('refuses a too deep or too large body with 400 even with a valid token, and changes nothing', async () => {
    const before = await accountState(venue)
    for (const path of POST_ROUTES) {
      const deep = await post(path, NESTED, { Authorization: await bearerFor('market=x') })
      expect(deep.status, path).toBe(400)
      expect(await errorName(deep)).toBe('invalid_parameter')
      const big = JSON.stringify({ market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000', memo: 'x'.repeat(10_000) })
      const large = await post(path, big, { Authorization: await bearerFor('market=KRW-BTC') })
      expect(large.status, path).toBe(400)
      const body = (await large.json()) as { error: { name: string; message: string } }
      expect(body.error).toMatchObject({ name: 'invalid_parameter' })
      expect(body.error.message).toMatch(/8192/)
    }
    // A nesting the venue accepts (flat params) still works after that.
    const ok = await post('/v1/orders/test', JSON.stringify({ market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '10000' }), {
      Authorization: await bearerFor('market=KRW-BTC&side=bid&ord_type=price&price=10000'),
    })
    expect(ok.status).toBe(201)
    expect(await accountState(venue)).toBe(before)
    expect(errors).toEqual([])
  })

  it('answers an internal error with a generic 500 that never carries its message, and logs the detail', async () => {
    // A route that fails like a bug would (added before the first request builds the router).
    const v2 = await startTestVenue({
      logger: { warn: (m) => warnings.push(m), error: (message, detail) => errors.push({ message, detail }) },
    })
    v2.app.get('/v1/bug', () => {
      throw new RangeError('secret internal detail')
    })
    try {
      const res = await fetch(`${v2.url}/v1/bug`)
      expect(res.status).toBe(500)
      const text = await res.text()
      expect(text).not.toMatch(/secret|RangeError/)
      expect(isUpbitError(JSON.parse(text))).toBe(true)
      expect(errors).toHaveLength(1)
      expect(String(errors[0]!.detail)).toMatch(/secret internal detail/)
    } finally {
      await v2.close()
    }
  })
})

describe('errors of the HTTP layer (item 7)', () => {
  it('answers headers over 16 KB with 431 and an Upbit error body', async () => {
    const res = await rawHttp(venue.port, `GET /v1/market/all HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(res.status).toBe(431)
    expect(res.head).toMatch(/content-type: application\/json/i)
    expect(JSON.parse(res.body)).toEqual({ error: { name: 431, message: expect.stringMatching(/header/i) } })
  })

  it('answers malformed HTTP with 400 and an Upbit error body', async () => {
    for (const junk of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /v1/market/all HTTP/1.1\r\nHost x\r\n\r\n']) {
      const res = await rawHttp(venue.port, junk)
      expect(res.status, junk).toBe(400)
      const body = JSON.parse(res.body) as unknown
      expect(isUpbitError(body)).toBe(true)
      expect(body).toMatchObject({ error: { name: 400 } })
    }
    // The venue still answers.
    expect((await fetch(`${venue.url}/v1/market/all`)).status).toBe(200)
  })

  it('logs a client that aborts mid-body as an aborted request, not as a bug', async () => {
    const token = await bearerFor('market=KRW-BTC')
    await new Promise<void>((resolve) => {
      const s = connect(venue.port, '127.0.0.1', () => {
        s.write(
          `POST /v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"market":`,
        )
        setTimeout(() => s.destroy(), 50)
      })
      s.on('close', () => resolve())
    })
    for (let i = 0; i < 50 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(warnings.some((w) => /aborted POST \/v1\/orders/.test(w))).toBe(true)
    expect(errors).toEqual([])
    expect(venue.orders()).toEqual([])
  })
})
