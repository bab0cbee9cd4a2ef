// `npm start`: builds the lab when dist/ is missing or older than its sources, then runs edge.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { runMain } from './main.ts'
import { isLabStale } from './server/lab-build.ts'

const root = process.cwd()
if (isLabStale(root)) {
  console.log('edge: building the lab (vite build)…')
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  })
}
await runMain()
