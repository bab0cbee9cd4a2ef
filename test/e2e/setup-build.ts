// Builds the lab once for the browser tests (what `npm start` serves).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

export function buildLab(): void {
  // NODE_ENV=production: vitest sets it to 'test', which would give the development builds of
  // Svelte and lightweight-charts, and `npm start` may serve this very dist/.
  execFileSync(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}
