// Strict JSON bodies on /api: content type (415), size (413), syntax (400 invalid_json), schema
// (400 naming the field, unknown fields refused). A probe route stands in for the later POST routes
// (promotions, runs), mounted on the real app so the real guards run first.
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { readJsonBody } from '../../../edge/server/json-body.ts'
import { HOST, makeApp, request, TOKEN } from './fixtures.ts'

const Probe = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1)),
  size: v.pipe(v.number(), v.integer(), v.minValue(1)),
  limits: v.optional(v.strictObject({ maxLoss: v.number() })),
})

const app = makeApp({ maxJsonBodyBytes: 1024 })
app.post('/api/probe', async (c) => c.json({ got: await readJsonBody(c, Probe) }))

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  request(app, '/api/probe', { method: 'POST', headers, body })

async function errorOf(res: Response): Promise<{ status: number; code: string; field?: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; field?: string; message: string } }
  return { status: res.status, ...body.error }
}

describe('JSON bodies', () => {
  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ name: 'a', size: 2 }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ got: { name: 'a', size: 2 } })
    expect((await post('{"name":"a","size":2}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200)
  })

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['none', {} as Record<string, string>],
    ['json lookalike', { 'content-type': 'application/jsonp' }],
  ])('415 for content type %s, even with a valid token', async (_n, headers) => {
    expect(await errorOf(await post('{"name":"a","size":2}', headers))).toMatchObject({ status: 415, code: 'unsupported_media_type' })
  })

  it('413 for a body over the limit', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(5000), size: 1 })
    expect(await errorOf(await post(huge))).toMatchObject({ status: 413, code: 'payload_too_large' })
  })

  it('413 for a huge body sent without Content-Length (chunked)', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 64; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)))
        c.close()
      },
    })
    const res = await app.request('/api/probe', {
      method: 'POST',
      headers: { host: HOST, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit)
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'payload_too_large' })
  })

  it.each([[''], ['{'], ['{"name":"a",}'], ["{'name':'a'}"], ['nul']])('400 invalid_json for %j', async (body) => {
    expect(await errorOf(await post(body))).toMatchObject({ status: 400, code: 'invalid_json' })
  })

  it.each([
    ['wrong type', { name: 'a', size: '2' }, 'size'],
    ['not an integer', { name: 'a', size: 1.5 }, 'size'],
    ['out of range', { name: 'a', size: 0 }, 'size'],
    ['missing field', { size: 1 }, 'name'],
    ['empty string', { name: '', size: 1 }, 'name'],
    ['nested wrong type', { name: 'a', size: 1, limits: { maxLoss: 'x' } }, 'limits.maxLoss'],
  ])('400 naming the field: %s', async (_n, body, field) => {
    const e = await errorOf(await post(JSON.stringify(body)))
    expect(e).toMatchObject({ status: 400, code: 'invalid_parameter', field })
    expect(e.message.startsWith(`${field}:`)).toBe(true)
  })

  it.each([
    ['top level', { name: 'a', size: 1, extra: true }, 'extra'],
    ['nested', { name: 'a', size: 1, limits: { maxLoss: 1, more: 2 } }, 'limits.more'],
    ['prototype key', JSON.parse('{"name":"a","size":1,"__proto__":{"x":1}}') as object, '__proto__'],
  ])('400 for unknown fields: %s', async (_n, body, field) => {
    expect(await errorOf(await post(JSON.stringify(body)))).toMatchObject({
      status: 400,
      code: 'invalid_parameter',
      field,
      message: `${field}: unknown field`,
    })
  })

  it.each([['[]'], ['null'], ['42'], ['"text"']])('400 for a body that is not an object: %s', async (body) => {
    expect(await errorOf(await post(body))).toMatchObject({ status: 400, code: 'invalid_parameter' })
  })

  it('unknown /api route with a JSON body: 404; wrong method: 405', async () => {
    const json = { 'content-type': 'application/json' }
    expect((await request(app, '/api/nowhere', { method: 'POST', headers: json, body: '{}' })).status).toBe(404)
    expect((await request(app, '/api/markets', { method: 'POST', headers: json, body: '{}' })).status).toBe(405)
    expect((await request(app, '/api/probe', { method: 'GET' })).status).toBe(405)
  })
})
