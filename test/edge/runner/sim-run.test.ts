// A paper run over real HTTP on the built-in simulated venue with an accelerated clock (one
// simulated minute per 100 ms): it follows the venue's clock through ≥ 50 one-minute bars, trades,
// and its events reach a stream client in seq order. Then stop/kill persist across a restart
// (startEdge twice on the same DATA_DIR).
import { afterEach, describe, expect, it } from 'vitest'
import { startEdge, type RunningEdge } from '../../../edge/server/edge.ts'
import { captureLogger } from '../api/fixtures.ts'
import { testSettings } from '../server/fixtures.ts'
import { edgeClient, openStream, PROMOTION_1M, until } from './fixtures.ts'

const TOKEN = 'ab'.repeat(32)
let edges: RunningEdge[] = []
afterEach(async () => {
  for (const e of edges) await e.close()
  edges = []
})

async function start(settings = testSettings()): Promise<RunningEdge> {
  const e = await startEdge({ settings, token: TOKEN, logger: captureLogger(), simClock: { speed: 600 }, staleBars: 30 })
  edges.push(e)
  return e
}

// At 600× a bar is 100 ms of wall time: the stale threshold is raised to 30 bars (3 s) so that a
// busy CI machine (test files run in parallel) does not halt the run for a slow poll.
describe('paper run on the accelerated sim venue', () => {
  it('reaches 50 bars with fills, streams its events; stop and kill survive a restart', async () => {
    const settings = testSettings()
    const edge = await start(settings)
    const api = edgeClient(edge.origin, TOKEN)
    const promo = (await (await api.post('/api/promotions', PROMOTION_1M)).json()) as { id: number }
    const stream = await openStream(edge.port, { type: 'auth', token: TOKEN, lastSeq: 0 })

    const res = await api.post('/api/runs', { promotionId: promo.id, venue: 'sim', mode: 'paper' })
    expect(res.status).toBe(201)
    const run = (await res.json()) as { id: string; status: string }
    expect(run.status).toBe('running')
    await until(() => edge.journal.equity.pointsOf(run.id).length >= 50, 30_000, '50 bars')

    const view = (await (await api.get(`/api/runs/${run.id}`)).json()) as Record<string, unknown>
    expect(view.status).toBe('running')
    expect(view.equity).toEqual(expect.any(Number))
    expect(view.lastDecision).toMatchObject({ barTimeMs: expect.any(Number) })
    expect(edge.journal.fills.fillsOfRun(run.id).length).toBeGreaterThan(0)
    // Bars are consecutive 1-minute bars on the venue's clock (no gap, no repeat).
    const times = edge.journal.equity.pointsOf(run.id).map((p) => p.timeMs)
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_000)

    const killed = (await (await api.post(`/api/runs/${run.id}/kill`, {})).json()) as { status: string; haltReason: string }
    expect(killed).toMatchObject({ status: 'halted', haltReason: 'killed' })
    // The stream saw every journaled event, in seq order, once.
    const last = edge.journal.events.lastSeq()
    await until(() => stream.frames.some((f) => f.seq === last), 5_000, 'stream to catch up')
    const seqs = stream.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq)
    expect(seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1))
    // Which kinds occur depends on the venue's data (an order may expire, be cancelled or be
    // refused); these must occur, and nothing outside the documented kinds may. (undefined: the
    // `live` control frame.)
    const kinds = new Set<unknown>(stream.frames.map((f) => f.kind))
    for (const k of ['status', 'equity', 'order_submitted', 'fill', 'position']) expect(kinds.has(k), k).toBe(true)
    const documented = new Set<unknown>([
      'status',
      'equity',
      'order_submitted',
      'order_cancelled',
      'order_rejected',
      'fill',
      'position',
      'halt',
      'error',
      undefined,
    ])
    for (const k of kinds) expect(documented.has(k), String(k)).toBe(true)
    stream.ws.close()

    const second = (await (await api.post('/api/runs', { promotionId: promo.id, venue: 'sim', mode: 'paper' })).json()) as { id: string }
    expect(((await (await api.post(`/api/runs/${second.id}/stop`, {})).json()) as { status: string }).status).toBe('stopped')
    await edge.close()
    edges = edges.filter((e) => e !== edge)

    const again = await start(settings)
    const api2 = edgeClient(again.origin, TOKEN)
    const runs = (
      (await (await api2.get('/api/runs')).json()) as { runs: Array<{ id: string; status: string; haltReason: string | null }> }
    ).runs
    expect(runs.find((r) => r.id === run.id)).toMatchObject({ status: 'halted', haltReason: 'killed' })
    expect(runs.find((r) => r.id === second.id)).toMatchObject({ status: 'stopped' })
    // Nothing was stepped after the restart: no new equity points for either run.
    const points = again.journal.equity.pointsOf(run.id).length
    await new Promise((r) => setTimeout(r, 300))
    expect(again.journal.equity.pointsOf(run.id).length).toBe(points)
  }, 60_000)
})
