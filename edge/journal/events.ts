// The event log behind the stream: every persisted event gets the next `seq`; a client that
// reconnects with its last seq reads everything after it, in order, nothing twice.
import type Database from 'better-sqlite3'

export interface NewEvent {
  readonly timeMs: number
  readonly kind: string
  readonly runId?: string
  /** Event fields besides seq, time, kind and runId (JSON-serialisable). */
  readonly payload: Readonly<Record<string, unknown>>
}

export interface EventRow {
  readonly seq: number
  readonly timeMs: number
  readonly kind: string
  readonly runId: string | null
  readonly payload: Readonly<Record<string, unknown>>
}

export interface EventRepo {
  /** Appends and returns the event's seq. */
  appendEvent(e: NewEvent): number
  /** Events with seq > `seq`, ascending, at most `limit` (1 … MAX_EVENTS_PAGE). */
  eventsAfter(seq: number, limit: number): EventRow[]
  /** The highest seq so far (0 when empty). */
  lastSeq(): number
}

export const MAX_EVENTS_PAGE = 10_000

interface StoredEvent {
  readonly seq: number
  readonly timeMs: number
  readonly kind: string
  readonly runId: string | null
  readonly payloadJson: string
}

export function eventRepo(db: Database.Database): EventRepo {
  const insert = db.prepare('INSERT INTO events (time_ms, kind, run_id, payload_json) VALUES (?, ?, ?, ?)')
  const after = db.prepare<[number, number], StoredEvent>(
    'SELECT seq, time_ms AS timeMs, kind, run_id AS runId, payload_json AS payloadJson FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
  )
  // sqlite_sequence keeps the highest seq ever handed out, also after old events are pruned.
  const last = db.prepare<[], { seq: number }>("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS seq")
  return {
    appendEvent: (e) => Number(insert.run(e.timeMs, e.kind, e.runId ?? null, JSON.stringify(e.payload)).lastInsertRowid),
    eventsAfter(seq, limit) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative integer, got ${seq}`)
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE)
        throw new RangeError(`limit must be 1–${MAX_EVENTS_PAGE}, got ${limit}`)
      return after
        .all(seq, limit)
        .map(({ payloadJson, ...rest }) => ({ ...rest, payload: JSON.parse(payloadJson) as Record<string, unknown> }))
    },
    lastSeq: () => last.get()!.seq,
  }
}
