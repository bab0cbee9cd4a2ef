// `npm run bench:browser [-- --json FILE] [--only optimizer,notebook]`: figures from headless
// Chromium (Debian's, through playwright-core). Figures only, never pass/fail.
//
// The optimizer (`optimizer`): builds the optimizer page, runs the W1 and W2 workloads
// (lab/optimizer/workloads.ts) through the lab's worker pool with 2 workers. Keys are the Node
// bench's, prefixed 'browser.':
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
// Every optimizer run includes the lab's IndexedDB checkpoints. Candle generation is outside
// the timings.
//
// The notebook (`notebook`): builds the lab as `npm start` serves it (production mode) and serves
// it cross-origin isolated with stand-ins for edge's health/venue/market routes
// (test/bench/lab-app-server.ts), at 1400×900:
//   browser.lab.firstLoad.jsGzipKB      JavaScript of the first page load (fresh profile, the
//                                       example notebook), each script gzipped (level 6) and summed;
//                                       target ≤ 200
//   browser.lab.firstLoad.jsKB          the same uncompressed
//   browser.lab.firstLoad.heavyScripts  scripts of the first load named plotly or danfo (must be 0)
//   browser.lab.candles.write.129600.ms        writing 90 days of 1m bars (129,600, synthetic,
//                                              one every minute) into the lab's candle store
//   browser.lab.candles.load.129600.ms         loading them back into typed arrays
//                                              (CandleStore.load: read, slice, concatenate, gaps),
//                                              median of 5 after one untimed load; target ≤ 100
//   browser.lab.candles.load.129600.firstMs    the first load
//   browser.lab.paramChange.129600.p95Ms / .p50Ms / .maxMs   a backtest cell (seed ensemble, default
//                                       execution) on those bars: a slider input event (momentum
//                                       period) to the next frame after the charts took the new
//                                       result (metrics, tables and charts updated), 40 changes
//                                       300 ms apart after 5 untimed ones; target p95 ≤ 100
//   browser.lab.paramChange.129600.replyP50Ms  of that: the input event to the worker's answer
//   browser.lab.paramChange.129600.chartsP50Ms of that: the input event to the charts updated
//                                              (the rest is the frame: layout and painting)
//   browser.lab.backtest.129600.workerMs       the run inside the worker (signals, engine,
//                                              metrics), median over those changes
//   browser.lab.lookahead.129600.ms            the look-ahead check of the last result (20 cut
//                                              points, in the worker after the result)
//
// The optimize cell (`optimize-cell`): the same lab build and server; 90 days of 1m bars seeded
// into the page's candle store, a notebook with a data cell on them and an optimize cell with the
// W1 grid, then the W2 grid (no out-of-sample check, as the workloads), on the cell's worker pool
// (2 workers). Each figure is end to end: a click on "Run sweep" to the next frame after the
// results table's last row is on screen (sweep, robustness report, verdict, table painted):
//   browser.lab.optimizeCell.w1.cold.ms      the first sweep of the page (workers started, candles
//                                            sent, caches empty)
//   browser.lab.optimizeCell.w1.warm.ms      the same grid with another min-trades (so another
//                                            sweep id: nothing from the checkpoint) on the warm pool
//   browser.lab.optimizeCell.w1.warm.sweepMs of which the sweep itself (the coordinator's elapsed)
//   browser.lab.optimizeCell.w1.resumed.ms   the same settings once more: every row and the
//                                            report come back from the checkpoint (a reload's cost)
//   browser.lab.optimizeCell.w2.cold.ms, .w2.warm.ms, .w2.warm.sweepMs, .w2.resumed.ms   W2 (the
//                                            first W2 run is cold for RSI's caches, not the pool)
//   browser.lab.optimizeCell.heatmap.ms      the heatmap tab on the W2 result: click to plotly
//                                            loaded (first time) and drawn
//
// The code cell (`code-cell`): the same seeded 90 days, a data cell and below it a code cell
// running `display(candles.tail(5))`, in a fresh page (danfojs and plotly not loaded before):
//   browser.lab.codeCell.firstDisplay.ms       the first code cell run of the page: click Run →
//                                              its first display painted (the code checked, the
//                                              worker and its runtime started, danfojs fetched
//                                              and evaluated, the 129,600-bar DataFrame built)
//   browser.lab.codeCell.firstDisplay.loadMs   of that, inside the worker: danfojs and the inputs
//   browser.lab.codeCell.rerun.ms              the same source again (its worker kept: the
//                                              DataFrame built again), median of 5
import { writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import type {} from '../../lab/bench/notebook-hook.ts' // window.__labNotebookBench
import type { Page } from 'playwright-core'
import type { BenchRun } from '../../lab/optimizer/bench-hook.ts'
import { GRID_PRESETS } from '../../lab/notebook/cells/optimize/form.ts'
import { defaultOptimizeParams, type OptimizeParams } from '../../lab/notebook/cells/optimize/params.ts'
import { buildAndServePanel, launchChromium } from '../lab/optimizer/lab-server.ts'
import { buildAndServeLab } from './lab-app-server.ts'

const WORKERS = 2
const BENCHES = ['optimizer', 'notebook', 'optimize-cell', 'code-cell'] as const
type Figures = Record<string, number>

function parseArgs(argv: readonly string[]): { json: string | undefined; only: readonly string[] } {
  const i = argv.indexOf('--json')
  const o = argv.indexOf('--only')
  return { json: i >= 0 ? argv[i + 1] : undefined, only: o >= 0 ? (argv[o + 1] ?? '').split(',') : BENCHES }
}

async function main(): Promise<void> {
  const { json, only } = parseArgs(process.argv.slice(2))
  const figures: Figures = {}
  if (only.includes('optimizer')) await optimizerBench(figures)
  if (only.includes('notebook')) await notebookBench(figures)
  if (only.includes('optimize-cell')) await optimizeCellBench(figures)
  if (only.includes('code-cell')) await codeCellBench(figures)
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(48)} ${Number(v.toPrecision(6))}`)
  if (json) writeFileSync(json, JSON.stringify(figures, null, 2) + '\n')
}

async function optimizerBench(figures: Figures): Promise<void> {
  const server = await buildAndServePanel()
  const browser = await launchChromium()
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
}

const BARS = 129_600
const SEED = { key: { venue: 'bench', market: 'KRW-BTC', timeframe: '1m' as const }, fromMs: Date.UTC(2024, 0, 1), days: 90 }

/** A notebook with a data cell on the seeded 90 days and a backtest cell (seed ensemble) below. */
const BENCH_NOTEBOOK = {
  format: 'upbit-lab-notebook',
  version: 1,
  exportedAt: '2024-04-01T00:00:00.000Z',
  notebook: {
    title: 'Bench: 90 days of 1m bars',
    cells: [
      {
        id: 'data',
        kind: 'data',
        title: '',
        collapsed: false,
        params: { venue: 'bench', market: 'KRW-BTC', timeframe: '1m', range: { mode: 'between', from: '2024-01-01', to: '2024-03-30' } },
      },
      { id: 'bt', kind: 'backtest', title: '', collapsed: false, params: defaultParams() },
    ],
  },
}

function defaultParams(): unknown {
  return {
    strategy: 'ensemble',
    values: {},
    exec: {
      initialCash: 1_000_000,
      orderType: 'limit',
      feeRate: 0.0005,
      slippageRate: 0,
      aggressivenessRate: 0.0015,
      orderTtlBars: 1,
      sizing: { kind: 'all-in', feeBufferRate: 0.0005 },
      stopLossRate: 0,
      takeProfitRate: 0,
      trailingStopRate: 0,
    },
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
/** Nearest-rank percentile. */
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

async function notebookBench(figures: Figures): Promise<void> {
  const server = await buildAndServeLab()
  const browser = await launchChromium()
  try {
    // 1. First load: every script the page fetches until the network is idle.
    const first = await browser.context.newPage()
    await first.setViewportSize({ width: 1400, height: 900 })
    const bodies: Promise<{ url: string; bytes: Buffer }>[] = []
    first.on('response', (r) => {
      if (r.request().resourceType() === 'script') bodies.push(r.body().then((bytes) => ({ url: r.url(), bytes })))
    })
    await first.goto(server.url, { waitUntil: 'networkidle' })
    await first.getByTestId('cell').first().waitFor({ timeout: 15_000 })
    const scripts = await Promise.all(bodies)
    const kb = (n: number): number => n / 1024
    figures['browser.lab.firstLoad.jsGzipKB'] = kb(scripts.reduce((n, s) => n + gzipSync(s.bytes, { level: 6 }).length, 0))
    figures['browser.lab.firstLoad.jsKB'] = kb(scripts.reduce((n, s) => n + s.bytes.length, 0))
    figures['browser.lab.firstLoad.heavyScripts'] = scripts.filter((s) => /plotly|danfo/i.test(s.url)).length
    console.log(`first load: ${scripts.map((s) => s.url.replace(server.url, '')).join(', ')}`)
    await first.close()

    // 2. Candles: seed 90 days into the page's IndexedDB, then load them back.
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1400, height: 900 })
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`console error: ${m.text()}`)
    })
    await page.goto(`${server.url}?bench`)
    await page.waitForFunction(() => window.__labNotebookBench !== undefined)
    const seeded = await page.evaluate((spec) => window.__labNotebookBench!.seed(spec), SEED)
    if (seeded.bars !== BARS) throw new Error(`seeded ${seeded.bars} bars, expected ${BARS}`)
    figures[`browser.lab.candles.write.${BARS}.ms`] = seeded.ms
    const loads = await page.evaluate((spec) => window.__labNotebookBench!.load(spec, 6), SEED)
    figures[`browser.lab.candles.load.${BARS}.firstMs`] = loads.ms[0]!
    figures[`browser.lab.candles.load.${BARS}.ms`] = median(loads.ms.slice(1))
    console.log(
      `candles: wrote ${seeded.bars} bars in ${seeded.ms.toFixed(0)} ms; loads ${loads.ms.map((m) => m.toFixed(1)).join(', ')} ms`,
    )

    // 3. A backtest cell on them: import the bench notebook, run it, then change a parameter.
    await page.getByTestId('import-file').setInputFiles({
      name: 'bench.notebook.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(BENCH_NOTEBOOK)),
    })
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid=notebook-title]') as HTMLInputElement | null)?.value.startsWith('Bench'),
    )
    await page.getByTestId('run-all').click()
    const bt = page.locator('[data-testid=cell][data-kind=backtest]')
    await bt.locator('[data-testid=bt-chart] canvas').first().waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'done', null, {
      timeout: 60_000,
    })
    const bars = Number((await page.locator('[data-kind=data] [data-testid=data-bars]').textContent())!.replace(/,/g, ''))
    if (bars !== BARS) throw new Error(`the data cell loaded ${bars} bars, expected ${BARS}`)
    await bt.locator('[data-testid=bt-lookahead][data-state=passed]').waitFor({ timeout: 60_000 })
    // Five untimed changes first (the JIT and the chart library's caches warm up), then 40 timed.
    const change = (vs: number[]) => page.evaluate((v) => window.__labNotebookBench!.paramChanges('bt-slider-momentum.period', v, 300), vs)
    await change([30, 31, 32, 33, 34])
    const { ms, workerMs, replyMs, chartsMs } = await change(Array.from({ length: 40 }, (_, i) => 6 + (i % 20)))
    figures[`browser.lab.paramChange.${BARS}.p95Ms`] = percentile(ms, 95)
    figures[`browser.lab.paramChange.${BARS}.p50Ms`] = median(ms)
    figures[`browser.lab.paramChange.${BARS}.maxMs`] = Math.max(...ms)
    console.log(`param change → painted: ${ms.map((m) => m.toFixed(0)).join(' ')} ms`)
    console.log(`  of which → worker reply: ${replyMs.map((m) => m.toFixed(0)).join(' ')} ms`)
    console.log(`  → charts updated: ${chartsMs.map((m) => m.toFixed(0)).join(' ')} ms`)
    figures[`browser.lab.paramChange.${BARS}.replyP50Ms`] = median(replyMs)
    figures[`browser.lab.paramChange.${BARS}.chartsP50Ms`] = median(chartsMs)
    await bt.locator('[data-testid=bt-lookahead][data-state=passed]').waitFor({ timeout: 60_000 })
    figures[`browser.lab.lookahead.${BARS}.ms`] = Number(await bt.getByTestId('bt-lookahead').getAttribute('data-ms'))
    figures[`browser.lab.backtest.${BARS}.workerMs`] = median(workerMs)
    const candleRequests = server.apiRequests.filter((p) => p.startsWith('/api/candles'))
    if (candleRequests.length > 0) throw new Error(`the bench downloaded candles: ${candleRequests.join(', ')}`)
  } finally {
    await browser.close()
    await server.close()
  }
}

/** The optimize cell's params for a workload grid (form.ts presets), as the W1/W2 specs: no check. */
function workloadParams(id: 'w1' | 'w2', minTrades: number): OptimizeParams {
  const pr = GRID_PRESETS.find((p) => p.id === id)!
  return {
    ...defaultOptimizeParams(),
    strategy: pr.strategy,
    axes: pr.axes,
    execAxes: pr.execAxes,
    validation: { kind: 'none' },
    minTrades,
  }
}

interface CellRun {
  readonly ms: number
  readonly rows: number
  readonly combos: number
  readonly sweepMs: number
  readonly resumed: number
  readonly simulated: number
}

/** Clicks the optimize cell's Run and waits, frame by frame, for the table's last row on screen. */
function clickToLastRow(page: Page): Promise<CellRun> {
  return page.evaluate(
    () =>
      new Promise<CellRun>((resolve, reject) => {
        const cell = document.querySelector<HTMLElement>('[data-testid=cell][data-kind=optimize]')!
        const run = cell.querySelector<HTMLButtonElement>('[data-testid=opt-run]')
        if (run === null) return reject(new Error('no Run button'))
        // The table of the previous run is no answer: the new run's results element is new.
        const previous = cell.querySelector('[data-testid=opt-results]')
        const t0 = performance.now()
        run.click()
        const tick = (): void => {
          const status = cell.getAttribute('data-status')
          if (status === 'error' || status === 'cancelled') {
            reject(new Error(cell.querySelector('[data-testid=cell-error]')?.textContent ?? status))
            return
          }
          const rows = cell.querySelectorAll<HTMLElement>('[data-testid=opt-table] [data-testid=opt-row]')
          const results = cell.querySelector('[data-testid=opt-results]')
          if (status !== 'done' || rows.length === 0 || results === previous) {
            requestAnimationFrame(tick)
            return
          }
          const last = rows[rows.length - 1]!
          const box = last.closest<HTMLElement>('.scroll')!
          box.scrollTop = box.scrollHeight
          last.scrollIntoView({ block: 'end' })
          requestAnimationFrame(() => {
            // A message after the frame callback lands after that frame is painted.
            const ch = new MessageChannel()
            ch.port1.onmessage = () => {
              const res = cell.querySelector<HTMLElement>('[data-testid=opt-results]')!
              resolve({
                ms: performance.now() - t0,
                rows: rows.length,
                combos: Number(res.dataset.combos),
                sweepMs: Number(res.dataset.sweepMs),
                resumed: Number(res.dataset.resumed),
                simulated: Number(res.dataset.simulated),
              })
            }
            ch.port2.postMessage(null)
          })
        }
        requestAnimationFrame(tick)
      }),
  )
}

async function optimizeCellBench(figures: Figures): Promise<void> {
  const server = await buildAndServeLab()
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1400, height: 900 })
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`console error: ${m.text()}`)
    })
    // tsx keeps function names with a `__name` helper that evaluated functions would miss.
    await page.addInitScript('globalThis.__name = (f) => f')
    await page.goto(`${server.url}?bench`)
    await page.waitForFunction(() => window.__labNotebookBench !== undefined)
    const seeded = await page.evaluate((spec) => window.__labNotebookBench!.seed(spec), SEED)
    if (seeded.bars !== BARS) throw new Error(`seeded ${seeded.bars} bars, expected ${BARS}`)
    const nb = {
      ...BENCH_NOTEBOOK,
      notebook: {
        title: 'Bench: optimize cell on 90 days of 1m bars',
        cells: [
          BENCH_NOTEBOOK.notebook.cells[0]!,
          { id: 'opt', kind: 'optimize', title: '', collapsed: false, params: workloadParams('w1', 30) },
        ],
      },
    }
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'bench-opt.notebook.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(nb)) })
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid=notebook-title]') as HTMLInputElement | null)?.value.includes('optimize cell'),
    )
    const data = page.locator('[data-testid=cell][data-kind=data]')
    await data.getByTestId('cell-run').click()
    await page.waitForFunction(() => document.querySelector('[data-kind=data]')?.getAttribute('data-status') === 'done', null, {
      timeout: 60_000,
    })
    const opt = page.locator('[data-testid=cell][data-kind=optimize]')
    const setMinTrades = async (n: number): Promise<void> => {
      await opt.getByTestId('opt-min-trades').fill(String(n))
      await opt.getByTestId('opt-min-trades').press('Tab')
    }
    const log = (name: string, r: CellRun): void =>
      console.log(
        `${name}: ${r.combos} combos → ${r.rows} rows on screen in ${r.ms.toFixed(0)} ms (sweep ${r.sweepMs.toFixed(0)} ms, ${r.simulated} simulated, ${r.resumed} resumed)`,
      )
    const k = 'browser.lab.optimizeCell'
    for (const w of ['w1', 'w2'] as const) {
      if (w === 'w2') await opt.getByTestId('opt-preset').selectOption('w2')
      await setMinTrades(30)
      const cold = await clickToLastRow(page)
      log(`${w} cold`, cold)
      await setMinTrades(29)
      const warm = await clickToLastRow(page)
      log(`${w} warm`, warm)
      const resumed = await clickToLastRow(page)
      log(`${w} resumed`, resumed)
      if (cold.resumed !== 0 || warm.resumed !== 0 || resumed.resumed !== resumed.combos) throw new Error(`${w}: unexpected checkpoint use`)
      figures[`${k}.${w}.cold.ms`] = cold.ms
      figures[`${k}.${w}.warm.ms`] = warm.ms
      figures[`${k}.${w}.warm.sweepMs`] = warm.sweepMs
      figures[`${k}.${w}.resumed.ms`] = resumed.ms
    }
    const t0 = Date.now()
    await opt.getByTestId('opt-tab-heatmap').click()
    await opt.locator('[data-testid=opt-heatmap][data-state=ready]').waitFor({ timeout: 60_000 })
    figures[`${k}.heatmap.ms`] = Date.now() - t0
  } finally {
    await browser.close()
    await server.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})

const CODE_SOURCE = 'display(candles.tail(5))'

/** Clicks the code cell's Run and waits, frame by frame, for its first display on screen. */
function clickToFirstDisplay(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const cell = document.querySelector<HTMLElement>('[data-testid=cell][data-kind=code]')!
        const run = cell.querySelector<HTMLButtonElement>('[data-testid=cell-run]')
        if (run === null) return reject(new Error('no Run button'))
        // The previous run's outputs stay until the new run's first replaces them (data-run).
        const runOf = (): string | null => cell.querySelector('[data-testid=code-outputs]')?.getAttribute('data-run') ?? null
        const previous = runOf()
        const t0 = performance.now()
        run.click()
        const tick = (): void => {
          const status = cell.getAttribute('data-status')
          if (status === 'error' || status === 'cancelled' || performance.now() - t0 > 120_000) {
            reject(new Error(cell.querySelector('[data-testid=cell-error]')?.textContent ?? `no display (${status})`))
            return
          }
          const table = cell.querySelector('[data-testid=code-table]')
          if (table === null || runOf() === previous) {
            requestAnimationFrame(tick)
            return
          }
          requestAnimationFrame(() => {
            // A message after the frame callback lands after that frame is painted.
            const ch = new MessageChannel()
            ch.port1.onmessage = () => resolve(performance.now() - t0)
            ch.port2.postMessage(null)
          })
        }
        requestAnimationFrame(tick)
      }),
  )
}

/** The code cell's figures (see the header). */
async function codeCellBench(figures: Figures): Promise<void> {
  const server = await buildAndServeLab()
  const browser = await launchChromium()
  try {
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 1400, height: 900 })
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`console error: ${m.text()}`)
    })
    await page.addInitScript('globalThis.__name = (f) => f')
    await page.goto(`${server.url}?bench`)
    await page.waitForFunction(() => window.__labNotebookBench !== undefined)
    const seeded = await page.evaluate((spec) => window.__labNotebookBench!.seed(spec), SEED)
    if (seeded.bars !== BARS) throw new Error(`seeded ${seeded.bars} bars, expected ${BARS}`)
    const nb = {
      ...BENCH_NOTEBOOK,
      notebook: {
        title: 'Bench: code cell on 90 days of 1m bars',
        cells: [
          BENCH_NOTEBOOK.notebook.cells[0]!,
          { id: 'code', kind: 'code', title: '', collapsed: false, params: { source: CODE_SOURCE } },
        ],
      },
    }
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'bench-code.notebook.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(nb)) })
    await page.waitForFunction(() =>
      (document.querySelector('[data-testid=notebook-title]') as HTMLInputElement | null)?.value.includes('code cell'),
    )
    await page.locator('[data-testid=cell][data-kind=data]').getByTestId('cell-run').click()
    await page.waitForFunction(() => document.querySelector('[data-kind=data]')?.getAttribute('data-status') === 'done', null, {
      timeout: 60_000,
    })
    const heavy = await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => /danfo|bundle\.esm|plotly/i.test(e.name)).length,
    )
    if (heavy > 0) throw new Error('danfojs or plotly was loaded before the code cell ran')
    const timing = page.locator('[data-testid=cell][data-kind=code] [data-testid=code-timing]')
    const first = await clickToFirstDisplay(page)
    await timing.waitFor({ timeout: 60_000 })
    figures['browser.lab.codeCell.firstDisplay.ms'] = first
    figures['browser.lab.codeCell.firstDisplay.loadMs'] = Number(await timing.getAttribute('data-load-ms'))
    const again: number[] = []
    for (let i = 0; i < 5; i++) {
      await page.waitForFunction(() => document.querySelector('[data-kind=code]')?.getAttribute('data-status') === 'done')
      again.push(await clickToFirstDisplay(page))
    }
    figures['browser.lab.codeCell.rerun.ms'] = median(again)
    console.log(
      `code cell: first display ${first.toFixed(0)} ms (worker ${figures['browser.lab.codeCell.firstDisplay.loadMs']!.toFixed(0)} ms for danfojs and ${BARS} bars); re-runs ${again.map((m) => m.toFixed(0)).join(' ')} ms`,
    )
  } finally {
    await browser.close()
    await server.close()
  }
}
