// /api/runs and /api/kill through the real app (guards included) on an in-memory journal, with a
// fake feed (a random walk up to now): start, read, list, stop, kill, kill all, and bad input.
import { afterEach, describe, expect, it } from 'vitest'
import { createEventLog } from '../../../edge/runner/event-log.ts'
import { RunManager } from '../../../edge/runner/manager.ts'
import { TIMEFRAME_MS } from '../../../shared/candles/index.ts'
import { ok } from '../../../shared/result.ts'
import { randomWalk } from '../../helpers/series.ts'
import { memoryJournal } from '../journal/fixtures.ts'
import { PROMOTION_1M } from '../runner/fixtures.ts'
import { captureLogger, makeApp, offlineVenues, request } from './fixtures.ts'

let managers: RunManager[] = []
afterEach(() => {
  for (const m of managers) m.dispose()
  managers = []
})

function setup() {
  const journal = memoryJournal()
  const events = createEventLog(journal)
  const tf = TIMEFRAME_MS['1m']
  const runs = new RunManager({
    journal,
    venues: offlineVenues(),
    events,
    logger: captureLogger(),
    feedFor: () => ({
      closedSince: (fromMs) => {
        const from = Math.ceil(fromMs / tf) * tf
        const n = Math.max(0, Math.floor(Date.now() / tf) - from / tf)
        const s = randomWalk(7, n, 50_000, tf)
        for (let i = 0; i < n; i++) s.time[i] = from + i * tf
        return Promise.resolve(ok(s))
      },
    }),
  })
  managers.push(runs)
  const app = makeApp({ journal, runs })
  const post = (path: string, body: unknown, token?: string | null) =>
    request(app, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(token !== undefined ? { token } : {}),
    })
  const get = (path: string) => request(app, path)
  return { journal, runs, post, get }
}

type Json = Record<string, unknown> & { error?: { code: string; field?: string } }
const json = async (r: Response): Promise<Json> => (await r.json()) as Json

async function promoted(post: ReturnType<typeof setup>['post']): Promise<number> {
  return (await json(await post('/api/promotions', PROMOTION_1M))).id as number
}

describe('/api/runs', () => {
  it('starts a paper run, reads it, lists it, stops it', async () => {
    const { post, get } = setup()
    const id = await promoted(post)
    const res = await post('/api/runs', { promotionId: id, venue: 'sim', mode: 'paper' })
    expect(res.status).toBe(201)
    const run = await json(res)
    expect(res.headers.get('location')).toBe(`/api/runs/${String(run.id)}`)
    expect(run).toMatchObject({
      status: 'running',
      mode: 'paper',
      venue: 'sim',
      market: 'KRW-BTC',
      timeframe: '1m',
      haltReason: null,
      pendingOrder: null,
    })
    expect(await json(await get(`/api/runs/${String(run.id)}`))).toMatchObject({ id: run.id, status: 'running', position: { qtyBase: 0 } })
    expect(((await json(await get('/api/runs'))).runs as unknown[]).length).toBe(1)
    expect(await json(await post(`/api/runs/${String(run.id)}/stop`, {}))).toMatchObject({ status: 'stopped' })
    // Killing a stopped run leaves it stopped.
    expect(await json(await post(`/api/runs/${String(run.id)}/kill`, {}))).toMatchObject({ status: 'stopped' })
  })

  it('kills one run and, with /api/kill, every run', async () => {
    const { post } = setup()
    const id = await promoted(post)
    const a = await json(await post('/api/runs', { promotionId: id, venue: 'sim', mode: 'paper' }))
    const b = await json(await post('/api/runs', { promotionId: id, venue: 'upbit', mode: 'paper' }))
    expect(await json(await post(`/api/runs/${String(a.id)}/kill`, {}))).toMatchObject({ status: 'halted', haltReason: 'killed' })
    const all = (await json(await post('/api/kill', {}))).runs as Json[]
    expect(all.find((r) => r.id === b.id)).toMatchObject({ status: 'halted', haltReason: 'kill switch' })
    expect(all.find((r) => r.id === a.id)).toMatchObject({ status: 'halted', haltReason: 'killed' })
  })

  it('refuses bad input', async () => {
    const { post, get, journal } = setup()
    const id = await promoted(post)
    const start = (body: unknown, token?: string | null) => post('/api/runs', body, token)
    const cases: Array<[unknown, number, string, string?]> = [
      [{ promotionId: 999, venue: 'sim', mode: 'paper' }, 404, 'not_found', 'promotionId'],
      // The offline venues hold no keys: a live run is refused before the confirmation is read.
      [{ promotionId: id, venue: 'sim', mode: 'live', confirm: 'KRW-BTC' }, 400, 'no_keys', 'venue'],
      [{ promotionId: id, venue: 'sim', mode: 'live' }, 400, 'no_keys', 'venue'],
      [{ promotionId: id, venue: 'sim' }, 400, 'invalid_parameter', 'mode'],
      [{ promotionId: id, venue: 'sim', mode: 'paper', extra: 1 }, 400, 'invalid_parameter', 'extra'],
      [{ promotionId: '1', venue: 'sim', mode: 'paper' }, 400, 'invalid_parameter', 'promotionId'],
      [{ promotionId: 0, venue: 'sim', mode: 'paper' }, 400, 'invalid_parameter', 'promotionId'],
      [{ promotionId: id, venue: 'binance', mode: 'paper' }, 400, 'invalid_parameter', 'venue'],
      [{ promotionId: id, venue: 'sim', mode: 'backtest' }, 400, 'invalid_parameter', 'mode'],
      ['{not json', 400, 'invalid_json'],
    ]
    for (const [body, status, code, field] of cases) {
      const r = await start(body)
      expect([r.status, (await json(r)).error]).toEqual([status, expect.objectContaining({ code, ...(field ? { field } : {}) })])
    }
    expect((await start({ promotionId: id, venue: 'sim', mode: 'paper' }, null)).status).toBe(401)
    expect((await start({ promotionId: id, venue: 'sim', mode: 'paper' }, 'f'.repeat(64))).status).toBe(401)
    expect((await get('/api/runs/nope')).status).toBe(404)
    expect((await get('/api/runs/bad-id!')).status).toBe(400)
    expect((await post('/api/runs/nope/stop', {})).status).toBe(404)
    expect((await post('/api/runs/nope/kill', { now: true })).status).toBe(400)
    expect(journal.runs.listRuns()).toEqual([])

    await post(`/api/promotions/${id}/retire`, {})
    const r = await start({ promotionId: id, venue: 'sim', mode: 'paper' })
    expect([r.status, (await json(r)).error?.code]).toEqual([409, 'conflict'])
  })
})
