// /api/runs and /api/kill: start paper and live runs of promotions, list and read them, stop or
// kill one, kill everything. Bodies and answers are documented in README "Edge API" → "Runs".
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { RunManager, RunView } from '../runner/manager.ts'
import { VENUE_IDS } from '../server/venues.ts'
import { ApiError, invalidParameter } from '../server/errors.ts'
import { readJsonBody } from '../server/json-body.ts'

const StartRunSchema = v.strictObject({
  promotionId: v.pipe(v.number(), v.safeInteger(), v.minValue(1, 'expected a promotion id (a positive integer)')),
  venue: v.picklist(VENUE_IDS, `expected one of ${VENUE_IDS.join(', ')}`),
  mode: v.picklist(['paper', 'live'], "expected 'paper' or 'live'"),
  /** Live runs: the market name, typed by the user. Accepted (and unused) for paper. */
  confirm: v.optional(v.pipe(v.string(), v.maxLength(40))),
})

const EmptySchema = v.strictObject({})
const RUN_ID_RE = /^[A-Za-z0-9_]{1,40}$/

function runId(c: Context): string {
  const id = c.req.param('id') ?? ''
  if (!RUN_ID_RE.test(id)) throw invalidParameter('id', 'expected a run id (1–40 letters, digits or _)')
  return id
}

const notFound = (id: string) => new ApiError(404, 'not_found', `no run ${id}`)

/** stop and kill: body `{}`, the run's view after the change, 404 for an unknown run. */
async function control(c: Context, act: (id: string) => Promise<RunView | undefined>): Promise<Response> {
  const id = runId(c)
  await readJsonBody(c, EmptySchema)
  const view = await act(id)
  if (view === undefined) throw notFound(id)
  return c.json(view)
}

export function runRoutes(runs: RunManager): Hono {
  return new Hono()
    .post('/', async (c) => {
      const body = await readJsonBody(c, StartRunSchema)
      const r = await runs.start(body.promotionId, body.venue, body.mode, body.confirm)
      if (!r.ok) {
        const e = r.error
        if (e.kind === 'not_found') throw new ApiError(404, 'not_found', e.message, 'promotionId')
        if (e.kind === 'retired') throw new ApiError(409, 'conflict', e.message, 'promotionId')
        if (e.kind === 'live_conflict') throw new ApiError(409, 'conflict', e.message, 'promotionId')
        if (e.kind === 'confirm') throw new ApiError(400, 'confirmation_required', e.message, 'confirm')
        if (e.kind === 'no_keys') throw new ApiError(400, 'no_keys', e.message, 'venue')
        throw invalidParameter('venue', e.message)
      }
      return c.json(r.run, 201, { Location: `/api/runs/${r.run.id}` })
    })
    .get('/', (c) => c.json({ runs: runs.list() }))
    .get('/:id', (c) => {
      const id = runId(c)
      const view = runs.view(id)
      if (view === undefined) throw notFound(id)
      return c.json(view)
    })
    .get('/:id/activity', (c) => {
      const id = runId(c)
      const from = c.req.query('from')
      const fromMs = from === undefined ? 0 : Number(from)
      if (!Number.isSafeInteger(fromMs) || fromMs < 0) throw invalidParameter('from', 'expected epoch milliseconds (≥ 0)')
      const activity = runs.activity(id, fromMs)
      if (activity === undefined) throw notFound(id)
      return c.json(activity)
    })
    .post('/:id/stop', (c) => control(c, (id) => runs.stop(id)))
    .post('/:id/kill', (c) => control(c, (id) => runs.kill(id)))
}

/** POST /api/kill `{}`: every run that is not stopped is halted ("kill switch"). */
export function killRoutes(runs: RunManager): Hono {
  return new Hono().post('/', async (c) => {
    await readJsonBody(c, EmptySchema)
    return c.json({ runs: await runs.killAll() })
  })
}
