// The runs table, as far as this slice needs it: create and read. The runner slice adds status
// changes (halt, stop) on top; the table's constraints already hold the rules that must survive
// any code: no run from a retired promotion, one active live run per market.
import type Database from 'better-sqlite3'

export type RunVenue = 'upbit' | 'sim'
export type RunMode = 'paper' | 'live'
export type RunStatus = 'starting' | 'running' | 'halted' | 'stopping' | 'stopped'

export interface NewRun {
  /** 1–40 letters, digits or _ (it prefixes the engine's intent ids). */
  readonly id: string
  readonly promotionId: number
  readonly venue: RunVenue
  readonly mode: RunMode
  readonly market: string
}

export interface RunRow extends NewRun {
  readonly status: RunStatus
  readonly haltReason: string | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

export interface RunRepo {
  /** Inserts a run in status 'starting'; throws when the promotion is retired or missing. */
  createRun(run: NewRun, nowMs: number): RunRow
  getRun(id: string): RunRow | undefined
}

export function runRepo(db: Database.Database): RunRepo {
  const insert = db.prepare(
    `INSERT INTO runs (id, promotion_id, venue, mode, market, status, created_at_ms, updated_at_ms)
     VALUES (@id, @promotionId, @venue, @mode, @market, 'starting', @nowMs, @nowMs)`,
  )
  const byId = db.prepare<[string], RunRow>(
    `SELECT id, promotion_id AS promotionId, venue, mode, market, status, halt_reason AS haltReason,
       created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs FROM runs WHERE id = ?`,
  )
  return {
    createRun(run, nowMs) {
      insert.run({ ...run, nowMs })
      return byId.get(run.id)!
    },
    getRun: (id) => byId.get(id),
  }
}
