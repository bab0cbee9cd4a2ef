// DATA_DIR holds the token, the persisted 418 block and the journal: created private
// (0700). An existing directory is not changed, but the journal refuses to open in one that
// other users can access (edge/journal/files.ts: it holds orders and fills), and says how to fix it.
import { existsSync, mkdirSync } from 'node:fs'

export function ensureDataDir(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: 0o700 })
}
