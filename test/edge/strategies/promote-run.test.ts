// User strategies through edge: a promotion carries the source; edge loads it in its sandbox,
// re-runs the audits, stores the source content-addressed and names its hash in the config. A
// look-ahead failure is refused unless overridden with a reason (recorded). A paper run of the
// promoted strategy runs exactly that source, which edge serves back by promotion id; one that loops forever on live bars halts visibly.
import { afterEach, describe, expect, it } from 'vitest'
import { startEdge, type RunningEdge } from '../../../edge/server/edge.ts'
import { sourceHash } from '../../../edge/promotions/user-strategy.ts'
import { captureLogger } from '../api/fixtures.ts'
import { testSettings } from '../server/fixtures.ts'
import { edgeClient, PROMOTION_1M, until } from '../runner/fixtures.ts'
import { LOOPS_LIVE, PEEKS, RSI_CROSS } from './fixtures.ts'

const TOKEN = 'de'.repeat(32)
let edges: RunningEdge[] = []
afterEach(async () => {
  for (const e of edges) await e.close()
  edges = []
})

async function start(): Promise<RunningEdge> {
  const e = await startEdge({ settings: testSettings(), token: TOKEN, logger: captureLogger(), simClock: { speed: 600 }, staleBars: 30 })
  edges.push(e)
  return e
}

const userPromotion = (id: string, source: string, params: Record<string, number> = {}, extra: Record<string, unknown> = {}) => ({
  ...PROMOTION_1M,
  strategy: { id, version: 1, source, ...extra },
  params,
})

describe('user strategies on edge', () => {
  it('promotes a user strategy after its audits: source stored by hash, audits recorded; bad ones refused', async () => {
    const edge = await start()
    const api = edgeClient(edge.origin, TOKEN)
    const res = await api.post('/api/promotions', userPromotion('user.rsi-cross', RSI_CROSS, { period: 6, low: 40, high: 60 }))
    expect(res.status, await res.clone().text()).toBe(201)
    const p = (await res.json()) as { config: { strategy: Record<string, unknown>; params: Record<string, number> } }
    expect(p.config.strategy).toMatchObject({ id: 'user.rsi-cross', version: 1, sourceHash: sourceHash(RSI_CROSS) })
    expect((p.config.strategy.audits as Array<{ name: string; ok: boolean }>).map((a) => a.ok)).toEqual([true, true, true, true, true])
    expect(p.config.params).toEqual({ period: 6, low: 40, high: 60 })
    expect(edge.journal.sources.get(sourceHash(RSI_CROSS))?.source).toBe(RSI_CROSS)
    expect(() => edge.journal.db.prepare('DELETE FROM strategy_sources').run()).toThrow(/never deleted/)
    const id = (p as unknown as { id: number }).id
    const src = await api.get(`/api/promotions/${id}/source`)
    expect(src.status).toBe(200)
    expect(await src.json()).toEqual({ hash: sourceHash(RSI_CROSS), strategyId: 'user.rsi-cross', version: 1, source: RSI_CROSS })
    const builtin = (await (await api.post('/api/promotions', PROMOTION_1M)).json()) as { id: number }
    const none = await api.get(`/api/promotions/${builtin.id}/source`)
    expect(none.status).toBe(404)
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/built-in strategy .* no user source/)

    const refuse = async (body: unknown, field: string, message: RegExp) => {
      const r = await api.post('/api/promotions', body)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: { field: string; message: string } }).error).toMatchObject({
        field,
        message: expect.stringMatching(message),
      })
    }
    await refuse(userPromotion('user.peeks', PEEKS), 'strategy.source', /lookahead audit failed: looks ahead.*lookaheadOverride/)
    await refuse(userPromotion('user.other', RSI_CROSS), 'strategy.id', /defines user\.rsi-cross/)
    await refuse(
      { ...userPromotion('user.rsi-cross', RSI_CROSS), strategy: { id: 'user.rsi-cross', version: 2, source: RSI_CROSS } },
      'strategy.version',
      /version 1, not 2/,
    )
    await refuse(userPromotion('user.rsi-cross', RSI_CROSS, { period: 500 }), 'params.period', /outside/)
    await refuse(userPromotion('user.rsi-cross', 'export default {'), 'strategy.source', /syntax error at line 1/)
    await refuse({ ...PROMOTION_1M, strategy: { id: 'rsi', version: 1, source: RSI_CROSS } }, 'strategy.source', /only user strategies/)

    const over = await api.post(
      '/api/promotions',
      userPromotion('user.peeks', PEEKS, {}, { lookaheadOverride: { reason: 'testing the override' } }),
    )
    expect(over.status).toBe(201)
    const o = (await over.json()) as { config: { strategy: Record<string, unknown> } }
    expect(o.config.strategy.lookaheadOverride).toEqual({ reason: 'testing the override' })
    expect((o.config.strategy.audits as Array<{ name: string; ok: boolean }>).find((a) => a.name === 'lookahead')?.ok).toBe(false)
  }, 90_000)

  it('a paper run runs the promoted source; a strategy that loops on live bars halts with the time limit', async () => {
    const edge = await start()
    const api = edgeClient(edge.origin, TOKEN)
    const promo = (await (
      await api.post('/api/promotions', userPromotion('user.rsi-cross', RSI_CROSS, { period: 2, low: 49, high: 51 }))
    ).json()) as { id: number }
    const run = (await (await api.post('/api/runs', { promotionId: promo.id, venue: 'sim', mode: 'paper' })).json()) as { id: string }
    await until(() => edge.journal.equity.pointsOf(run.id).length >= 20, 30_000, '20 bars of the user strategy')
    expect(edge.journal.fills.fillsOfRun(run.id).length).toBeGreaterThan(0)
    await api.post(`/api/runs/${run.id}/stop`, {})

    const loops = (await (await api.post('/api/promotions', userPromotion('user.loops-live', LOOPS_LIVE))).json()) as { id: number }
    const bad = (await (await api.post('/api/runs', { promotionId: loops.id, venue: 'sim', mode: 'paper' })).json()) as { id: string }
    await until(() => edge.journal.runs.getRun(bad.id)!.status === 'halted', 30_000, 'the looping strategy to halt')
    expect(edge.journal.runs.getRun(bad.id)!.haltReason).toMatch(/time limit/)
  }, 90_000)
})
