// Parameters of the market-data routes: every bad input is a 400 naming the parameter, before
// any venue is contacted (the venues here have no transport at all).
import { describe, expect, it } from 'vitest'
import { makeApp, offlineVenues, request } from './fixtures.ts'
import { MAX_BARS_PER_REQUEST } from '../../../edge/api/candles.ts'

let venueCalls = 0
const app = makeApp({
  venues: offlineVenues(() => {
    venueCalls++
    return Promise.reject(new Error('offline'))
  }),
})

const GOOD = { venue: 'sim', market: 'KRW-BTC', timeframe: '1m', from: '1719792000000', to: '1719795600000' }
const url = (over: Record<string, string | undefined>, extra = ''): string => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...GOOD, ...over })) if (v !== undefined) q.set(k, v)
  return `/api/candles?${q.toString()}${extra}`
}

async function field400(path: string): Promise<string | undefined> {
  const res = await request(app, path)
  expect(res.status).toBe(400)
  const body = (await res.json()) as { error: { code: string; field?: string; message: string } }
  expect(body.error.code).toBe('invalid_parameter')
  if (body.error.field) expect(body.error.message.startsWith(`${body.error.field}:`)).toBe(true)
  return body.error.field
}

describe('GET /api/candles parameters', () => {
  it.each([
    ['venue missing', { venue: undefined }, 'venue'],
    ['venue unknown', { venue: 'binance' }, 'venue'],
    ['market missing', { market: undefined }, 'market'],
    ['market lower case', { market: 'krw-btc' }, 'market'],
    ['market without dash', { market: 'KRWBTC' }, 'market'],
    ['market injection', { market: 'KRW-BTC&x=1' }, 'market'],
    ['timeframe unknown', { timeframe: '2m' }, 'timeframe'],
    ['timeframe missing', { timeframe: undefined }, 'timeframe'],
    ['from not a number', { from: 'yesterday' }, 'from'],
    ['from negative', { from: '-1' }, 'from'],
    ['from fractional', { from: '1.5' }, 'from'],
    ['from huge', { from: '9'.repeat(20) }, 'from'],
    ['to missing', { to: undefined }, 'to'],
    ['to before from', { to: '1719791000000' }, 'to'],
    ['to equal to from', { to: GOOD.from }, 'to'],
    ['range too long', { from: '0', to: String(MAX_BARS_PER_REQUEST * 60_000 + 60_001) }, 'to'],
  ])('%s', async (_n, over, field) => {
    expect(await field400(url(over))).toBe(field)
  })

  it('unknown and repeated parameters', async () => {
    expect(await field400(url({}, '&limit=5'))).toBe('limit')
    expect(await field400(url({}, '&market=KRW-ETH'))).toBe('market')
  })

  it('GET /api/markets: venue checked the same way', async () => {
    expect(await field400('/api/markets')).toBe('venue')
    expect(await field400('/api/markets?venue=kraken')).toBe('venue')
    expect(await field400('/api/markets?venue=sim&x=1')).toBe('x')
  })

  it('no venue was contacted for any of them', () => {
    expect(venueCalls).toBe(0)
  })

  it('a venue failure on /api/markets is a 502 in the error shape', async () => {
    const res = await request(app, '/api/markets?venue=sim')
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('venue_error')
  })
})
