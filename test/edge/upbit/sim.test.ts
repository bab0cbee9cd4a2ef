// Integration with the simulated Upbit venue (edge/sim) over real HTTP and WebSocket on 127.0.0.1:
// candle paging without holes or duplicates, no 429 in normal use, 429/418 handling with the block
// persisted, at most one order per identifier under EVERY fault kind, and WS reconnect after drop-ws.
import { describe, it, expect, afterEach } from 'vitest'
import { startSimVenue, FAULT_KINDS, type StartedSimVenue, type FaultKind } from '../../../edge/sim/index.ts'
import { createUpbitClient, type UpbitClientOptions } from '../../../edge/upbit/client.ts'
import { createMemoryBlockStore } from '../../../edge/upbit/block-store.ts'
import { downloadCandles, type CandleChunk } from '../../../edge/upbit/download.ts'
import { connectUpbitWs, type UpbitWsClient } from '../../../edge/upbit/ws.ts'
import { roundKrwPrice } from '../../../shared/upbit/ticks.ts'
import { parseWsMessage } from '../../../shared/upbit/parse-ws.ts'

const AK = 'SIM_AK'
const SK = 'SIM_SK_secret'
const START_MS = Date.UTC(2025, 6, 1, 12, 0, 30)
const MIN = 60_000

let venue: StartedSimVenue | undefined
let ws: UpbitWsClient | undefined
afterEach(async () => {
  await ws?.close()
  await venue?.close()
  venue = ws = undefined
})

async function start(historyDays = 1): Promise<StartedSimVenue> {
  // Manual venue clock (deterministic data); rate limits on the wall clock so windows expire.
  venue = await startSimVenue({
    port: 0,
    accessKey: AK,
    secretKey: SK,
    seed: 11,
    clock: 'manual',
    startMs: START_MS,
    historyDays,
    rateLimitNowMs: Date.now,
  })
  return venue
}

function clientFor(v: StartedSimVenue, extra: Partial<UpbitClientOptions> = {}) {
  const statuses: number[] = []
  const client = createUpbitClient({
    baseUrl: v.url,
    accessKey: AK,
    secretKey: SK,
    orderLookupDelayMs: 50,
    fetch: async (url, init) => {
      const res = await fetch(url, init)
      statuses.push(res.status)
      return res
    },
    ...extra,
  })
  return { client, statuses }
}

async function downloadAll(
  v: StartedSimVenue,
  client: ReturnType<typeof clientFor>['client'],
  fromMs: number,
  toMs: number,
  market = 'KRW-BTC',
) {
  const chunks: CandleChunk[] = []
  for await (const r of downloadCandles(client, market, '1m', fromMs, toMs, { nowMs: () => v.clock.nowMs() })) {
    if (!r.ok) throw new Error(r.error.message)
    chunks.push(r.value)
  }
  return chunks
}

describe('client × sim venue: candles', () => {
  it('pages a day of 1m candles without holes or duplicates, and without a single 429', async () => {
    const v = await start(2)
    const { client, statuses } = clientFor(v)
    const toMs = Math.floor(START_MS / MIN) * MIN
    const fromMs = toMs - 1440 * MIN
    // KRW-XRP has no-trade minutes in the sim (2%): the gaps must be exactly those.
    const chunks = await downloadAll(v, client, fromMs, toMs, 'KRW-XRP')
    const times = chunks.flatMap((c) => Array.from(c.series.time))
    expect(new Set(times).size).toBe(times.length)
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true)
    // Every slot is either a bar or a reported no-trade minute.
    const missing = chunks.reduce((a, c) => a + c.missingBars, 0)
    expect(times.length + missing).toBe(1440)
    expect(missing).toBeGreaterThan(0)
    // The same bars as Upbit's documented backward paging (`to` = oldest bar returned).
    const backward: number[] = []
    let to = toMs
    while (to > fromMs) {
      const r = await client.getCandles({ market: 'KRW-XRP', unit: '1m', toMs: to, count: 200 })
      if (!r.ok) throw new Error(r.error.message)
      if (r.value.length === 0) break
      for (const c of r.value) if (c.openTimeMs >= fromMs) backward.push(c.openTimeMs)
      to = r.value.at(-1)!.openTimeMs
    }
    expect(times).toEqual(backward.sort((a, b) => a - b))
    expect(statuses.filter((s) => s === 429)).toEqual([])
    expect(statuses.length).toBeGreaterThanOrEqual(14)
  })

  it('rides out injected 429s on candles and completes the download', async () => {
    const v = await start(1)
    const { client, statuses } = clientFor(v, { random: () => 0 })
    v.faults.inject({ endpoint: 'GET /v1/candles/minutes/1', kind: '429', count: 2 })
    const toMs = Math.floor(START_MS / MIN) * MIN
    const chunks = await downloadAll(v, client, toMs - 600 * MIN, toMs)
    expect(chunks).toHaveLength(3)
    expect(statuses.filter((s) => s === 429)).toHaveLength(2)
  })

  it('stops on an injected 418, persists the block, and a restarted client does not call', async () => {
    const v = await start(1)
    const store = createMemoryBlockStore()
    const { client, statuses } = clientFor(v, { blockStore: store })
    v.faults.inject({ endpoint: 'GET /v1/candles/minutes/1', kind: '418' })
    const before = Date.now()
    const r = await client.getCandles({ market: 'KRW-BTC', unit: '1m' })
    expect(r).toMatchObject({ ok: false, error: { kind: 'blocked', status: 418 } })
    // The sim blocks for 30 s (Retry-After: 30); we add a 1 s margin.
    expect(store.load()!.blockedUntilMs).toBeGreaterThanOrEqual(before + 31_000)
    const restarted = clientFor(v, { blockStore: store })
    expect(await restarted.client.getTickers(['KRW-BTC'])).toMatchObject({ ok: false, error: { kind: 'blocked' } })
    expect(restarted.statuses).toEqual([])
    expect(statuses).toEqual([418])
  })
})

describe('client × sim venue: one order per identifier under every fault', () => {
  const kinds = FAULT_KINDS.filter((k) => k !== 'drop-ws')
  it('covers every REST fault kind of the sim', () => {
    expect([...kinds].sort()).toEqual(['418', '429', '500', 'delay', 'malformed', 'response-lost', 'timeout'])
  })

  for (const kind of kinds) {
    it(`POST /v1/orders with ${kind}: at most one order, and the result matches the venue`, async () => {
      const v = await start(1)
      const { client } = clientFor(v, { timeoutMs: 400 })
      const t = await client.getTickers(['KRW-BTC'])
      if (!t.ok) throw new Error(t.error.message)
      const price = roundKrwPrice(t.value[0]!.tradePrice * 0.8, 'down')
      const volume = Math.ceil((10_000 / price) * 1e8) / 1e8
      v.faults.inject({ endpoint: 'POST /v1/orders', kind: kind as FaultKind, delayMs: 700 })
      const identifier = `it-${kind}`
      const r = await client.placeOrder({ market: 'KRW-BTC', side: 'bid', ordType: 'limit', price, volume, identifier })
      if (kind === 'delay') await new Promise((resolve) => setTimeout(resolve, 800)) // let the held request land
      const atVenue = v.orders().filter((o) => o.identifier === identifier)
      expect(atVenue.length).toBeLessThanOrEqual(1)
      if (r.ok) {
        expect(atVenue).toHaveLength(1)
        expect(r.value.order.uuid).toBe(atVenue[0]!.uuid)
      } else {
        expect(r.error.kind).toBe('ambiguous')
        expect(kind).toBe('418')
        expect(atVenue).toHaveLength(0)
      }
    })
  }
})

describe('client × sim venue: WebSocket', () => {
  it('reconnects, resubscribes and calls onReconnect after drop-ws', async () => {
    const v = await start(1)
    const seen: string[] = []
    let phase = 0
    let wake: () => void = () => {}
    const next = () => new Promise<void>((resolve) => (wake = resolve))
    let waiting = next()
    let reconnects = 0
    ws = connectUpbitWs({
      url: `${v.wsUrl}/websocket/v1`,
      subscriptions: [{ type: 'ticker', codes: ['KRW-BTC'] }],
      random: () => 0,
      onMessage: (m) => {
        seen.push(`${phase}:${String(m.type)}:${String(m.stream_type)}`)
        wake()
      },
      onReconnect: () => {
        reconnects++
        phase = 1
      },
    })
    await waiting
    waiting = next()
    v.faults.inject({ endpoint: 'ws', kind: 'drop-ws' })
    // After the reconnect the snapshot arrives again: proof of resubscription.
    while (!seen.includes('1:ticker:SNAPSHOT')) {
      await waiting
      waiting = next()
    }
    expect(seen[0]).toBe('0:ticker:SNAPSHOT')
    expect(reconnects).toBe(1)
  })

  it('authenticates the private stream and delivers myOrder for an order placed over REST', async () => {
    const v = await start(1)
    const errors: unknown[] = []
    let opened: () => void = () => {}
    const isOpen = new Promise<void>((resolve) => (opened = resolve))
    let gotOrder: (m: Record<string, unknown>) => void = () => {}
    const myOrder = new Promise<Record<string, unknown>>((resolve) => (gotOrder = resolve))
    ws = connectUpbitWs({
      url: `${v.wsUrl}/websocket/v1/private`,
      auth: { accessKey: AK, secretKey: SK },
      subscriptions: [{ type: 'myOrder' }, { type: 'myAsset' }],
      onMessage: (m) => {
        if (m.type === 'myOrder' && m.identifier === 'ws-1') gotOrder(m)
      },
      onError: (e) => errors.push(e),
      onStateChange: (st) => {
        if (st === 'open') opened()
      },
    })
    await isOpen
    const { client } = clientFor(v)
    const t = await client.getTickers(['KRW-BTC'])
    if (!t.ok) throw new Error(t.error.message)
    const price = roundKrwPrice(t.value[0]!.tradePrice * 0.8, 'down')
    const placed = await client.placeOrder({
      market: 'KRW-BTC',
      side: 'bid',
      ordType: 'limit',
      price,
      volume: Math.ceil((10_000 / price) * 1e8) / 1e8,
      identifier: 'ws-1',
    })
    expect(placed.ok).toBe(true)
    const m = await myOrder
    expect(m).toMatchObject({ type: 'myOrder', code: 'KRW-BTC', identifier: 'ws-1', state: 'wait' })
    expect(parseWsMessage(m)).toMatchObject({
      ok: true,
      value: { kind: 'myOrder', identifier: 'ws-1', uuid: placed.ok ? placed.value.order.uuid : '' },
    })
    expect(errors).toEqual([])
  })

  it('reports INVALID_AUTH for a wrong secret', async () => {
    const v = await start(1)
    let gotError: (e: unknown) => void = () => {}
    const error = new Promise<unknown>((resolve) => (gotError = resolve))
    ws = connectUpbitWs({
      url: `${v.wsUrl}/websocket/v1/private`,
      auth: { accessKey: AK, secretKey: 'wrong' },
      subscriptions: [{ type: 'myOrder' }],
      backoff: { initialMs: 10_000 },
      onMessage: () => {},
      onError: (e) => {
        if (e.kind === 'server') gotError(e)
      },
    })
    expect(await error).toMatchObject({ kind: 'server', name: 'INVALID_AUTH' })
  })
})
