// The API token: 256 random bits as 64 hex characters, created at first start in DATA_DIR with
// mode 0600 and reused afterwards (so a bookmarked lab keeps working across restarts). A token
// file that others can read, or that does not hold a full-length token, stops the start.
import { randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, isOpenToOthers } from './errors.ts'

export const TOKEN_FILE = 'edge-token'
const TOKEN_RE = /^[0-9a-f]{64}$/

export function loadOrCreateToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE)
  let mode: number | undefined
  try {
    mode = statSync(path).mode
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`)
  }
  if (mode === undefined) {
    const token = randomBytes(32).toString('hex')
    // 'wx': never overwrite a token another process wrote in the meantime.
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' })
    return token
  }
  if (process.platform !== 'win32' && isOpenToOthers(mode)) {
    throw new ConfigError(
      `${path} is readable by others (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\` or delete it to get a new token`,
    )
  }
  const token = readFileSync(path, 'utf8').trim()
  if (!TOKEN_RE.test(token)) throw new ConfigError(`${path} does not hold a 64-hex-character token; delete it and edge creates a new one`)
  return token
}
