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
}

export function createEventLog(journal: Journal, onListenerError: (e: unknown) => void = () => {}): EventLog {
  const listeners = new Set<EventListener>()
  return {
    append(kind, runId, timeMs, payload) {
      const seq = journal.events.appendEvent({ timeMs, kind, runId, payload })
      const row: EventRow = { seq, timeMs, kind, runId, payload }
      for (const l of listeners) {
        try {
          l(row)
        } catch (e) {
          onListenerError(e)
        }
      }
      return row
    },
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
  }
}
