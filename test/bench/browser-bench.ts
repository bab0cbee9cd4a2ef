// `npm run bench:browser [-- --json FILE]`: builds the optimizer page, runs the W1 and W2
// workloads (lab/optimizer/workloads.ts) through the lab's worker pool in headless Chromium with
// 2 workers and prints the figures. Keys are the Node bench's, prefixed 'browser.':
//   browser.optimize.w1.cold.ms.2workers   first run in a fresh page (whole sweep, incl. pool start)
//   browser.optimize.w1.warm.ms.2workers   second run in the same page (new workers, cached code)
//   browser.optimize.w1.nsPerBarCombo.2workers / .combosPerSec.2workers   from the warm run
//   browser.optimize.w2.warm.ms.2workers, .nsPerBarCombo.2workers, .combosPerSec.2workers
//     (W2 runs once, after W1: the page is warm; it takes about half a minute per run)
//   browser.optimize.w{1,2}.simulatedRate.2workers   fraction of combos simulated (not copied)
//   browser.optimize.sharedMemory   1 when candles were shared through SharedArrayBuffer
// Figures only, never pass/fail. Candle generation is outside the timings.
import { writeFileSync } from 'node:fs'
import type { BenchRun } from '../../lab/optimizer/bench-hook.ts'
import { buildAndServePanel, launchChromium } from '../lab/optimizer/lab-server.ts'

const WORKERS = 2

function parseArgs(argv: readonly string[]): { json: string | undefined } {
  const i = argv.indexOf('--json')
  return { json: i >= 0 ? argv[i + 1] : undefined }
}

async function main(): Promise<void> {
  const { json } = parseArgs(process.argv.slice(2))
  const server = await buildAndServePanel()
  const browser = await launchChromium()
  const figures: Record<string, number> = {}
  try {
    const page = await browser.context.newPage()
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
    await page.goto(`${server.panelUrl}?workers=${WORKERS}`)
    await page.waitForFunction(() => window.__labBench !== undefined)
    const run = async (w: 'w1' | 'w2'): Promise<BenchRun> => {
      const r = await page.evaluate(([name, n]) => window.__labBench!.run(name, n), [w, WORKERS] as const)
      if (r.error) throw new Error(`${w}: ${r.error}`)
      console.log(`${w}: ${r.combos} combos × ${r.bars} bars in ${r.ms.toFixed(0)} ms (${r.sharing} candles, ${r.simulated} simulated, ${r.copied} copied)`)
      return r
    }
    const put = (w: string, r: BenchRun, phase: 'warm' | 'cold'): void => {
      const k = `browser.optimize.${w}`
      figures[`${k}.${phase}.ms.${WORKERS}workers`] = r.ms
      if (phase === 'warm') {
        figures[`${k}.nsPerBarCombo.${WORKERS}workers`] = (r.ms * 1e6) / (r.bars * r.combos)
        figures[`${k}.combosPerSec.${WORKERS}workers`] = (r.combos / r.ms) * 1000
        figures[`${k}.simulatedRate.${WORKERS}workers`] = r.simulated / r.combos
      }
      figures['browser.optimize.sharedMemory'] = r.sharing === 'shared' ? 1 : 0
    }
    put('w1', await run('w1'), 'cold')
    put('w1', await run('w1'), 'warm')
    put('w2', await run('w2'), 'warm')
  } finally {
    await browser.close()
    await server.close()
  }
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(48)} ${Number(v.toPrecision(6))}`)
  if (json) writeFileSync(json, JSON.stringify(figures, null, 2) + '\n')
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
