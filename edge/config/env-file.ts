// Reads `.env` (KEY=VALUE lines, `#` comments, optional `export `, optional single or double
// quotes). It holds the Upbit keys, so it must be private: edge refuses to start when group or
// others can read it (reliability KEY-1), and says how to fix it. No file = no keys (sim only).
import { readFileSync, statSync } from 'node:fs'
import { ConfigError, isOpenToOthers } from './errors.ts'

export function parseEnvText(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    let value = m[2]!
    const q = /^(['"])(.*)\1$/.exec(value)
    if (q) value = q[2]!
    else value = value.replace(/\s+#.*$/, '')
    out[m[1]!] = value
  }
  return out
}

/** The file's variables, or undefined when it does not exist. Throws ConfigError when it is not private. */
export function readEnvFile(path: string): Record<string, string> | undefined {
  let mode: number
  try {
    mode = statSync(path).mode
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`)
  }
  if (process.platform !== 'win32' && isOpenToOthers(mode)) {
    throw new ConfigError(
      `${path} holds API keys but is readable by others (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\` and start again`,
    )
  }
  return parseEnvText(readFileSync(path, 'utf8'))
}
