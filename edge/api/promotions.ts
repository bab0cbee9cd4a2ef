// /api/promotions: promote a backtested config as an immutable, numbered version; list, read and
// diff them; retire one (it can then never be started). Bodies and answers are documented in
// README "Edge API" → "Promotions". No route changes a stored config (the journal's triggers
// refuse it too).
import { Hono, type Context } from 'hono'
import type { Journal } from '../journal/index.ts'
import {
  diffConfigs,
  PromotionBodySchema,
  RetireBodySchema,
  storePromotion,
  toView,
  validatePromotion,
  type PromotionView,
} from '../promotions/index.ts'
import { checkUserStrategy } from '../promotions/user-strategy.ts'
import { USER_ID_RE } from '../../shared/strategies/user/module.ts'
import { ApiError, invalidParameter } from '../server/errors.ts'
import { readJsonBody } from '../server/json-body.ts'

const ID_RE = /^[1-9]\d{0,15}$/

function idParam(c: Context, name: string): number {
  const raw = c.req.param(name) ?? ''
  const id = Number(raw)
  if (!ID_RE.test(raw) || !Number.isSafeInteger(id)) throw invalidParameter(name, 'expected a promotion id (a positive integer)')
  return id
}

function found(journal: Journal, id: number): PromotionView {
  const row = journal.promotions.get(id)
  if (row === undefined) throw new ApiError(404, 'not_found', `no promotion ${id}`)
  return toView(row)
}

export function promotionRoutes(journal: Journal, nowMs: () => number): Hono {
  return (
    new Hono()
      .post('/', async (c) => {
        const body = await readJsonBody(c, PromotionBodySchema)
        let user
        if (USER_ID_RE.test(body.strategy.id)) {
          const u = await checkUserStrategy(body, journal, nowMs())
          if (!u.ok) throw invalidParameter(u.error.field, u.error.problem)
          user = u.value
        }
        const checked = validatePromotion(body, user)
        if (!checked.ok) throw invalidParameter(checked.error.field, checked.error.problem)
        const { promotion, created } = storePromotion(journal.promotions, checked.value, nowMs())
        if (!created) return c.json(promotion, 200)
        return c.json(promotion, 201, { Location: `/api/promotions/${promotion.id}` })
      })
      .get('/', (c) => c.json({ promotions: journal.promotions.list().map(toView) }))
      .get('/:id', (c) => c.json(found(journal, idParam(c, 'id'))))
      // The source a user-strategy promotion runs, exactly as stored (the lab's shadow comparison
      // replays it in its own sandbox; a browser that did not write it has no copy).
      .get('/:id/source', (c) => {
        const p = found(journal, idParam(c, 'id'))
        const hash = p.config.strategy.sourceHash
        if (hash === undefined)
          throw new ApiError(
            404,
            'not_found',
            `promotion ${p.id} runs the built-in strategy ${p.config.strategy.id}: it has no user source`,
          )
        const row = journal.sources.get(hash)
        if (row === undefined) throw new ApiError(500, 'internal', `promotion ${p.id}: source ${hash} is missing from the journal`)
        return c.json({ hash: row.hash, strategyId: row.strategyId, version: row.version, source: row.source })
      })
      .get('/:id/diff/:other', (c) => {
        const a = found(journal, idParam(c, 'id'))
        const b = found(journal, idParam(c, 'other'))
        return c.json({ from: a.id, to: b.id, changes: diffConfigs(a.config, b.config) })
      })
      .post('/:id/retire', async (c) => {
        const id = idParam(c, 'id')
        await readJsonBody(c, RetireBodySchema)
        const row = journal.promotions.retire(id, nowMs())
        if (row === undefined) throw new ApiError(404, 'not_found', `no promotion ${id}`)
        return c.json(toView(row))
      })
  )
}
