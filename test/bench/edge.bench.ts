// Edge's live path and journal. The simulated Upbit venue runs as its own process on loopback
// with an exact affine clock (venue = v0 + (wall − w0) × SPEED, `npm run sim -- --clock-origin`);
// edge's `upbit` venue points at it (REST and the private WebSocket, the same client code as for
// api.upbit.com) and runs a live run of RSI(2) on 1-minute bars (an order nearly every bar). Edge
// and the stream client share this process.
//   edge.live.barCloseToOrder.p50Ms / .p99Ms   wall ms from a bar's close on the venue clock to
//       the venue filling the market order decided at that close (its first trade, venue clock)
//   edge.live.fillToStream.p50Ms / .p99Ms      wall ms from a trade at the venue to its `fill`
//       frame reaching a client of /api/stream
//   edge.live.fillToJournal.p50Ms / .p99Ms     the part of it until the fill is committed in the
//       journal and published (the rest is the stream's WebSocket to the client)
//   edge.live.orders / edge.live.fills         samples behind those figures
//   edge.journal.fillWritesPerSec              fills recorded one transaction each, WAL + synchronous=FULL
//   edge.journal.eventWritesPerSec             events appended one transaction each, same settings
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge } from '../../edge/server/edge.ts'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { createUpbitClient } from '../../edge/upbit/index.ts'
import { openJournal } from '../../edge/journal/index.ts'
import { captureLogger } from '../edge/api/fixtures.ts'
import { testSettings } from '../edge/server/fixtures.ts'
import { edgeClient, PROMOTION_1M, until } from '../edge/runner/fixtures.ts'
import type { BenchDef } from './run.ts'

const SPEED = 60
const TOKEN = 'ef'.repeat(32)
const AK = 'bench-ak'
const SK = 'bench-sk-0123456789abcdef'

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

/** The standalone simulated venue in its own process (as against a remote venue, edge shares no event loop with it). */
async function startSimProcess(clockOrigin: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'edge/sim/main.ts',
      '--port',
      '0',
      '--access-key',
      AK,
      '--secret-key',
      SK,
      '--history-days',
      '1',
      '--markets',
      'KRW-BTC',
      '--clock-speed',
      String(SPEED),
      '--clock-origin',
      clockOrigin,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim did not start: ${out}`)), 30_000)
    const on = (d: Buffer): void => {
      out += d.toString()
      const m = /listening on (http:\/\/[^\s]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', on)
    child.once('exit', (code) => reject(new Error(`sim exited ${code}: ${out}`)))
  })
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

function streamClientThread(port: number): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const WebSocket = require(workerData.ws)
    const ws = new WebSocket('ws://127.0.0.1:' + workerData.port + '/api/stream')
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: workerData.token, lastSeq: 0 })))
    ws.on('message', (d) => {
      const at = Date.now()
      const f = JSON.parse(d.toString('utf8'))
      if (f.kind === 'fill' && typeof f.tradeUuid === 'string') parentPort.postMessage({ tradeUuid: f.tradeUuid, at })
    })
  `
  return new Worker(code, { eval: true, workerData: { port, token: TOKEN, ws: createRequire(import.meta.url).resolve('ws') } })
}

async function liveLatency(bars: number): Promise<Record<string, number>> {
  const w0 = Date.now()
  const v0 = w0
  const venueNow = (): number => Math.floor(v0 + (Date.now() - w0) * SPEED)
  const toWall = (venueMs: number): number => w0 + (venueMs - v0) / SPEED
  const sim = await startSimProcess(`${v0}@${w0}`)
  const settings = testSettings({ upbit: { baseUrl: sim.url, keys: { accessKey: AK, secretKey: SK }, clock: venueNow } })
  const edge = await startEdge({ settings, token: TOKEN, logger: captureLogger(), staleBars: 10 })
  const recv = new Map<string, number>()
  const committed = new Map<string, number>()
  edge.events.subscribe((e) => {
    const uuid = e.payload.tradeUuid
    if (e.kind === 'fill' && typeof uuid === 'string' && !committed.has(uuid)) committed.set(uuid, Date.now())
  })
  try {
    const api = edgeClient(edge.origin, TOKEN)
    // The stream client in its own thread (its own event loop, as a browser would be), stamping
    // each fill frame with the wall clock the moment it arrives.
    const client = streamClientThread(edge.port)
    client.on('message', (m: { tradeUuid: string; at: number }) => {
      if (!recv.has(m.tradeUuid)) recv.set(m.tradeUuid, m.at)
    })
    await new Promise<void>((resolve, reject) => {
      client.once('online', () => setTimeout(resolve, 300))
      client.once('error', reject)
    })
    // RSI(2) around 50: flips nearly every bar, so most bars place an order (more samples).
    const promotion = { ...PROMOTION_1M, params: { period: 2, oversold: 49, overbought: 51 } }
    const promo = (await (await api.post('/api/promotions', promotion)).json()) as { id: number }
    const res = await api.post('/api/runs', { promotionId: promo.id, venue: 'upbit', mode: 'live', confirm: 'KRW-BTC' })
    if (res.status !== 201) throw new Error(`live run: ${res.status} ${await res.text()}`)
    const runId = ((await res.json()) as { id: string }).id
    await until(() => edge.journal.equity.pointsOf(runId).length >= bars, bars * (60_000 / SPEED) * 3 + 10_000, `${bars} bars`)
    await api.post(`/api/runs/${runId}/stop`, {})
    await new Promise((r) => setTimeout(r, 300))
    await client.terminate()
    // The venue's own books: each market order fills as it is accepted, so its first trade's time
    // (microseconds, venue clock) is when the order reached the venue.
    const venue = createUpbitClient({ baseUrl: sim.url, accessKey: AK, secretKey: SK })
    const orderLat: number[] = []
    const fillLat: number[] = []
    const journalLat: number[] = []
    for (const row of edge.journal.orders.ordersOfRun(runId)) {
      if (row.kind !== 'place' || row.venueUuid === null || !row.id.endsWith('-0')) continue
      const o = await venue.getOrder({ uuid: row.venueUuid })
      if (!o.ok || o.value.trades.length === 0) continue
      const first = Math.min(...o.value.trades.map((t) => t.createdAtMs))
      orderLat.push(toWall(first) - toWall(row.barTimeMs + 60_000))
      for (const t of o.value.trades) {
        const at = recv.get(t.uuid)
        if (at !== undefined) fillLat.push(at - toWall(t.createdAtMs))
        const c = committed.get(t.uuid)
        if (c !== undefined) journalLat.push(c - toWall(t.createdAtMs))
      }
    }
    return {
      'edge.live.barCloseToOrder.p50Ms': pct(orderLat, 50),
      'edge.live.barCloseToOrder.p99Ms': pct(orderLat, 99),
      'edge.live.fillToStream.p50Ms': pct(fillLat, 50),
      'edge.live.fillToStream.p99Ms': pct(fillLat, 99),
      'edge.live.fillToJournal.p50Ms': pct(journalLat, 50),
      'edge.live.fillToJournal.p99Ms': pct(journalLat, 99),
      'edge.live.orders': orderLat.length,
      'edge.live.fills': fillLat.length,
    }
  } finally {
    await edge.close()
    await sim.stop()
  }
}

function journalWrites(n: number): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-bench-'))
  try {
    const j = openJournal(join(dir, 'journal.sqlite'))
    const { row } = j.promotions.insertOrGet(
      { strategyId: 'rsi', strategyVersion: 1, market: 'KRW-BTC', timeframe: '1m', configJson: '{}', contentHash: '0'.repeat(64) },
      0,
    )
    j.runs.createRun({ id: 'b1', promotionId: row.id, venue: 'sim', mode: 'live', market: 'KRW-BTC' }, 0)
    j.orders.recordOrderIntent('b1', { kind: 'cancel', id: 'b1-0-1', targetId: 'b1-0-0', barTimeMs: 0 }, 0)
    let t = performance.now()
    for (let i = 0; i < n; i++) {
      j.fills.recordFill(
        { tradeUuid: `t${i}`, orderId: 'b1-0-1', runId: 'b1', side: 'buy', price: 1, volume: 1, feeQuote: 0, timeMs: i, source: 'ws' },
        i,
      )
    }
    const fillsPerSec = n / ((performance.now() - t) / 1000)
    t = performance.now()
    for (let i = 0; i < n; i++) j.events.appendEvent({ timeMs: i, kind: 'fill', runId: 'b1', payload: { i } })
    const eventsPerSec = n / ((performance.now() - t) / 1000)
    j.close()
    return { 'edge.journal.fillWritesPerSec': fillsPerSec, 'edge.journal.eventWritesPerSec': eventsPerSec }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const bench: BenchDef = {
  name: 'edge',
  async run({ quick }) {
    return { ...journalWrites(quick ? 500 : 3_000), ...(await liveLatency(quick ? 20 : 90)) }
  },
}
