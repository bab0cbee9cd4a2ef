// Whether the built lab (dist/) is missing or older than what it is built from, so `npm start`
// rebuilds only when needed. Sources: lab/, shared/ (the lab imports it), vite.config.ts and the
// lockfile (a dependency bump changes the bundle).
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtimeMs(join(path, entry)))
  }
  return newest
}

export const LAB_SOURCES = ['lab', 'shared', 'vite.config.ts', 'package-lock.json']

export function isLabStale(repoRoot: string, outDir = join(repoRoot, 'dist')): boolean {
  const built = join(outDir, 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return LAB_SOURCES.some((s) => newestMtimeMs(join(repoRoot, s)) > builtAt)
}
