// The runs table: create, read, list, and the status changes of the runner (running, halted with
// a reason, stopped). The table's constraints hold the rules that must survive any code: no run
// from a retired promotion, one active live run per market.
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
  /** Open time of the first bar the run decides on (earlier bars are warm-up); null before it starts. */
  readonly startBarMs: number | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

export interface RunRepo {
  /** Inserts a run in status 'starting'; throws when the promotion is retired or missing. */
  createRun(run: NewRun, nowMs: number): RunRow
  getRun(id: string): RunRow | undefined
  /** Every run, newest first. */
  listRuns(): RunRow[]
  /** Runs a restart must pick up again: not stopped (halted ones stay halted, but are loaded). */
  activeRuns(): RunRow[]
  /** Sets the status (and the halt reason: null clears it); undefined when there is no such run. */
  setStatus(id: string, status: RunStatus, haltReason: string | null, nowMs: number): RunRow | undefined
  /** Records the first decided bar once; a second call keeps the first. */
  setStartBar(id: string, startBarMs: number, nowMs: number): void
}

const COLUMNS = `id, promotion_id AS promotionId, venue, mode, market, status, halt_reason AS haltReason,
  start_bar_ms AS startBarMs, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs`

export function runRepo(db: Database.Database): RunRepo {
  const insert = db.prepare(
    `INSERT INTO runs (id, promotion_id, venue, mode, market, status, created_at_ms, updated_at_ms)
     VALUES (@id, @promotionId, @venue, @mode, @market, 'starting', @nowMs, @nowMs)`,
  )
  const byId = db.prepare<[string], RunRow>(`SELECT ${COLUMNS} FROM runs WHERE id = ?`)
  const all = db.prepare<[], RunRow>(`SELECT ${COLUMNS} FROM runs ORDER BY created_at_ms DESC, id DESC`)
  const active = db.prepare<[], RunRow>(`SELECT ${COLUMNS} FROM runs WHERE status <> 'stopped' ORDER BY created_at_ms, id`)
  const status = db.prepare('UPDATE runs SET status = ?, halt_reason = ?, updated_at_ms = ? WHERE id = ?')
  const start = db.prepare('UPDATE runs SET start_bar_ms = ?, updated_at_ms = ? WHERE id = ? AND start_bar_ms IS NULL')
  return {
    createRun(run, nowMs) {
      insert.run({ ...run, nowMs })
      return byId.get(run.id)!
    },
    getRun: (id) => byId.get(id),
    listRuns: () => all.all(),
    activeRuns: () => active.all(),
    setStatus(id, s, haltReason, nowMs) {
      status.run(s, haltReason, nowMs, id)
      return byId.get(id)
    },
    setStartBar(id, startBarMs, nowMs) {
      start.run(startBarMs, nowMs, id)
    },
  }
}
