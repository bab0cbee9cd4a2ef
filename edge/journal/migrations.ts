// Numbered schema migrations of the journal, applied in order at open inside one IMMEDIATE
// transaction (so two processes opening the same file cannot both apply one). Each applied
// migration is recorded in `schema_migrations` with its name: a journal whose recorded versions
// go past the last one this edge knows, or whose names differ from ours, was written by another
// edge and is refused rather than guessed at. A migration is never edited once released: a change
// is a new migration appended to the list.
import type Database from 'better-sqlite3'
import { JournalError } from './errors.ts'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

// v1: every table of issue 8's journal. Notes on the choices:
// - STRICT tables: a wrong type is an error, not a silently coerced value.
// - promotions are immutable: triggers refuse an UPDATE of any config column and any DELETE;
//   retired_at_ms may go from NULL to a time once and never back.
// - runs cannot be created for a retired promotion (trigger), and at most one live run per
//   market is active (partial unique index); orders reference runs, fills reference orders.
// - orders.id is the engine's deterministic intent id (also Upbit's `identifier`): the row is
//   written before the request is sent, and a replayed decision finds it instead of adding one.
// - fills are unique by the venue's trade uuid, so a trade seen twice (WebSocket and REST) is one row.
// - events.seq is AUTOINCREMENT: never reused, even after old events are pruned, so a stream
//   client's last seq always means the same event.
const V1_INITIAL = `
CREATE TABLE promotions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  strategy_id      TEXT    NOT NULL,
  strategy_version INTEGER NOT NULL CHECK (strategy_version >= 1),
  market           TEXT    NOT NULL,
  timeframe        TEXT    NOT NULL,
  version          INTEGER NOT NULL CHECK (version >= 1),
  config_json      TEXT    NOT NULL CHECK (json_valid(config_json)),
  content_hash     TEXT    NOT NULL UNIQUE CHECK (length(content_hash) = 64),
  created_at_ms    INTEGER NOT NULL,
  retired_at_ms    INTEGER,
  UNIQUE (strategy_id, market, version)
) STRICT;

CREATE TRIGGER promotions_config_immutable
BEFORE UPDATE OF id, strategy_id, strategy_version, market, timeframe, version, config_json, content_hash, created_at_ms ON promotions
BEGIN
  SELECT RAISE(ABORT, 'promotions are immutable: a new config is a new promotion');
END;

CREATE TRIGGER promotions_retire_once
BEFORE UPDATE OF retired_at_ms ON promotions
WHEN OLD.retired_at_ms IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a retired promotion stays retired');
END;

CREATE TRIGGER promotions_no_delete
BEFORE DELETE ON promotions
BEGIN
  SELECT RAISE(ABORT, 'promotions are never deleted (retire them)');
END;

CREATE TABLE runs (
  id            TEXT    PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40 AND id NOT GLOB '*[^A-Za-z0-9_]*'),
  promotion_id  INTEGER NOT NULL REFERENCES promotions (id),
  venue         TEXT    NOT NULL CHECK (venue IN ('upbit', 'sim')),
  mode          TEXT    NOT NULL CHECK (mode IN ('paper', 'live')),
  market        TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('starting', 'running', 'halted', 'stopping', 'stopped')),
  halt_reason   TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX runs_one_live_per_market ON runs (market) WHERE mode = 'live' AND status <> 'stopped';
CREATE INDEX runs_by_promotion ON runs (promotion_id);

CREATE TRIGGER runs_not_from_retired
BEFORE INSERT ON runs
WHEN (SELECT retired_at_ms FROM promotions WHERE id = NEW.promotion_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'the promotion is retired: it cannot be started');
END;

CREATE TABLE orders (
  id            TEXT    PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  run_id        TEXT    NOT NULL REFERENCES runs (id),
  kind          TEXT    NOT NULL CHECK (kind IN ('place', 'cancel')),
  side          TEXT    CHECK (side IN ('buy', 'sell')),
  type          TEXT    CHECK (type IN ('market', 'limit')),
  price         REAL,
  qty_base      REAL,
  quote_amount  REAL,
  target_id     TEXT,
  bar_time_ms   INTEGER NOT NULL,
  intent_json   TEXT    NOT NULL CHECK (json_valid(intent_json)),
  state         TEXT    NOT NULL DEFAULT 'pending_submit'
                CHECK (state IN ('pending_submit', 'open', 'unknown', 'rejected', 'not_placed', 'filled', 'cancelled', 'done')),
  venue_uuid    TEXT    UNIQUE,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  CHECK ((kind = 'place' AND side IS NOT NULL AND type IS NOT NULL) OR (kind = 'cancel' AND target_id IS NOT NULL))
) STRICT;

CREATE INDEX orders_by_run ON orders (run_id, bar_time_ms);

CREATE TABLE fills (
  trade_uuid     TEXT    PRIMARY KEY,
  order_id       TEXT    NOT NULL REFERENCES orders (id),
  run_id         TEXT    NOT NULL REFERENCES runs (id),
  side           TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  price          REAL    NOT NULL CHECK (price > 0),
  volume         REAL    NOT NULL CHECK (volume > 0),
  fee_quote      REAL    NOT NULL CHECK (fee_quote >= 0),
  time_ms        INTEGER NOT NULL,
  source         TEXT    NOT NULL CHECK (source IN ('ws', 'rest', 'paper')),
  recorded_at_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX fills_by_order ON fills (order_id);
CREATE INDEX fills_by_run ON fills (run_id, time_ms);

CREATE TABLE events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms      INTEGER NOT NULL,
  kind         TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
  run_id       TEXT    REFERENCES runs (id),
  payload_json TEXT    NOT NULL CHECK (json_valid(payload_json))
) STRICT;

CREATE TABLE equity_points (
  run_id        TEXT    NOT NULL REFERENCES runs (id),
  time_ms       INTEGER NOT NULL,
  equity_quote  REAL    NOT NULL,
  cash_quote    REAL    NOT NULL,
  position_base REAL    NOT NULL,
  PRIMARY KEY (run_id, time_ms)
) STRICT, WITHOUT ROWID;
`

// v2: what the runner needs to rebuild a paper run after a restart: the open time of the run's
// first decided bar (bars before it are warm-up), and when its status last changed (runs keep
// updated_at_ms for that). Nullable: a run created but never started has no first bar yet.
const V2_RUN_START = `
ALTER TABLE runs ADD COLUMN start_bar_ms INTEGER;
CREATE INDEX events_by_run ON events (run_id, seq);
`

// v3: what a live run needs to rebuild its books after a restart. A venue order's fills are booked
// into the run's state at one bar's settle (the first one after the order ended at the venue as
// edge learned it); that bar is recorded so a replay books them at the same bar and so decides
// the same. exit_reason: the engine's exit code of a sell (protective exits are market sells).
const V3_LIVE_BOOKING = `
ALTER TABLE orders ADD COLUMN booked_bar_ms INTEGER;
CREATE INDEX orders_unresolved ON orders (run_id) WHERE state IN ('pending_submit', 'open', 'unknown');
`

// v4: user strategies (issue 10). A promoted user strategy's source is stored once under the
// SHA-256 of its text and never changed or deleted: a promotion names the hash, and the runner
// runs exactly that text.
const V4_STRATEGY_SOURCES = `
CREATE TABLE strategy_sources (
  hash          TEXT    PRIMARY KEY CHECK (length(hash) = 64),
  strategy_id   TEXT    NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  source        TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL
) STRICT;
CREATE TRIGGER strategy_sources_immutable BEFORE UPDATE ON strategy_sources
BEGIN
  SELECT RAISE(ABORT, 'strategy sources are immutable: an edit is a new hash');
END;
CREATE TRIGGER strategy_sources_no_delete BEFORE DELETE ON strategy_sources
BEGIN
  SELECT RAISE(ABORT, 'strategy sources are never deleted');
END;
`

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: V1_INITIAL },
  { version: 2, name: 'run-start', sql: V2_RUN_START },
  { version: 3, name: 'live-booking', sql: V3_LIVE_BOOKING },
  { version: 4, name: 'strategy-sources', sql: V4_STRATEGY_SOURCES },
]

const TRACKING_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version       INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  applied_at_ms INTEGER NOT NULL
) STRICT`

/** A list that is not 1, 2, 3, … is a bug in this file, not a user problem. */
function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`journal migrations must be numbered 1, 2, 3, …; found ${m.version} at position ${i + 1}`)
  })
}

export interface MigrationReport {
  /** The schema version after migrating. */
  readonly version: number
  /** Versions applied by this call (empty when the journal was already current). */
  readonly applied: readonly number[]
}

/** Brings the journal to the last known version; throws JournalError for a journal from another edge. */
export function migrate(db: Database.Database, nowMs: number, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  checkList(migrations)
  const latest = migrations.length
  const run = db.transaction((): number[] => {
    db.exec(TRACKING_TABLE)
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[]
    const newest = rows.at(-1)?.version ?? 0
    if (newest > latest) {
      throw new JournalError(
        `the journal's schema is version ${newest}, newer than this edge knows (${latest}): run the edge that wrote it, or point DATA_DIR at another directory`,
      )
    }
    for (const r of rows) {
      const known = migrations[r.version - 1]
      if (known === undefined || known.name !== r.name) {
        throw new JournalError(`the journal's migration ${r.version} '${r.name}' is not this edge's: it was written by another edge`)
      }
    }
    const done = new Set(rows.map((r) => r.version))
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)')
    const applied: number[] = []
    for (const m of migrations) {
      if (done.has(m.version)) continue
      db.exec(m.sql)
      record.run(m.version, m.name, nowMs)
      applied.push(m.version)
    }
    return applied
  })
  return { version: latest, applied: run.immediate() }
}
