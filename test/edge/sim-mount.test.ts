// The simulated venue mounted inside edge (under /sim): the project's Upbit client works against
// it with only the base URL changed, over real HTTP and WebSocket on 127.0.0.1.
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, SIM_BASE_PATH } from '../../edge/app.ts'
import { createOriginPolicy } from '../../edge/server/origin-policy.ts'
import { createSimVenue } from '../../edge/sim/index.ts'
import type { SimVenue } from '../../edge/sim/index.ts'
import { connectUpbitWs, createUpbitClient } from '../../edge/upbit/index.ts'

const AK = 'edge-sim-ak'
const SK = 'edge-sim-sk'
const START_MS = Date.UTC(2025, 6, 1, 12, 0, 30)
let server: Server
let sim: SimVenue
let base: string

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'edge-static-'))
  writeFileSync(join(root, 'index.html'), '<!doctype html>')
  sim = createSimVenue({ accessKey: AK, secretKey: SK, clock: 'manual', startMs: START_MS, historyDays: 1, seed: 3 })
  let port = 0
  const app = createApp({
    staticRoot: root,
    policy: createOriginPolicy(() => port),
    token: 'f'.repeat(64),
    venues: new Map(),
    simApp: sim.app,
  })
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server
  })
  port = (server.address() as AddressInfo).port
  sim.attachWebSocket(server, SIM_BASE_PATH)
  base = `http://127.0.0.1:${port}${SIM_BASE_PATH}`
})
afterAll(async () => {
  sim.dispose()
  await new Promise((r) => server.close(r))
})

describe('sim venue inside edge', () => {
  it('serves quotation and signed exchange calls to the project client', async () => {
    const client = createUpbitClient({ baseUrl: base, accessKey: AK, secretKey: SK })
    const markets = await client.getMarkets()
    expect(markets.ok && markets.value.map((m) => m.market)).toContain('KRW-BTC')
    const candles = await client.getCandles({ market: 'KRW-BTC', unit: '1m', count: 50 })
    expect(candles.ok && candles.value.length).toBe(50)
    const accounts = await client.getAccounts()
    expect(accounts.ok && accounts.value.find((a) => a.currency === 'KRW')?.balance).toBeGreaterThan(0)
  })

  it('serves the public WebSocket under the same prefix', async () => {
    const got: Record<string, unknown>[] = []
    const ws = connectUpbitWs({
      url: `${base.replace('http', 'ws')}/websocket/v1`,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      onMessage: (m) => got.push(m),
    })
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    await ws.close()
    expect(got[0]).toMatchObject({ type: 'ticker', code: 'KRW-BTC' })
  })
})
