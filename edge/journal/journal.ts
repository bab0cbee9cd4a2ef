// Opens edge's SQLite journal (design §5, reliability REC-1): better-sqlite3 with WAL and
// synchronous=FULL (the only embedded setting measured to fsync every commit, stack.md §7),
// foreign keys on, private files, and the schema migrated to this edge's version. Each table has
// a small repository of prepared statements; several writes that must land together (a fill, its
// order's state, the position) go through `transaction`.
import Database from 'better-sqlite3'
import { equityRepo, type EquityRepo } from './equity.ts'
import { sourceRepo, type SourceRepo } from './sources.ts'
import { JournalError } from './errors.ts'
import { eventRepo, type EventRepo } from './events.ts'
import { prepareJournalFiles, tightenSideFiles } from './files.ts'
import { migrate, MIGRATIONS, type Migration } from './migrations.ts'
import { fillRepo, orderRepo, type FillRepo, type OrderRepo } from './orders.ts'
import { promotionRepo, type PromotionRepo } from './promotions.ts'
import { runRepo, type RunRepo } from './runs.ts'

/** Opens a private in-memory journal (tests): no files, no WAL. */
export const IN_MEMORY = ':memory:'

export interface Journal {
  /** The database file, or ':memory:'. */
  readonly path: string
  /** Schema version after opening. */
  readonly schemaVersion: number
  readonly promotions: PromotionRepo
  readonly runs: RunRepo
  readonly orders: OrderRepo
  readonly fills: FillRepo
  readonly events: EventRepo
  readonly equity: EquityRepo
  /** Promoted user-strategy sources by hash (immutable). */
  readonly sources: SourceRepo
  /** Runs fn in one IMMEDIATE transaction (all of its writes commit together, or none). */
  transaction<T>(fn: () => T): T
  /** The connection, for reads the repositories do not cover (pragmas, tests, the bench). */
  readonly db: Database.Database
  close(): void
}

export interface OpenJournalOptions {
  /** Time stamped on applied migrations (default Date.now). */
  readonly nowMs?: () => number
  /** Migration list (tests use longer ones to make a journal "from a newer edge"). */
  readonly migrations?: readonly Migration[]
}

function pragmaValue(db: Database.Database, name: string): unknown {
  return db.pragma(name, { simple: true })
}

function configure(db: Database.Database, inMemory: boolean): void {
  // journal_mode must be set outside a transaction; it persists in the file, but synchronous and
  // foreign_keys are per connection, so they are set on every open and read back.
  const mode = db.pragma('journal_mode = WAL', { simple: true })
  if (!inMemory && mode !== 'wal') throw new JournalError(`could not switch the journal to WAL (journal_mode is ${String(mode)})`)
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  // A second connection (the bench, an inspection) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000')
  if (pragmaValue(db, 'synchronous') !== 2) throw new JournalError('could not set synchronous=FULL on the journal')
  if (pragmaValue(db, 'foreign_keys') !== 1) throw new JournalError('could not turn on foreign keys in the journal')
}

export function openJournal(path: string, o: OpenJournalOptions = {}): Journal {
  const inMemory = path === IN_MEMORY
  if (!inMemory) prepareJournalFiles(path)
  const db = new Database(path)
  try {
    configure(db, inMemory)
    const { version } = migrate(db, (o.nowMs ?? Date.now)(), o.migrations ?? MIGRATIONS)
    if (!inMemory) tightenSideFiles(path)
    return {
      path,
      schemaVersion: version,
      promotions: promotionRepo(db),
      runs: runRepo(db),
      orders: orderRepo(db),
      fills: fillRepo(db),
      events: eventRepo(db),
      equity: equityRepo(db),
      sources: sourceRepo(db),
      transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
      db,
      close: () => db.close(),
    }
  } catch (e) {
    db.close()
    throw e
  }
}
