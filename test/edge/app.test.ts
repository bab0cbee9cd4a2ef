// The edge app through app.request(): guards (Host, Origin, token), the error shape, unknown
// routes and wrong methods, security headers, and static serving (compression, caching, no
// traversal).
import { describe, expect, it } from 'vitest'
import { ASSET, captureLogger, makeApp, ORIGIN, request, TOKEN } from './api/fixtures.ts'

const app = makeApp()

async function expectError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await res.json()) as { error: Record<string, unknown> }
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/) // no stack trace
  return body.error
}

describe('health', () => {
  it('is public and data-free', async () => {
    const res = await request(app, '/api/health', { token: null })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, version: expect.any(String) })
  })
})

describe('Host allow-list (DNS rebinding)', () => {
  it.each([['evil.example:8787'], ['127.0.0.1.nip.io:8787'], ['127.0.0.1:9999'], ['localhost'], ['127.0.0.1']])(
    'refuses Host %s on the API, the lab and the sim',
    async (host) => {
      for (const path of ['/api/health', '/', ASSET, '/sim/v1/market/all'])
        await expectError(await request(app, path, { host }), 403, 'bad_host')
    },
  )
  it('refuses a request without Host', async () => {
    await expectError(await request(app, '/api/health', { host: null }), 403, 'bad_host')
  })
  it.each([['127.0.0.1:8787'], ['localhost:8787'], ['[::1]:8787'], ['LOCALHOST:8787']])('accepts %s', async (host) => {
    expect((await request(app, '/api/health', { host })).status).toBe(200)
  })
})

describe('Origin (CSRF)', () => {
  const json = { 'content-type': 'application/json' }
  it.each([['http://evil.example'], ['null'], ['http://127.0.0.1:5173'], ['https://127.0.0.1:8787'], ['http://127.0.0.1:8787/x']])(
    'refuses Origin %s on unsafe and /api requests',
    async (origin) => {
      await expectError(await request(app, '/api/venues', { headers: { origin } }), 403, 'bad_origin')
      await expectError(
        await request(app, '/api/anything', { method: 'POST', headers: { origin, ...json }, body: '{}' }),
        403,
        'bad_origin',
      )
      await expectError(
        await request(app, '/sim/v1/orders', { method: 'POST', headers: { origin, ...json }, body: '{}' }),
        403,
        'bad_origin',
      )
      await expectError(await request(app, '/', { method: 'DELETE', headers: { origin } }), 403, 'bad_origin')
    },
  )
  it('refuses Sec-Fetch-Site: cross-site even without Origin', async () => {
    await expectError(await request(app, '/api/venues', { headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'bad_origin')
  })
  it("accepts edge's own Origin and no Origin (non-browser client with the token)", async () => {
    expect((await request(app, '/api/venues', { headers: { origin: ORIGIN } })).status).toBe(200)
    expect((await request(app, '/api/venues')).status).toBe(200)
  })
  it('lets a foreign page load the static lab (no Origin check on safe static requests)', async () => {
    expect((await request(app, '/', { headers: { origin: 'http://evil.example' } })).status).toBe(200)
  })
})

describe('token', () => {
  it.each([
    ['missing', null, '/api/venues'],
    ['wrong', 'f'.repeat(64), '/api/venues'],
    ['truncated', TOKEN.slice(0, 63), '/api/venues'],
    ['missing, unknown route', null, '/api/nope'],
    ['missing, wrong method', null, '/api/kill'],
  ])('%s → 401', async (_name, token, path) => {
    await expectError(await request(app, path, { token }), 401, 'unauthorized')
  })
  it('is never taken from the query string', async () => {
    await expectError(await request(app, `/api/venues?token=${TOKEN}`, { token: null }), 401, 'unauthorized')
  })
  it('needs the Bearer scheme', async () => {
    await expectError(await request(app, '/api/venues', { token: null, headers: { authorization: TOKEN } }), 401, 'unauthorized')
    await expectError(await request(app, '/api/venues', { token: null, headers: { 'x-edge-token': TOKEN } }), 401, 'unauthorized')
  })
  it.each([['/API/venues'], ['//api/venues'], ['/api%2Fvenues'], ['/api/venues/']])(
    'odd spellings of an API path without a token get no data: %s',
    async (path) => {
      const res = await request(app, path, { token: null })
      expect([401, 404]).toContain(res.status)
    },
  )
})

describe('routes and errors', () => {
  it('404 in the error shape for unknown API routes', async () => {
    const e = await expectError(await request(app, '/api/nope'), 404, 'not_found')
    expect(e.message).toContain('/api/nope')
  })
  it('405 with Allow for a wrong method', async () => {
    const res = await request(app, '/api/candles', { method: 'DELETE', headers: { 'content-type': 'application/json' } })
    await expectError(res, 405, 'method_not_allowed')
    expect(res.headers.get('allow')).toContain('GET')
    await expectError(
      await request(app, '/api/health', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }),
      405,
      'method_not_allowed',
    )
  })
  it('lists the venues and whether edge holds keys for them, never the keys', async () => {
    const res = await request(app, '/api/venues')
    expect(await res.json()).toEqual({
      venues: [
        { id: 'upbit', keys: false },
        { id: 'sim', keys: false },
      ],
    })
  })
  it('a bug becomes a generic 500 without its message; the log gets method and path only', async () => {
    const logger = captureLogger()
    const boom = makeApp({ logger })
    boom.get('/api/boom', () => {
      throw new Error('secret detail')
    })
    // Routes added after the catch-all static handler still run for /api paths.
    const e = await expectError(await request(boom, '/api/boom?q=1'), 500, 'internal')
    expect(JSON.stringify(e)).not.toContain('secret detail')
    expect(logger.lines.join('\n')).toContain('GET /api/boom')
    expect(logger.lines.join('\n')).not.toContain('q=1')
  })
})

describe('headers', () => {
  it('serves the lab cross-origin isolated, not frameable, with a CSP and no CORS', async () => {
    const res = await request(app, '/', { token: null })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>lab</title>')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
  it('only worker scripts may evaluate code (user strategies in SES compartments); the page never', async () => {
    const page = (await request(app, '/', { token: null })).headers.get('content-security-policy') ?? ''
    expect(page).not.toContain("'unsafe-eval'")
    const worker = (await request(app, '/assets/strategy.worker-Cj4wTuCr.js', { token: null })).headers.get('content-security-policy') ?? ''
    expect(worker).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'")
    expect(worker).toContain("frame-ancestors 'none'")
    for (const path of ['/assets/index-abc.js', '/assets/x.worker-a.js.map', '/api/venues', '/worker-abc.js']) {
      expect((await request(app, path, { token: null })).headers.get('content-security-policy') ?? '').not.toContain("'unsafe-eval'")
    }
  })
  it('no CORS preflight answer, not even for Private Network Access', async () => {
    const res = await request(app, '/api/venues', {
      method: 'OPTIONS',
      token: null,
      headers: { 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' },
    })
    for (const [k] of res.headers) expect(k).not.toMatch(/^access-control-/)
  })
  it('errors and API answers carry the headers too, and API answers are not cached', async () => {
    const res = await request(app, '/api/venues', { token: null })
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

describe('static files', () => {
  it('hashed assets: compressed and immutable for a year', async () => {
    const res = await request(app, ASSET, { token: null, headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })
  it('index.html: revalidated every time', async () => {
    expect((await request(app, '/', { token: null })).headers.get('cache-control')).toBe('no-cache')
    expect((await request(app, '/index.html', { token: null })).headers.get('cache-control')).toBe('no-cache')
  })
  it.each([
    ['/..%2f.env'],
    ['/%2e%2e/%2e%2e/etc/passwd'],
    ['/..%5c..%5c.env'],
    ['//.env'],
    ['/assets/%2F..%2F..%2Fdata/edge-token'],
    ['/assets/../../etc/passwd'],
  ])('no traversal out of the build directory: %s', async (path) => {
    const res = await request(app, path, { token: null })
    expect([400, 403, 404]).toContain(res.status)
    expect(await res.text()).not.toContain('root:')
  })
})
