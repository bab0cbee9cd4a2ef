// The journal's files are private: orders, fills and configs are nobody else's business. Its
// folder is created 0700 and the database file 0600 before SQLite opens it; SQLite creates the
// -wal and -shm files with the database file's permissions, and we tighten them again after
// opening in case an older copy was left looser. A folder or database file that others can
// already read is refused with the command that fixes it (as for .env and the token file):
// changing modes behind the user's back would hide that the data was exposed.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { isOpenToOthers } from '../config/errors.ts'
import { JournalError } from './errors.ts'

const CHECK_MODES = process.platform !== 'win32'

/** SQLite's side files of a WAL database. */
export const sideFiles = (path: string): readonly string[] => [`${path}-wal`, `${path}-shm`]

function refuseIfOpen(path: string, what: string, fix: string): void {
  if (!CHECK_MODES) return
  const mode = statSync(path).mode
  if (isOpenToOthers(mode)) {
    throw new JournalError(
      `${path} (${what}) is accessible to other users (mode ${(mode & 0o777).toString(8)}); run \`${fix}\` and start again`,
    )
  }
}

/** Creates the folder (0700) and an empty database file (0600) when missing; refuses loose modes. */
export function prepareJournalFiles(path: string): void {
  const dir = dirname(path)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  refuseIfOpen(dir, 'the journal folder', `chmod 700 ${dir}`)
  try {
    // 'wx': an empty file is an empty SQLite database; never truncate one another process made.
    closeSync(openSync(path, 'wx', 0o600))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  refuseIfOpen(path, 'the journal', `chmod 600 ${path}`)
}

/** Tightens -wal/-shm to 0600 where they exist ("where possible": a failure is not fatal). */
export function tightenSideFiles(path: string): void {
  if (!CHECK_MODES) return
  for (const f of sideFiles(path)) {
    try {
      if (existsSync(f) && isOpenToOthers(statSync(f).mode)) chmodSync(f, 0o600)
    } catch {
      // Another process may have removed it between the checks; SQLite recreates it 0600.
    }
  }
}
