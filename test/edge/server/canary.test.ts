// The canary scan (reliability KEY-2, KEY-3): edge started the way main starts it, with canary API
// keys read from a .env file, a hostile `upbit` venue that echoes whatever it is sent, and every
// route called with good and bad input. No response (status line, headers, body, NDJSON line),
// no log line and no console output may contain a canary secret, plain, base64, base64url or hex.
import { randomBytes } from 'node:crypto'
import { get as httpGet } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { loadSettings } from '../../../edge/config/settings.ts'
import { startEdge, type RunningEdge } from '../../../edge/server/edge.ts'
import type { FetchLike } from '../../../edge/upbit/index.ts'
import { captureLogger, type CapturedLogger, TOKEN } from '../api/fixtures.ts'
import { testSettings } from './fixtures.ts'
import { openStream, PROMOTION_1M, until } from '../runner/fixtures.ts'

const ACCESS = `CANARY-ak-${randomBytes(8).toString('hex')}`
const SECRET = `CANARY-sk-${randomBytes(8).toString('hex')}`
const SIM_SECRET = `CANARY-simsk-${randomBytes(8).toString('hex')}`
const forms = (s: string): string[] => [
  s,
  Buffer.from(s).toString('base64'),
  Buffer.from(s).toString('base64url'),
  Buffer.from(s).toString('hex'),
]
const NEEDLES = [ACCESS, SECRET, SIM_SECRET].flatMap(forms)

// A venue that misbehaves in every way and echoes the request (URL and headers) back.
let upbitCalls = 0
const hostileUpbit: FetchLike = async (url, init) => {
  const echo = JSON.stringify({ url, headers: init.headers })
  const kind = upbitCalls++ % 4
  if (kind === 0) return new Response(`{"error":{"name":"x","message":${JSON.stringify(echo)}}}`, { status: 500 })
  if (kind === 1) return new Response(`<html>${echo}</html>`, { status: 502 })
  if (kind === 2) return new Response(`not json ${echo}`, { status: 200 })
  return new Response(JSON.stringify({ error: { name: 'invalid_access_key', message: echo } }), { status: 401 })
}

let edge: RunningEdge
let logger: CapturedLogger
const seen: string[] = []
const consoleLines: string[] = []

beforeAll(async () => {
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '))
    })
  }
  const base = testSettings()
  const envFile = join(base.dataDir, '.env')
  writeFileSync(envFile, `UPBIT_ACCESS_KEY=${ACCESS}\nUPBIT_SECRET_KEY=${SECRET}\n`, { mode: 0o600 })
  const fromFile = loadSettings({
    argv: [],
    env: { EDGE_ENV_FILE: envFile, PORT: '0', SIM_SECRET_KEY: SIM_SECRET },
    cwd: base.dataDir,
    randomHex: (n) => randomBytes(n).toString('hex'),
  })
  expect(fromFile.upbit.keys).toEqual({ accessKey: ACCESS, secretKey: SECRET })
  logger = captureLogger()
  edge = await startEdge({
    settings: { ...base, upbit: fromFile.upbit, sim: { ...fromFile.sim, historyDays: 1 } },
    token: TOKEN,
    logger,
    upbitFetch: hostileUpbit,
    // Accelerated so that the live run on the sim trades within the test.
    simClock: { speed: 600 },
    staleBars: 30,
  })
})
afterAll(async () => {
  await edge.close()
  vi.restoreAllMocks()
})

async function call(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${edge.port}${path}`, init)
  seen.push(`${res.status} ${res.statusText}`, ...[...res.headers].map(([k, v]) => `${k}: ${v}`), await res.text())
  return res.status
}

const auth = { authorization: `Bearer ${TOKEN}` }
const json = { ...auth, 'content-type': 'application/json' }

describe('canary scan', () => {
  it('every registered /api route refuses a missing token (deny by default), except health', async () => {
    const routes = edge.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*'))
    expect(routes.length).toBeGreaterThanOrEqual(4)
    for (const r of routes) {
      const status = await call(r.path, { method: r.method })
      expect(status, `${r.method} ${r.path}`).toBe(r.path === '/api/health' ? 200 : 401)
    }
  })

  it('exercises every route, good and bad, on both venues', async () => {
    const now = Date.now()
    const simFrom = now - 3 * 3_600_000
    const paths = [
      '/api/health',
      '/api/venues',
      '/api/markets?venue=sim',
      '/api/markets?venue=upbit',
      '/api/markets?venue=nope',
      `/api/candles?venue=sim&market=KRW-BTC&timeframe=1m&from=${simFrom}&to=${now}`,
      `/api/candles?venue=upbit&market=KRW-BTC&timeframe=1m&from=${simFrom}&to=${now}`,
      `/api/candles?venue=sim&market=KRW-BTC&timeframe=1m&from=${now}&to=${simFrom}`,
      '/api/candles?venue=sim&market=bad&timeframe=7m&from=x&to=y',
      '/api/nope',
      '/',
      '/index.html',
      '/..%2f.env',
      '/assets/%2F..%2F..%2F.env',
      '/sim/v1/market/all',
      '/sim/v1/accounts',
      '/sim/v1/candles/minutes/1?market=KRW-BTC&count=3',
    ]
    for (const p of paths) {
      await call(p, { headers: auth })
      await call(p)
    }
    await call('/api/candles', { method: 'POST', headers: json, body: '{}' })
    await call('/api/venues', { method: 'DELETE', headers: json })
    await call('/api/venues', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'x' })
    await call('/api/venues', { method: 'POST', headers: json, body: 'x'.repeat(200_000) })
    await call('/api/venues', { headers: { ...auth, origin: 'http://evil.example' } })
    await call('/sim/v1/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"market":"KRW-BTC"}' })
    await call('/sim/v1/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x.y.z' },
      body: '{"market":"KRW-BTC"}',
    })
    // A client that walks away mid-download.
    await new Promise<void>((resolve) => {
      const req = httpGet(
        `http://127.0.0.1:${edge.port}/api/candles?venue=sim&market=KRW-ETH&timeframe=1m&from=${now - 20 * 3_600_000}&to=${now}`,
        { headers: auth },
        (res) => {
          res.once('data', () => {
            req.destroy()
            resolve()
          })
        },
      )
      req.on('error', () => resolve())
    })
    // WebSocket handshakes, accepted and refused.
    for (const headers of [{}, { Origin: 'http://evil.example' }, { Host: 'evil.example' }]) {
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${edge.port}/sim/websocket/v1/private`, { headers })
        ws.on('message', (m) => seen.push(String(m)))
        ws.on('open', () => setTimeout(() => (ws.close(), resolve()), 100))
        ws.on('unexpected-response', (_q, res) => {
          res.on('data', (d: Buffer) => seen.push(d.toString()))
          res.on('end', () => resolve())
        })
        ws.on('error', () => resolve())
      })
    }
    // The hostile venue was really called with the keys loaded (so the scan means something).
    expect(upbitCalls).toBeGreaterThan(0)
    await new Promise((r) => setTimeout(r, 300))
  })

  it('runs a promotion paper and live (sim with faults, and the hostile venue), with the stream open', async () => {
    const stream = await openStream(edge.port, { type: 'auth', token: TOKEN, lastSeq: 0 })
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`http://127.0.0.1:${edge.port}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) })
      const text = await res.text()
      seen.push(`${res.status}`, ...[...res.headers].map(([k, v]) => `${k}: ${v}`), text)
      return JSON.parse(text) as Record<string, unknown>
    }
    const promo = await post('/api/promotions', PROMOTION_1M)
    await post('/api/promotions', { ...PROMOTION_1M, risk: { maxPositionQuote: -1 } })
    const paper = await post('/api/runs', { promotionId: promo.id, venue: 'sim', mode: 'paper' })
    const live = await post('/api/runs', { promotionId: promo.id, venue: 'sim', mode: 'live', confirm: 'KRW-BTC' })
    expect(live.status).toBe('running')
    // The hostile venue answers every order and lookup with garbage or errors that echo the request.
    const hostile = await post('/api/runs', { promotionId: promo.id, venue: 'upbit', mode: 'live', confirm: 'KRW-BTC' })
    await until(() => edge.journal.fills.fillsOfRun(String(live.id)).length >= 2, 30_000, 'live fills on the sim')
    edge.sim.faults.inject({ endpoint: 'POST /v1/orders', kind: 'response-lost', count: 1 })
    edge.sim.faults.inject({ endpoint: 'GET /v1/order', kind: '500', count: 2 })
    edge.sim.faults.inject({ endpoint: 'ws', kind: 'drop-ws', count: 1 })
    await until(() => edge.journal.fills.fillsOfRun(String(live.id)).length >= 4, 30_000, 'live fills through the faults')
    for (const id of [paper.id, live.id, hostile.id])
      seen.push(JSON.stringify(await (await fetch(`http://127.0.0.1:${edge.port}/api/runs/${String(id)}`, { headers: auth })).json()))
    await post('/api/kill', {})
    await new Promise((r) => setTimeout(r, 300))
    seen.push(...stream.frames.map((f) => JSON.stringify(f)))
    stream.ws.close()
    // Every row of every journal table.
    const db = edge.journal.db
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) seen.push(JSON.stringify(row))
    }
    expect(stream.frames.some((f) => f.kind === 'fill')).toBe(true)
  }, 90_000)

  it('finds the canary nowhere: responses, stream frames, journal rows, logs, console', () => {
    const everything = [...seen, ...logger.lines, ...consoleLines].join('\n')
    expect(seen.length).toBeGreaterThan(100)
    for (const needle of NEEDLES) expect(everything.includes(needle), `leaked ${needle.slice(0, 12)}…`).toBe(false)
    // The token is never logged either (it is printed once by main, by design, not by the server).
    expect([...logger.lines, ...consoleLines].join('\n')).not.toContain(TOKEN)
  })
})
