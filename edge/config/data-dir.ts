// DATA_DIR holds the token, the persisted 418 block and (later) the journal: created private
// (0700). An existing directory is left as it is (it may be shared on purpose, e.g. a mount);
// the files edge writes into it are private on their own.
import { existsSync, mkdirSync } from 'node:fs'

export function ensureDataDir(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: 0o700 })
}
