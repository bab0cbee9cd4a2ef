// `npm run bench:browser [-- --json FILE]`: builds the optimizer page, runs the W1 and W2
// workloads (lab/optimizer/workloads.ts) through the lab's worker pool in headless Chromium with
// 2 workers and prints the figures. Keys are the Node bench's, prefixed 'browser.':
//   browser.optimize.w1.cold.ms.2workers   first run in a fresh page: starting the workers
//                                          (module load), sending the candles, empty caches
//   browser.optimize.w1.warm.ms.2workers   best of 5 repeated runs on that pool (workers alive,
//                                          member signals cached, JIT warm)
//   browser.optimize.w1.nsPerBarCombo.2workers / .combosPerSec.2workers   from the warm run
//   browser.optimize.w2.warm.ms.2workers, .nsPerBarCombo.2workers, .nsPerBarComboPerThread.2workers,
//     .combosPerSec.2workers   (one untimed W2 run first to warm RSI caches and the JIT)
//   browser.optimize.w{1,2}.simulatedRate.2workers   distinct simulations / combos
//   browser.optimize.w{1,2}.planMs.2workers   of the warm run: to the simulation plan
//   browser.optimize.sharedMemory   1 when candles were shared through SharedArrayBuffer
// Every run includes the lab's IndexedDB checkpoints. Figures only, never pass/fail. Candle
// generation is outside the timings.
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
      console.log(
        `${w}: ${r.combos} combos × ${r.bars} bars in ${r.ms.toFixed(0)} ms (plan ${r.planMs.toFixed(0)} ms, ${r.sharing} candles, ${r.simulated} simulated, ${r.copied} copied)`,
      )
      return r
    }
    const put = (w: string, r: BenchRun, phase: 'warm' | 'cold'): void => {
      const k = `browser.optimize.${w}`
      figures[`${k}.${phase}.ms.${WORKERS}workers`] = r.ms
      if (phase === 'warm') {
        figures[`${k}.nsPerBarCombo.${WORKERS}workers`] = (r.ms * 1e6) / (r.bars * r.combos)
        figures[`${k}.nsPerBarComboPerThread.${WORKERS}workers`] = (WORKERS * r.ms * 1e6) / (r.bars * r.combos)
        figures[`${k}.combosPerSec.${WORKERS}workers`] = (r.combos / r.ms) * 1000
        figures[`${k}.simulatedRate.${WORKERS}workers`] = r.simulated / r.combos
        figures[`${k}.planMs.${WORKERS}workers`] = r.planMs
      }
      figures['browser.optimize.sharedMemory'] = r.sharing === 'shared' ? 1 : 0
    }
    const best = async (w: 'w1' | 'w2', k: number): Promise<BenchRun> => {
      let b: BenchRun | undefined
      for (let i = 0; i < k; i++) {
        const r = await run(w)
        if (b === undefined || r.ms < b.ms) b = r
      }
      return b!
    }
    put('w1', await run('w1'), 'cold')
    put('w1', await best('w1', 5), 'warm')
    await run('w2')
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
