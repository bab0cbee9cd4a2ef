// The event log: appended to the journal first, published to listeners after; inside
// `atomically`, everything commits together and is published only after the commit (nothing on
// a throw, and the journal keeps none of it).
import { describe, expect, it } from 'vitest'
import { createEventLog } from '../../../edge/runner/event-log.ts'
import { journalWithRun } from '../journal/fixtures.ts'

describe('event log', () => {
  it('publishes after the commit, in order, and nothing when the block throws', () => {
    const journal = journalWithRun()
    const log = createEventLog(journal)
    const seen: number[] = []
    log.subscribe((e) => seen.push(e.seq))
    log.append('status', 'r1', 1, { status: 'running' })
    expect(seen).toEqual([1])
    const out = log.atomically(() => {
      log.append('equity', 'r1', 2, { equity: 1 })
      log.atomically(() => log.append('equity', 'r1', 3, { equity: 2 }))
      // Not yet published: the transaction is open.
      expect(seen).toEqual([1])
      return 'done'
    })
    expect(out).toBe('done')
    expect(seen).toEqual([1, 2, 3])
    expect(() =>
      log.atomically(() => {
        log.append('equity', 'r1', 4, { equity: 3 })
        throw new Error('halt')
      }),
    ).toThrow('halt')
    expect(seen).toEqual([1, 2, 3])
    expect(journal.events.eventsAfter(0, 100).map((e) => e.seq)).toEqual([1, 2, 3])
    log.append('status', 'r1', 5, { status: 'halted' })
    expect(seen.at(-1)).toBe(journal.events.lastSeq())
  })
})
