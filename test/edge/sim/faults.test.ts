import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StartedSimVenue } from '../../../edge/sim/index.ts'
import { parseFaultArg } from '../../../edge/sim/index.ts'
import { errorName, signed, startTestVenue } from './helpers.ts'

let venue: StartedSimVenue
beforeEach(async () => {
  venue = await startTestVenue({ markets: ['KRW-BTC'] })
})
afterEach(() => venue.close())

const candles = (extra: RequestInit = {}) => fetch(`${venue.url}/v1/candles/minutes/1?market=KRW-BTC`, extra)

describe('sim venue rate limits', () => {
  it('allows 10 quotation calls per second, then 429, then 418 on repeated abuse', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await candles()).status)
    expect(statuses.every((s) => s === 200)).toBe(true)
    const over = await candles()
    expect(over.status).toBe(429)
    expect(await over.text()).toBe('Too many API requests.')
    for (let i = 0; i < 4; i++) expect((await candles()).status).toBe(429)
    const teapot = await candles()
    expect(teapot.status).toBe(418)
    expect(Number(teapot.headers.get('retry-after'))).toBeGreaterThan(0)
    // Blocked for 30 s of (manual) clock time, then allowed again.
    venue.clock.advance(31_000)
    expect((await candles()).status).toBe(200)
  })

  it('sends Remaining-Req with the group and what is left this second', async () => {
    const res = await candles()
    expect(res.headers.get('remaining-req')).toBe('group=candles; min=600; sec=9')
  })

  it('limits requests with an Origin header to 1 per 10 s', async () => {
    expect((await candles({ headers: { Origin: 'http://example.test' } })).status).toBe(200)
    expect((await candles({ headers: { Origin: 'http://example.test' } })).status).toBe(429)
    venue.clock.advance(10_001)
    expect((await candles({ headers: { Origin: 'http://example.test' } })).status).toBe(200)
  })

  it('limits the order group to 12 per second (since 2026-08-21) with a JSON error', async () => {
    const codes: number[] = []
    for (let i = 0; i < 13; i++)
      codes.push((await signed(venue, 'POST', '/v1/orders', { market: 'KRW-BTC', side: 'bid', ord_type: 'price', price: '1000' })).status)
    expect(codes.slice(0, 12).every((c) => c === 400)).toBe(true)
    expect(codes[12]).toBe(429)
  })
})

describe('sim venue fault injection', () => {
  it('injects 429, 418 and 500 for the given count on one endpoint only', async () => {
    venue.faults.inject({ endpoint: 'GET /v1/candles/minutes/1', kind: '500', count: 2 })
    expect((await candles()).status).toBe(500)
    expect((await fetch(`${venue.url}/v1/ticker?markets=KRW-BTC`)).status).toBe(200)
    expect((await candles()).status).toBe(500)
    expect((await candles()).status).toBe(200)
    venue.faults.inject({ endpoint: '*', kind: '429' })
    expect((await candles()).status).toBe(429)
    venue.faults.inject({ endpoint: 'GET /v1/accounts', kind: '418' })
    expect((await signed(venue, 'GET', '/v1/accounts')).status).toBe(418)
  })

  it('returns truncated JSON for malformed', async () => {
    venue.faults.inject({ endpoint: 'GET /v1/candles/minutes/1', kind: 'malformed' })
    const res = await candles()
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(() => JSON.parse(text)).toThrow()
  })

  it('creates the order but drops the connection for response-lost', async () => {
    venue.faults.inject({ endpoint: 'POST /v1/orders', kind: 'response-lost' })
    const attempt = signed(venue, 'POST', '/v1/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'price',
      price: '10000',
      identifier: 'lost-1',
    })
    await expect(attempt).rejects.toThrow()
    expect(venue.orders().map((o) => o.identifier)).toEqual(['lost-1'])
    // A retry with the same identifier is refused; the order is found by identifier.
    const retry = await signed(venue, 'POST', '/v1/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'price',
      price: '10000',
      identifier: 'lost-1',
    })
    expect(await errorName(retry)).toBe('duplicated_identifier')
    const found = await signed(venue, 'GET', '/v1/order', { identifier: 'lost-1' })
    expect(found.status).toBe(200)
    expect(venue.orders()).toHaveLength(1)
  })

  it('holds a request for timeout until the client gives up, and delays for delay', async () => {
    venue.faults.inject({ endpoint: 'GET /v1/ticker', kind: 'timeout' })
    await expect(fetch(`${venue.url}/v1/ticker?markets=KRW-BTC`, { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    venue.faults.inject({ endpoint: 'GET /v1/ticker', kind: 'delay', delayMs: 5_000 })
    await expect(fetch(`${venue.url}/v1/ticker?markets=KRW-BTC`, { signal: AbortSignal.timeout(200) })).rejects.toThrow()
    venue.faults.inject({ endpoint: 'GET /v1/ticker', kind: 'delay', delayMs: 1 })
    expect((await fetch(`${venue.url}/v1/ticker?markets=KRW-BTC`)).status).toBe(200)
    expect(venue.faults.list()).toHaveLength(0)
  })

  it('clears faults and parses the CLI form', async () => {
    venue.faults.inject({ endpoint: '*', kind: '500', count: 5 })
    venue.faults.clear()
    expect((await candles()).status).toBe(200)
    expect(parseFaultArg('POST /v1/orders:response-lost:2')).toEqual({ endpoint: 'POST /v1/orders', kind: 'response-lost', count: 2 })
    expect(parseFaultArg('*:500')).toEqual({ endpoint: '*', kind: '500' })
    expect(() => parseFaultArg('GET /x:explode')).toThrow(/bad --fault/)
  })
})
