// Run events: appended to the journal's events table FIRST (that gives the seq), then published
// to live listeners (the stream). A listener that throws is dropped from nothing and breaks
// nothing: publishing is best-effort, the journal is the record a client catches up from.
import type { EventRow, Journal } from '../journal/index.ts'

export type RunEventKind =
  'status' | 'order_submitted' | 'order_accepted' | 'order_cancelled' | 'order_rejected' | 'fill' | 'position' | 'equity' | 'halt' | 'error'

export type EventListener = (e: EventRow) => void

export interface EventLog {
  append(kind: RunEventKind, runId: string, timeMs: number, payload: Readonly<Record<string, unknown>>): EventRow
  subscribe(l: EventListener): () => void
  /**
   * Runs `fn` in one journal transaction (one commit, one fsync, for everything it writes) and
   * publishes the events it appended only after the commit, in order; if `fn` throws, nothing is
   * committed and nothing is published. Nested calls join the outer one.
   */
  atomically<T>(fn: () => T): T
}

export function createEventLog(journal: Journal, onListenerError: (e: unknown) => void = () => {}): EventLog {
  const listeners = new Set<EventListener>()
  let held: EventRow[] | null = null
  const publish = (row: EventRow): void => {
    for (const l of listeners) {
      try {
        l(row)
      } catch (e) {
        onListenerError(e)
      }
    }
  }
  return {
    append(kind, runId, timeMs, payload) {
      const seq = journal.events.appendEvent({ timeMs, kind, runId, payload })
      const row: EventRow = { seq, timeMs, kind, runId, payload }
      if (held !== null) held.push(row)
      else publish(row)
      return row
    },
    atomically(fn) {
      if (held !== null) return fn()
      held = []
      let rows: EventRow[] = []
      try {
        const out = journal.transaction(fn)
        rows = held
        return out
      } finally {
        held = null
        for (const r of rows) publish(r)
      }
    },
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
  }
}
