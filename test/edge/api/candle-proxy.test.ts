// The candle proxy over real HTTP on 127.0.0.1 against the simulated venue running as its own
// server (rate limits on, Upbit's 10 candle requests/s): NDJSON chunks, gaps and done; the error
// line; a client that disconnects stops the requests to the venue; one limiter shared by all
// callers. The transport below counts what actually reaches the venue.
import { request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../edge/app.ts'
import type { CandleEvent } from '../../../edge/api/candles.ts'
import { createOriginPolicy } from '../../../edge/server/origin-policy.ts'
import { createVenues, type Venues } from '../../../edge/server/venues.ts'
import { startSimVenue, type StartedSimVenue } from '../../../edge/sim/index.ts'
import { createUpbitClient, downloadCandles, type FetchLike } from '../../../edge/upbit/index.ts'
import { captureLogger, makeStaticRoot, offlineFetch, TOKEN } from './fixtures.ts'

const START = Date.UTC(2025, 6, 1, 12, 0, 0)
const HOUR = 3_600_000
let sim: StartedSimVenue
let server: Server
let base: string
let venues: Venues
const sent: Array<{ t: number; status: number; market: string | null }> = []

beforeAll(async () => {
  sim = await startSimVenue({
    accessKey: 'ak',
    secretKey: 'sk',
    clock: 'manual',
    startMs: START,
    historyDays: 3,
    seed: 3,
    rateLimitNowMs: Date.now,
  })
  const counting: FetchLike = async (url, init) => {
    const t = Date.now()
    const res = await fetch(url, init)
    sent.push({ t, status: res.status, market: new URL(url).searchParams.get('market') })
    return res
  }
  venues = createVenues([
    { id: 'upbit', baseUrl: 'http://upbit.invalid', fetch: offlineFetch },
    { id: 'sim', baseUrl: sim.url, fetch: counting, nowMs: sim.clock.nowMs },
  ])
  let port = 0
  const app = createApp({
    staticRoot: makeStaticRoot(),
    policy: createOriginPolicy(() => port),
    token: TOKEN,
    venues,
    logger: captureLogger(),
  })
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server
  })
  port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
  await sim.close()
})

const auth = { authorization: `Bearer ${TOKEN}` }
const candleUrl = (market: string, from: number, to: number, timeframe = '1m') =>
  `${base}/api/candles?venue=sim&market=${market}&timeframe=${timeframe}&from=${from}&to=${to}`

async function events(url: string): Promise<CandleEvent[]> {
  const res = await fetch(url, { headers: auth })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
  const text = await res.text()
  expect(text.endsWith('\n')).toBe(true)
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as CandleEvent)
}

describe('candle proxy', () => {
  it('streams columnar chunks, their gaps and a done summary that add up', async () => {
    const from = START - 7 * HOUR
    const to = START - HOUR
    const evs = await events(candleUrl('KRW-XRP', from, to))
    const chunks = evs.filter((e) => e.kind === 'chunk')
    const gaps = evs.filter((e) => e.kind === 'gap')
    const done = evs.at(-1)!
    expect(done.kind).toBe('done')
    expect(chunks.length).toBe(2)
    expect(gaps.length).toBeGreaterThan(0)
    let prev = -Infinity
    let bars = 0
    for (const ch of chunks) {
      if (ch.kind !== 'chunk') continue
      for (const col of [ch.open, ch.high, ch.low, ch.close, ch.volume]) expect(col.length).toBe(ch.bars)
      expect(ch.time.length).toBe(ch.bars)
      for (const t of ch.time) {
        expect(t).toBeGreaterThan(prev)
        expect(t).toBeGreaterThanOrEqual(ch.fromMs)
        expect(t).toBeLessThan(ch.toMs)
        prev = t
      }
      bars += ch.bars
    }
    expect(chunks.at(-1)).toMatchObject({ progress: 1 })
    const missing = gaps.reduce((s, g) => s + (g.kind === 'gap' ? g.missingBars : 0), 0)
    expect(bars + missing).toBe(360)
    expect(done).toEqual({ kind: 'done', fromMs: from, toMs: to, chunks: 2, bars, gaps: gaps.length, missingBars: missing })
    // Each gap follows the chunk whose window holds it.
    for (let i = 0; i < evs.length; i++) {
      const g = evs[i]!
      if (g.kind !== 'gap') continue
      const owner = evs
        .slice(0, i)
        .reverse()
        .find((e) => e.kind === 'chunk')
      expect(owner && owner.kind === 'chunk' && g.fromMs >= owner.fromMs && g.toMs <= owner.toMs).toBe(true)
    }
    // Same candles as edge/upbit's download straight from the venue.
    const direct: number[] = []
    for await (const r of downloadCandles(createUpbitClient({ baseUrl: sim.url }), 'KRW-XRP', '1m', from, to, { nowMs: sim.clock.nowMs })) {
      if (r.ok) direct.push(...r.value.series.close)
    }
    expect(chunks.flatMap((c) => (c.kind === 'chunk' ? c.close : []))).toEqual(direct)
  })

  it('lists the venue markets', async () => {
    const res = await fetch(`${base}/api/markets?venue=sim`, { headers: auth })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { venue: string; markets: Array<{ market: string }> }
    expect(body.markets.map((m) => m.market)).toContain('KRW-BTC')
  })

  it('ends with an error line when the venue keeps failing', async () => {
    sim.faults.inject({ endpoint: 'GET /v1/candles/minutes/5', kind: 'malformed', count: 20 })
    try {
      const evs = await events(candleUrl('KRW-BTC', START - 2 * HOUR, START - HOUR, '5m'))
      expect(evs.at(-1)).toMatchObject({ kind: 'error', code: 'malformed' })
      expect(evs.some((e) => e.kind === 'done')).toBe(false)
    } finally {
      sim.faults.clear()
    }
  })

  it('a client that disconnects stops the download: no request reaches the venue afterwards', async () => {
    // Three days of 1m = 22 windows, over 2 s at 10 requests/s.
    const before = sent.length
    const url = new URL(candleUrl('KRW-BTC', START - 3 * 24 * HOUR + HOUR, START - HOUR))
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { headers: auth }, (res) => {
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', (e) => (e.message.includes('socket hang up') ? resolve() : reject(e)))
      req.end()
    })
    const atDisconnect = sent.length
    await new Promise((r) => setTimeout(r, 600))
    const settled = sent.length
    await new Promise((r) => setTimeout(r, 1500))
    expect(sent.length).toBe(settled)
    // At most the requests already in flight (3) finish after the disconnect.
    expect(settled - atDisconnect).toBeLessThanOrEqual(3)
    expect(settled - before).toBeLessThan(22)
  })

  it('all callers share one limiter per venue: two downloads at once stay under 10/s, no 429', async () => {
    const client = venues.get('sim')!.client
    const sentBefore = client.limiter.sentCount('candle')
    const from = sent.length
    const day = [START - 25 * HOUR, START - HOUR] as const
    const [a, b] = await Promise.all([events(candleUrl('KRW-ETH', ...day)), events(candleUrl('KRW-XRP', ...day))])
    expect(a.at(-1)?.kind).toBe('done')
    expect(b.at(-1)?.kind).toBe('done')
    const mine = sent.slice(from).filter((s) => s.market === 'KRW-ETH' || s.market === 'KRW-XRP')
    expect(mine.length).toBe(16)
    expect(mine.filter((s) => s.status === 429)).toEqual([])
    expect(client.limiter.sentCount('candle') - sentBefore).toBe(16)
    for (const s of mine) expect(mine.filter((o) => o.t >= s.t && o.t < s.t + 1000).length).toBeLessThanOrEqual(10)
  })
})
