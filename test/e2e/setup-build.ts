// Builds the lab once for the browser tests (what `npm start` serves).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export function buildLab(): void {
  execFileSync(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { stdio: 'inherit' })
}
