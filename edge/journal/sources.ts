// Promoted user-strategy sources, content-addressed (SHA-256 of the text) and immutable.
import type Database from 'better-sqlite3'

export interface SourceRow {
  readonly hash: string
  readonly strategyId: string
  readonly version: number
  readonly source: string
  readonly createdAtMs: number
}

export interface SourceRepo {
  /** Stores the source under its hash once; the same text again changes nothing. */
  put(row: Omit<SourceRow, 'createdAtMs'>, nowMs: number): void
  get(hash: string): SourceRow | undefined
}

export function sourceRepo(db: Database.Database): SourceRepo {
  const insert = db.prepare(
    `INSERT INTO strategy_sources (hash, strategy_id, version, source, created_at_ms) VALUES (@hash, @strategyId, @version, @source, @nowMs)
     ON CONFLICT (hash) DO NOTHING`,
  )
  const byHash = db.prepare<[string], SourceRow>(
    'SELECT hash, strategy_id AS strategyId, version, source, created_at_ms AS createdAtMs FROM strategy_sources WHERE hash = ?',
  )
  return {
    put: (row, nowMs) => void insert.run({ ...row, nowMs }),
    get: (hash) => byHash.get(hash),
  }
}
