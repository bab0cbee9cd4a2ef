// Preloaded into the CLI by limits.test.ts: writes the process's peak resident memory (KB) to
// $RSS_FILE on exit, so the test can hold a refusal to its memory budget.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  if (process.env.RSS_FILE) writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS))
})
