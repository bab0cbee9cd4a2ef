// Edge's live path and journal. A simulated Upbit venue listens on loopback with an exact
// affine clock (venue = v0 + (wall − w0) × SPEED), edge's `upbit` venue points at it (REST and the
// private WebSocket, the same client code as for api.upbit.com) and runs a live run of RSI(2) on
// 1-minute bars (an order nearly every bar). Everything runs in this one Node process, so the
// figures include the event-loop contention of venue, edge and stream client together.
//   edge.live.barCloseToOrder.p50Ms / .p99Ms   wall ms from a bar's close on the venue clock to
//       the venue accepting the order decided at that close (order created_at, venue clock)
//   edge.live.fillToStream.p50Ms / .p99Ms      wall ms from a trade at the venue to its `fill`
//       frame reaching a client of /api/stream
//   edge.live.orders / edge.live.fills         samples behind those figures
//   edge.journal.fillWritesPerSec              fills recorded one transaction each, WAL + synchronous=FULL
//   edge.journal.eventWritesPerSec             events appended one transaction each, same settings
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge } from '../../edge/server/edge.ts'
import { startSimVenue } from '../../edge/sim/index.ts'
import { openJournal } from '../../edge/journal/index.ts'
import { captureLogger } from '../edge/api/fixtures.ts'
import { testSettings } from '../edge/server/fixtures.ts'
import { edgeClient, openStream, PROMOTION_1M, until } from '../edge/runner/fixtures.ts'
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

async function liveLatency(bars: number): Promise<Record<string, number>> {
  const w0 = Date.now()
  const v0 = w0
  const venueNow = (): number => Math.floor(v0 + (Date.now() - w0) * SPEED)
  const toWall = (venueMs: number): number => w0 + (venueMs - v0) / SPEED
  const sim = await startSimVenue({ accessKey: AK, secretKey: SK, now: venueNow, historyDays: 1, markets: ['KRW-BTC'] })
  const settings = testSettings({ upbit: { baseUrl: sim.url, keys: { accessKey: AK, secretKey: SK }, clock: venueNow } })
  const edge = await startEdge({ settings, token: TOKEN, logger: captureLogger(), staleBars: 10 })
  const recv = new Map<string, number>()
  try {
    const api = edgeClient(edge.origin, TOKEN)
    const stream = await openStream(edge.port, { type: 'auth', token: TOKEN, lastSeq: 0 })
    stream.ws.on('message', (d: Buffer) => {
      const f = JSON.parse(d.toString('utf8')) as { kind?: string; tradeUuid?: string }
      if (f.kind === 'fill' && typeof f.tradeUuid === 'string' && !recv.has(f.tradeUuid)) recv.set(f.tradeUuid, Date.now())
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
    stream.ws.close()
    const orderLat: number[] = []
    const fillLat: number[] = []
    for (const o of sim.orders()) {
      const id = o.identifier
      if (!id?.startsWith(`${runId}-`) || !id.endsWith('-0')) continue
      const barOpen = parseInt(id.split('-')[1]!, 36)
      orderLat.push(toWall(o.createdMs) - toWall(barOpen + 60_000))
      for (const t of o.trades) {
        const at = recv.get(t.uuid)
        if (at !== undefined) fillLat.push(at - toWall(t.createdMs))
      }
    }
    return {
      'edge.live.barCloseToOrder.p50Ms': pct(orderLat, 50),
      'edge.live.barCloseToOrder.p99Ms': pct(orderLat, 99),
      'edge.live.fillToStream.p50Ms': pct(fillLat, 50),
      'edge.live.fillToStream.p99Ms': pct(fillLat, 99),
      'edge.live.orders': orderLat.length,
      'edge.live.fills': fillLat.length,
    }
  } finally {
    await edge.close()
    await sim.close()
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
