// The journal's repositories and the guarantees its schema keeps whatever the code does:
// promotions immutable and numbered, no run from a retired promotion, one live run per market,
// an order intent recorded once (a replay finds it), a fill recorded once per trade uuid, events
// with a resumable, never-reused seq.
import { describe, expect, it } from 'vitest'
import { intentId } from '../../../shared/engine/intents.ts'
import { openJournal } from '../../../edge/journal/index.ts'
import { buyIntent, journalWithRun, memoryJournal, newPromotion, NOW, tempJournalPath } from './fixtures.ts'

const BAR = 1_750_000_800_000

describe('promotions table', () => {
  it('numbers globally (id) and per lineage (strategy, market: version)', () => {
    const j = memoryJournal()
    const a = j.promotions.insertOrGet(newPromotion(1), NOW).row
    const b = j.promotions.insertOrGet(newPromotion(2), NOW).row
    const c = j.promotions.insertOrGet(newPromotion(3, { market: 'KRW-ETH' }), NOW).row
    const d = j.promotions.insertOrGet(newPromotion(4, { strategyId: 'swing' }), NOW).row
    expect([a, b, c, d].map((r) => [r.id, r.version])).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
      [4, 1],
    ])
    expect(j.promotions.list().map((r) => r.id)).toEqual([4, 3, 2, 1])
  })
  it('the same content hash returns the stored row, not a new one', () => {
    const j = memoryJournal()
    const first = j.promotions.insertOrGet(newPromotion(1), NOW)
    const again = j.promotions.insertOrGet(newPromotion(1), NOW + 5)
    expect(first.created).toBe(true)
    expect(again).toEqual({ row: first.row, created: false })
    expect(j.promotions.list()).toHaveLength(1)
  })
  it.each([
    ['config_json', `'{"n":9}'`],
    ['content_hash', `'${'f'.repeat(64)}'`],
    ['strategy_id', `'swing'`],
    ['market', `'KRW-ETH'`],
    ['version', '7'],
    ['created_at_ms', '0'],
  ])('a trigger refuses UPDATE of %s', (column, value) => {
    const j = memoryJournal()
    j.promotions.insertOrGet(newPromotion(1), NOW)
    expect(() => j.db.exec(`UPDATE promotions SET ${column} = ${value} WHERE id = 1`)).toThrow(/promotions are immutable/)
    expect(j.promotions.get(1)).toMatchObject({ configJson: '{"n":1}', version: 1, market: 'KRW-BTC', strategyId: 'rsi' })
  })
  it('refuses DELETE, and un-retiring', () => {
    const j = memoryJournal()
    j.promotions.insertOrGet(newPromotion(1), NOW)
    expect(() => j.db.exec('DELETE FROM promotions WHERE id = 1')).toThrow(/never deleted/)
    j.promotions.retire(1, NOW)
    expect(() => j.db.exec('UPDATE promotions SET retired_at_ms = NULL WHERE id = 1')).toThrow(/stays retired/)
  })
  it('retire is idempotent (keeps the first time) and undefined for an unknown id', () => {
    const j = memoryJournal()
    j.promotions.insertOrGet(newPromotion(1), NOW)
    expect(j.promotions.retire(1, NOW + 1)?.retiredAtMs).toBe(NOW + 1)
    expect(j.promotions.retire(1, NOW + 2)?.retiredAtMs).toBe(NOW + 1)
    expect(j.promotions.retire(99, NOW)).toBeUndefined()
  })
})

describe('runs table', () => {
  it('a retired promotion cannot be started', () => {
    const j = memoryJournal()
    j.promotions.insertOrGet(newPromotion(1), NOW)
    j.promotions.retire(1, NOW)
    expect(() => j.runs.createRun({ id: 'r1', promotionId: 1, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)).toThrow(/retired/)
    expect(j.runs.getRun('r1')).toBeUndefined()
  })
  it('a run needs an existing promotion (foreign key) and an id usable in intent ids', () => {
    const j = memoryJournal()
    expect(() => j.runs.createRun({ id: 'r1', promotionId: 5, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)).toThrow(/FOREIGN KEY/)
    j.promotions.insertOrGet(newPromotion(1), NOW)
    expect(() => j.runs.createRun({ id: 'bad-id', promotionId: 1, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)).toThrow(/CHECK/)
    expect(j.runs.createRun({ id: 'ok_1', promotionId: 1, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)).toMatchObject({
      id: 'ok_1',
      status: 'starting',
      haltReason: null,
      createdAtMs: NOW,
    })
  })
  it('at most one active live run per market', () => {
    const j = memoryJournal()
    j.promotions.insertOrGet(newPromotion(1), NOW)
    const live = { promotionId: 1, venue: 'upbit', mode: 'live', market: 'KRW-BTC' } as const
    j.runs.createRun({ id: 'a', ...live }, NOW)
    expect(() => j.runs.createRun({ id: 'b', ...live }, NOW)).toThrow(/UNIQUE/)
    j.runs.createRun({ id: 'c', ...live, market: 'KRW-ETH' }, NOW)
    j.runs.createRun({ id: 'd', ...live, mode: 'paper' }, NOW)
    j.db.exec("UPDATE runs SET status = 'stopped' WHERE id = 'a'")
    j.runs.createRun({ id: 'e', ...live }, NOW)
  })
})

describe('recordOrderIntent', () => {
  it('writes the intent as pending_submit, with its deterministic id', () => {
    const j = journalWithRun()
    const intent = buyIntent(BAR)
    const r = j.orders.recordOrderIntent('r1', intent, NOW)
    expect(r.created).toBe(true)
    expect(r.sameIntent).toBe(true)
    expect(r.order).toMatchObject({
      id: intentId('r1', BAR, 0),
      runId: 'r1',
      kind: 'place',
      state: 'pending_submit',
      barTimeMs: BAR,
      venueUuid: null,
    })
    // NaN ("not applicable") is stored as NULL, in the columns and in the JSON.
    expect(j.db.prepare('SELECT price, qty_base AS q, quote_amount AS qa FROM orders').get()).toEqual({
      price: 100_000_000,
      q: 0.001,
      qa: null,
    })
    expect(JSON.parse(r.order.intentJson)).toMatchObject({ quoteAmount: null, stopLossPrice: null })
  })
  it('a replay (same id) never duplicates: it returns the stored row', () => {
    const j = journalWithRun()
    const first = j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    j.db.exec("UPDATE orders SET state = 'open', venue_uuid = 'u-1'")
    const again = j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW + 60_000)
    expect(again.created).toBe(false)
    expect(again.sameIntent).toBe(true)
    expect(again.order).toMatchObject({ state: 'open', venueUuid: 'u-1', createdAtMs: first.order.createdAtMs })
    expect(j.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1 })
  })
  it('a replay that decides differently under the same id is reported, and the first intent kept', () => {
    const j = journalWithRun()
    j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    const other = j.orders.recordOrderIntent('r1', buyIntent(BAR, { price: 99_000_000 }), NOW)
    expect(other).toMatchObject({ created: false, sameIntent: false })
    expect(JSON.parse(other.order.intentJson)).toMatchObject({ price: 100_000_000 })
  })
  it('records cancel intents; a malformed intent is an error, never taken for a replay', () => {
    const j = journalWithRun()
    const target = intentId('r1', BAR, 0)
    const cancel = { kind: 'cancel', id: intentId('r1', BAR + 900_000, 1), targetId: target, barTimeMs: BAR + 900_000 } as const
    expect(j.orders.recordOrderIntent('r1', cancel, NOW).order).toMatchObject({ kind: 'cancel', state: 'pending_submit' })
    // An unknown run breaks the foreign key; a bad side breaks a CHECK: both throw.
    expect(() => j.orders.recordOrderIntent('nope', buyIntent(BAR + 1), NOW)).toThrow(/FOREIGN KEY/)
    expect(() => j.orders.recordOrderIntent('r1', buyIntent(BAR + 2, { side: 'hold' as 'buy' }), NOW)).toThrow(/CHECK/)
  })
})

describe('recordFill', () => {
  const fill = (tradeUuid: string, volume = 0.0005) =>
    ({
      tradeUuid,
      orderId: intentId('r1', BAR, 0),
      runId: 'r1',
      side: 'buy',
      price: 100_000_000,
      volume,
      feeQuote: 25,
      timeMs: BAR + 60_000,
      source: 'ws',
    }) as const

  it('is new once per trade uuid; the same trade again (WebSocket, then REST) is ignored', () => {
    const j = journalWithRun()
    j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    expect(j.fills.recordFill(fill('t-1'), NOW)).toBe(true)
    expect(j.fills.recordFill({ ...fill('t-1'), source: 'rest' }, NOW + 1)).toBe(false)
    expect(j.fills.recordFill(fill('t-2'), NOW)).toBe(true)
    const rows = j.fills.fillsOfOrder(intentId('r1', BAR, 0))
    expect(rows.map((r) => [r.tradeUuid, r.source])).toEqual([
      ['t-1', 'ws'],
      ['t-2', 'ws'],
    ])
  })
  it('a malformed fill or one for an unknown order throws instead of counting as a duplicate', () => {
    const j = journalWithRun()
    j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    expect(() => j.fills.recordFill(fill('t-1', 0), NOW)).toThrow(/CHECK/)
    expect(() => j.fills.recordFill({ ...fill('t-2'), orderId: 'missing' }, NOW)).toThrow(/FOREIGN KEY/)
  })
  it('a fill and the order update commit together or not at all', () => {
    const j = journalWithRun()
    j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    expect(() =>
      j.transaction(() => {
        j.fills.recordFill(fill('t-1'), NOW)
        j.db.exec("UPDATE orders SET state = 'filled'")
        throw new Error('crash before commit')
      }),
    ).toThrow('crash before commit')
    expect(j.fills.fillsOfOrder(intentId('r1', BAR, 0))).toEqual([])
    expect(j.orders.getOrder(intentId('r1', BAR, 0))?.state).toBe('pending_submit')
    // Repository calls nest inside a transaction (savepoints).
    j.transaction(() => {
      j.orders.recordOrderIntent('r1', buyIntent(BAR + 900_000), NOW)
      j.fills.recordFill(fill('t-3'), NOW)
    })
    expect(j.fills.fillsOfOrder(intentId('r1', BAR, 0))).toHaveLength(1)
  })
})

describe('events', () => {
  it('appendEvent returns increasing seqs; eventsAfter pages through them in order', () => {
    const j = journalWithRun()
    const seqs = Array.from({ length: 5 }, (_, i) => j.events.appendEvent({ timeMs: NOW + i, kind: 'fill', runId: 'r1', payload: { i } }))
    expect(seqs).toEqual([1, 2, 3, 4, 5])
    expect(j.events.lastSeq()).toBe(5)
    expect(j.events.eventsAfter(0, 2).map((e) => e.seq)).toEqual([1, 2])
    expect(j.events.eventsAfter(2, 100)).toEqual(
      [2, 3, 4].map((i) => ({ seq: i + 1, timeMs: NOW + i, kind: 'fill', runId: 'r1', payload: { i } })),
    )
    expect(j.events.eventsAfter(5, 10)).toEqual([])
    expect(j.events.appendEvent({ timeMs: NOW, kind: 'status', payload: {} })).toBe(6)
    expect(j.events.eventsAfter(5, 1)[0]).toMatchObject({ runId: null, kind: 'status' })
  })
  it('a seq is never reused, even after old events are pruned', () => {
    const j = journalWithRun()
    for (let i = 0; i < 3; i++) j.events.appendEvent({ timeMs: NOW, kind: 'status', payload: {} })
    j.db.exec('DELETE FROM events')
    expect(j.events.lastSeq()).toBe(3)
    expect(j.events.appendEvent({ timeMs: NOW, kind: 'status', payload: {} })).toBe(4)
  })
  it('refuses bad page arguments', () => {
    const j = memoryJournal()
    expect(() => j.events.eventsAfter(-1, 10)).toThrow(RangeError)
    expect(() => j.events.eventsAfter(0, 0)).toThrow(RangeError)
    expect(() => j.events.eventsAfter(0, 10_001)).toThrow(RangeError)
  })
})

describe('durability across reopen', () => {
  it('what was committed is there after closing and opening again', () => {
    const path = tempJournalPath()
    const j = journalWithRun(openJournal(path, { nowMs: () => NOW }))
    j.orders.recordOrderIntent('r1', buyIntent(BAR), NOW)
    j.events.appendEvent({ timeMs: NOW, kind: 'order', runId: 'r1', payload: { id: intentId('r1', BAR, 0) } })
    j.close()
    const again = openJournal(path)
    expect(again.orders.recordOrderIntent('r1', buyIntent(BAR), NOW).created).toBe(false)
    expect(again.events.lastSeq()).toBe(1)
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok')
    again.close()
  })
})
