// Opening the journal: the pragmas that make every commit durable (read back from SQLite), the
// private modes of its folder and files, and the numbered migrations (idempotent; a journal from
// a newer or another edge is refused with a clear error).
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { IN_MEMORY, JournalError, MIGRATIONS, openJournal, type Journal, type Migration } from '../../../edge/journal/index.ts'
import { NOW, tempJournalPath } from './fixtures.ts'

const opened: Journal[] = []
function open(path: string, migrations?: readonly Migration[]): Journal {
  const j = openJournal(path, { nowMs: () => NOW, ...(migrations ? { migrations } : {}) })
  opened.push(j)
  return j
}
afterEach(() => {
  for (const j of opened.splice(0)) if (j.db.open) j.close()
})

const mode = (path: string): number => statSync(path).mode & 0o777
const tables = (j: Journal): string[] =>
  (
    j.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

describe('pragmas', () => {
  it('a file journal runs in WAL mode with synchronous=FULL and foreign keys on', () => {
    const j = open(tempJournalPath())
    expect(j.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(j.db.pragma('synchronous', { simple: true })).toBe(2) // 2 = FULL
    expect(j.db.pragma('foreign_keys', { simple: true })).toBe(1)
  })
  it('synchronous and foreign keys are set again on every open (they are per connection)', () => {
    const path = tempJournalPath()
    open(path).close()
    const j = open(path)
    expect(j.db.pragma('synchronous', { simple: true })).toBe(2)
    expect(j.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(j.db.pragma('journal_mode', { simple: true })).toBe('wal')
  })
  it('an in-memory journal (tests) has the same schema and foreign keys', () => {
    const j = open(IN_MEMORY)
    expect(j.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(tables(j)).toEqual(['equity_points', 'events', 'fills', 'orders', 'promotions', 'runs', 'schema_migrations', 'strategy_sources'])
  })
})

describe('file modes', () => {
  it('creates the folder 0700 and the database, -wal and -shm files 0600', () => {
    const base = mkdtempSync(join(tmpdir(), 'edge-journal-'))
    const path = join(base, 'new', 'deeper', 'journal.sqlite')
    const j = open(path)
    j.events.appendEvent({ timeMs: NOW, kind: 'status', payload: {} }) // makes the -wal grow
    expect(mode(join(base, 'new', 'deeper'))).toBe(0o700)
    expect(mode(path)).toBe(0o600)
    expect(mode(`${path}-wal`)).toBe(0o600)
    expect(mode(`${path}-shm`)).toBe(0o600)
  })
  it('tightens a loose -wal left from before', () => {
    const path = tempJournalPath()
    open(path).close()
    writeFileSync(`${path}-wal`, '', { mode: 0o644 })
    chmodSync(`${path}-wal`, 0o644)
    open(path)
    expect(mode(`${path}-wal`)).toBe(0o600)
  })
  it('refuses a folder that others can access, saying how to fix it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-journal-'))
    chmodSync(dir, 0o755)
    const path = join(dir, 'journal.sqlite')
    expect(() => open(path)).toThrow(JournalError)
    expect(() => open(path)).toThrow(`chmod 700 ${dir}`)
  })
  it('refuses a database file that others can read, saying how to fix it', () => {
    const path = tempJournalPath()
    open(path).close()
    chmodSync(path, 0o644)
    expect(() => open(path)).toThrow(`chmod 600 ${path}`)
  })
})

describe('migrations', () => {
  it('applies the known migrations once and records them', () => {
    const j = open(tempJournalPath())
    expect(j.schemaVersion).toBe(MIGRATIONS.length)
    expect(j.db.prepare('SELECT version, name, applied_at_ms AS at FROM schema_migrations').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name, at: NOW })),
    )
  })
  it('migrating twice is a no-op: same schema, same rows, data kept', () => {
    const path = tempJournalPath()
    const first = open(path)
    first.events.appendEvent({ timeMs: NOW, kind: 'status', payload: { a: 1 } })
    const schema = first.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()
    first.close()
    const second = openJournal(path, { nowMs: () => NOW + 1 })
    opened.push(second)
    expect(second.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema)
    expect(second.db.prepare('SELECT COUNT(*) AS n, MAX(applied_at_ms) AS at FROM schema_migrations').get()).toEqual({
      n: MIGRATIONS.length,
      at: NOW,
    })
    expect(second.events.eventsAfter(0, 10)).toHaveLength(1)
  })
  it('applies only the new migrations of a later edge', () => {
    const path = tempJournalPath()
    open(path).close()
    const later = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER) STRICT' }]
    const j = open(path, later)
    expect(j.schemaVersion).toBe(later.length)
    expect(tables(j)).toContain('extra')
  })
  it('a journal from a newer edge refuses to open, with a clear error', () => {
    const path = tempJournalPath()
    const later = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'from-the-future', sql: 'CREATE TABLE future (x INTEGER) STRICT' },
    ]
    open(path, later).close()
    expect(() => open(path)).toThrow(JournalError)
    const n = MIGRATIONS.length
    expect(() => open(path)).toThrow(new RegExp(`schema is version ${n + 1}, newer than this edge knows \\(${n}\\)`))
  })
  it('a journal whose migration names differ (another edge) refuses to open', () => {
    const path = tempJournalPath()
    open(path).close()
    const db = new Database(path)
    db.prepare("UPDATE schema_migrations SET name = 'someone-else' WHERE version = 1").run()
    db.close()
    expect(() => open(path)).toThrow(/migration 1 'someone-else' is not this edge's/)
  })
  it('a failing migration leaves nothing half-applied', () => {
    const path = tempJournalPath()
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE ok_part (x INTEGER); NOT SQL' }]
    expect(() => open(path, broken)).toThrow()
    const j = open(path)
    expect(tables(j)).not.toContain('ok_part')
    expect(j.schemaVersion).toBe(MIGRATIONS.length)
  })
  it('a misnumbered migration list is a bug and throws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-journal-'))
    mkdirSync(join(dir, 'x'), { mode: 0o700 })
    expect(() => open(join(dir, 'x', 'j.sqlite'), [{ version: 2, name: 'two', sql: '' }])).toThrow(/numbered 1, 2, 3/)
  })
})
