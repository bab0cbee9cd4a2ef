// A few crash trials inside npm test (the full ≥ 20 run by `npm run test:crash`): edge killed with
// SIGKILL at named points and random times during a live run on a standalone simulated venue, and
// the venue's books checked against the journal after each (trials.ts).
import { describe, expect, it } from 'vitest'
import { planOf, runTrial } from './trials.ts'

describe('crash trials (live run, standalone sim venue, kill -9)', () => {
  it('a crash after the intent is journaled and one after the venue answered: no duplicate order, no lost fill', async () => {
    const r = await runTrial({
      seed: 1000,
      kills: [
        { point: 'after-intent', nth: 1 },
        { point: 'after-send', nth: 2 },
      ],
    })
    expect(r.problems).toEqual([])
    expect(r.pointHits).toBe(2)
    expect(r.venueOrders).toBeGreaterThan(0)
    expect(r).toMatchObject({
      duplicateOrders: 0,
      lostFills: 0,
      unknownFills: 0,
      ordersWithoutIntent: 0,
      positionMismatch: 0,
      integrity: 'ok',
    })
  }, 120_000)

  it('kills at random times: the same invariants hold', async () => {
    const r = await runTrial({ seed: 1001, kills: [{ afterMs: 1_200 }, { afterMs: 700 }] })
    expect(r.problems).toEqual([])
    expect(r.venueOrders).toBeGreaterThan(0)
  }, 120_000)

  it('plans mix named crash points and random kill times, seeded', () => {
    const plans = Array.from({ length: 20 }, (_, i) => planOf(i))
    expect(plans.map((p) => planOf(p.seed))).toEqual(plans)
    const kills = plans.flatMap((p) => p.kills)
    expect(kills.some((k) => 'point' in k)).toBe(true)
    expect(kills.some((k) => 'afterMs' in k)).toBe(true)
  })
})
