// The optimize cell in real Chromium against `npm start`'s server on the sim venue, one browser
// profile for the file (the tests build on each other):
// 1. a new notebook gets a data cell (twelve whole past UTC days of the sim's KRW-BTC 1m) and an
//    optimize cell (its default grid: 45 ensemble combos, holdout 25 %, min 30 trades); the sweep
//    runs on the worker pool; the table shows Rank, Combo # and the objective column, the verdict
//    and its figures; the heatmap draws with plotly, which is fetched only when the heatmap tab
//    opens; a row opens as a backtest cell below (with those params and the sweep's evidence in
//    its origin) that runs; the CSV and JSON exports hold the full table and the label;
// 2. a reload restores the same labelled results from the checkpoint (no sweep re-run, the
//    robustness report kept with it); a bigger grid asks for confirmation, runs with progress,
//    is cancelled, and after another reload resumes from its checkpoint to the end.
// No console errors anywhere. Screenshots of each step (1400×900, some at 1024×768) go to
// E2E_SHOTS (default: lab-e2e-optimize in the system temp dir). With UPDATE_DOCS_SHOTS=1 the
// resumed RSI sweep's results are also written to docs/screenshots/optimize-cell.png (the README's).
import { mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { useLabSession, type RunningEdge } from './helpers.ts'

const SHOTS = process.env.E2E_SHOTS ?? join(tmpdir(), 'lab-e2e-optimize')
const DOCS_SHOT = process.env.UPDATE_DOCS_SHOTS === '1' ? join('docs', 'screenshots', 'optimize-cell.png') : null
let edge: RunningEdge
let browser: BrowserContext
let token: string
useLabSession(SHOTS, { SIM_HISTORY_DAYS: '14' }, (s) => ({ edge, browser, token } = s))

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) })
async function shotAt(page: Page, el: Locator, name: string, block: 'start' | 'center' = 'start'): Promise<void> {
  await el.evaluate((e, b) => {
    e.scrollIntoView({ block: b })
    // Clear the notebook's sticky toolbar.
    let p = e.parentElement
    while (p !== null && !(p.scrollHeight > p.clientHeight && getComputedStyle(p).overflowY !== 'visible')) p = p.parentElement
    if (b === 'start' && p !== null) p.scrollTop -= 64
  }, block)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  await shot(page, name)
}

interface Opened {
  readonly page: Page
  readonly errors: string[]
  /** URLs of every script the page fetched. */
  readonly scripts: string[]
}

async function openLab(): Promise<Opened> {
  const page = await browser.newPage()
  await page.setViewportSize({ width: 1400, height: 900 })
  const errors: string[] = []
  const scripts: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url())
  })
  await page.goto(`${edge.url}/#token=${token}`)
  await page.getByTestId('cell').first().waitFor({ timeout: 15_000 })
  return { page, errors, scripts }
}

async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()])
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') }
}

const cellOf = (page: Page, kind: string): Locator => page.locator(`[data-testid=cell][data-kind=${kind}]`)
const statusIs = (page: Page, kind: string, status: string, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(
    ([k, s]) => document.querySelector(`[data-testid=cell][data-kind=${k}]`)?.getAttribute('data-status') === s,
    [kind, status],
    {
      timeout,
    },
  )
const heavy = (scripts: readonly string[]): string[] => scripts.filter((u) => /plotly/i.test(u))
/** A shown figure as a number: "−1.23" → -1.23, "∞" → Infinity. */
const num = (s: string | null): number => (s === '∞' ? Infinity : s === '—' ? NaN : Number(s!.replace('−', '-').replace(/[^\d.-]/g, '')))

// What test 1 leaves for test 2 to find after the reload.
const before: { label?: string; firstRows?: string[]; sweepId?: string } = {}

describe('optimize cell', () => {
  it('sweeps the data above on the worker pool: table, heatmap on demand, open as backtest, exports', async () => {
    const { page, errors, scripts } = await openLab()
    await page.getByTestId('new-notebook').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cell]').length === 1)
    await page.getByTestId('notebook-title').fill('Optimize e2e')

    // The data: twelve whole past UTC days (PBO needs 8 in the ranked part), the same after reloads.
    await page.getByTestId('add-data').click()
    const data = cellOf(page, 'data')
    const day = (k: number): string => new Date(Date.now() - k * 86_400_000).toISOString().slice(0, 10)
    await data.getByTestId('data-range-mode').selectOption('between')
    await data.locator('input[type=date]').first().fill(day(12))
    await data.locator('input[type=date]').nth(1).fill(day(1))
    await data.getByTestId('cell-run').click()
    await statusIs(page, 'data', 'done')

    // The optimize cell: its default grid, counted live.
    await page.getByTestId('add-optimize').click()
    const opt = cellOf(page, 'optimize')
    await opt.waitFor()
    expect(await opt.getByTestId('opt-count').getAttribute('data-count')).toBe('45')
    expect(await opt.getByTestId('opt-count').textContent()).toMatch(/45\s*combos\s*=\s*3 × 3 × 5/)
    expect(await opt.getByTestId('opt-min-trades').inputValue()).toBe('30')
    // Vary one more parameter and back: the count follows.
    await opt.getByTestId('vary-w.swing').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=opt-count]')?.getAttribute('data-count') === '135')
    await opt.locator('[data-testid=axis-w\\.swing] button[aria-label^="Fix"]').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=opt-count]')?.getAttribute('data-count') === '45')
    await shotAt(page, opt, '1-optimize-cell')

    // Run it: the table with ranks, the combo index and the objective column; the verdict.
    await opt.getByTestId('opt-run').click()
    await statusIs(page, 'optimize', 'done', 90_000)
    const table = opt.getByTestId('opt-table')
    await table.waitFor()
    expect(await table.getAttribute('data-objective')).toBe('sharpe')
    const heads = (await table.locator('thead th').allTextContents()).map((h) => h.replace(/[↑↓]/g, ''))
    expect(heads.slice(0, 2).map((h) => h.trim())).toEqual(['Rank', 'Combo #'])
    expect(heads.map((h) => h.trim())).toEqual(
      expect.arrayContaining(['w.trend', 'w.momentum', 'threshold', 'Sharpe', 'OOS return', 'OOS Sharpe', 'Trades']),
    )
    expect(await table.locator('thead th.objective').textContent()).toMatch(/Sharpe/)
    const rows = table.getByTestId('opt-row')
    const n = await rows.count()
    expect(n).toBeGreaterThan(1)
    expect(n).toBeLessThanOrEqual(45)
    expect(await rows.first().getAttribute('data-rank')).toBe('1')
    const objective = (await table.getByTestId('opt-objective').allTextContents()).map(num)
    for (let i = 1; i < objective.length; i++) expect(objective[i]!).toBeLessThanOrEqual(objective[i - 1]!)
    const trades = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelectorAll('td')[tr.querySelectorAll('td').length - 4]?.textContent ?? ''),
    )
    for (const t of trades) expect(num(t)).toBeGreaterThanOrEqual(30)
    const verdict = opt.getByTestId('opt-verdict')
    expect(['not enough data', 'likely luck', 'fragile peak', 'robust']).toContain(await verdict.getAttribute('data-verdict'))
    expect(await verdict.getAttribute('title')).toMatch(/likely luck: PBO above 0.5/)
    expect(await opt.getByTestId('opt-pbo').textContent()).toMatch(/^\d\.\d\d$/)
    const label = (await opt.getByTestId('opt-label').textContent())!.replace(/^Sweep/, '').trim()
    expect(label).toMatch(/^ensemble v1 · 45 combos: .* · sharpe, ≥ 30 trades · holdout: last 25% of the bars · sim KRW-BTC 1m /)
    expect(heavy(scripts)).toEqual([])
    await shotAt(page, opt.getByTestId('opt-results'), '2-results')
    await page.setViewportSize({ width: 1024, height: 768 })
    await shotAt(page, opt.getByTestId('opt-results'), '2b-results-1024')
    await page.setViewportSize({ width: 1400, height: 900 })

    // The heatmap: plotly is fetched now, not before.
    await opt.getByTestId('opt-tab-heatmap').click()
    await opt.locator('[data-testid=opt-heatmap][data-state=ready]').waitFor({ timeout: 30_000 })
    expect(heavy(scripts).length).toBeGreaterThan(0)
    expect(await opt.locator('[data-testid=opt-heatmap] .main-svg').count()).toBeGreaterThan(0)
    await shotAt(page, opt.getByTestId('opt-heatmap'), '3-heatmap', 'center')

    // The out-of-sample check and the robustness report.
    await opt.getByTestId('opt-tab-oos').click()
    await opt.getByTestId('opt-oos-chart').waitFor()
    await shotAt(page, opt.getByTestId('opt-oos-metrics'), '4-out-of-sample', 'center')
    await opt.getByTestId('opt-tab-robust').click()
    await opt.getByTestId('opt-robust').waitFor()

    // Open rank 2 as a backtest: a backtest cell appears below with those params, and runs.
    await opt.getByTestId('opt-tab-top').click()
    const second = rows.nth(1)
    await second.click()
    expect(await second.getAttribute('aria-selected')).toBe('true')
    const combo = await second.getAttribute('data-combo')
    const cells = await second.locator('td').allTextContents()
    const [wTrend, wMomentum, threshold] = cells.slice(2, 5).map(Number)
    await shotAt(page, opt.getByTestId('opt-selection'), '5-selected', 'center')
    await opt.getByTestId('opt-open').click()
    const bt = cellOf(page, 'backtest')
    await bt.waitFor()
    expect(await page.locator('[data-testid=cell]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual([
      'note',
      'data',
      'optimize',
      'backtest',
    ])
    await statusIs(page, 'backtest', 'done')
    expect(await bt.getByTestId('bt-strategy').inputValue()).toBe('ensemble')
    expect(Number(await bt.getByTestId('bt-param-w.trend').inputValue())).toBe(wTrend)
    expect(Number(await bt.getByTestId('bt-param-w.momentum').inputValue())).toBe(wMomentum)
    expect(Number(await bt.getByTestId('bt-param-threshold').inputValue())).toBe(threshold)
    expect(await bt.locator('input[aria-label="Cell title"]').inputValue()).toMatch(new RegExp(`rank 2, combo #${combo}`))
    await bt.locator('[data-testid=bt-chart] canvas').first().waitFor({ timeout: 15_000 })
    await shotAt(page, bt, '6-opened-backtest')

    // The notebook file carries the sweep's evidence in the backtest's origin.
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor()
    const nb = JSON.parse((await download(page, page.getByTestId('export-notebook'))).text) as {
      notebook: { cells: { kind: string; params: { origin?: Record<string, unknown> } }[] }
    }
    const origin = nb.notebook.cells.find((c) => c.kind === 'backtest')!.params.origin!
    expect(origin).toMatchObject({ kind: 'sweep', rank: 2, combos: 45, objective: 'sharpe', sweepLabel: label })
    expect(['not enough data', 'likely luck', 'fragile peak', 'robust']).toContain(origin.verdict)

    // Exports: the full table and the label.
    await opt.getByTestId('opt-results').scrollIntoViewIfNeeded()
    const csv = await download(page, opt.getByTestId('opt-export-csv'))
    expect(csv.name).toMatch(/^optimize-ensemble-KRW-BTC-1m-sw1-[0-9a-f]{16}\.csv$/)
    const lines = csv.text.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^combo,w\.trend,w\.momentum,threshold,totalReturn,cagr,sharpe,.*,trades,exposure,feesPaid,buyHoldReturn,status$/,
    )
    expect(lines).toHaveLength(46)
    expect(csv.text).not.toMatch(/NaN|Infinity/)
    const json = JSON.parse((await download(page, opt.getByTestId('opt-export-json'))).text) as {
      sweepId: string
      comboCount: number
      rows: unknown[]
      objective: string
      data: { label: string; venue: string; market: string }
      robustness: { pbo: { pbo: number | null } } | null
      validation: { kind: string; testFraction: number; verdict: { kind: string }; oos: { rows: unknown[] } }
    }
    expect(json).toMatchObject({ comboCount: 45, objective: 'sharpe', data: { label, venue: 'sim', market: 'KRW-BTC' } })
    expect(json.rows).toHaveLength(45)
    expect(json.robustness).not.toBeNull()
    expect(json.validation).toMatchObject({
      kind: 'holdout',
      testFraction: 0.25,
      verdict: { kind: await verdict.getAttribute('data-verdict') },
    })
    expect(json.validation.oos.rows).toHaveLength(45)
    expect(csv.name).toContain(json.sweepId)

    before.label = label
    before.sweepId = json.sweepId
    before.firstRows = await rows.evaluateAll((trs) => trs.slice(0, 5).map((tr) => tr.textContent ?? ''))
    expect(errors).toEqual([])
    console.log(`optimize cell e2e screenshots: ${SHOTS}`)
    await page.close()
  })

  it('a reload shows the same labelled results; a big sweep asks first, is cancelled and resumes', async () => {
    const { page, errors, scripts } = await openLab()
    const opt = cellOf(page, 'optimize')
    // Data, optimize and backtest cells run again by themselves; the sweep comes from its checkpoint.
    await statusIs(page, 'optimize', 'done', 90_000)
    expect(await opt.getByTestId('opt-results').getAttribute('data-sweep-id')).toBe(before.sweepId)
    expect((await opt.getByTestId('opt-label').textContent())!.replace(/^Sweep/, '').trim()).toBe(before.label)
    expect(await opt.getByTestId('opt-row').evaluateAll((trs) => trs.slice(0, 5).map((tr) => tr.textContent ?? ''))).toEqual(
      before.firstRows,
    )
    expect((await opt.getByTestId('opt-note').allTextContents()).join(' ')).toMatch(/computed when this sweep first finished/)
    expect(heavy(scripts)).toEqual([]) // the heatmap tab is not open after the reload
    await shotAt(page, opt.getByTestId('opt-results'), '7-after-reload')

    // A bigger grid: RSI with three ranges and a stop-loss axis, above the confirmation size.
    await opt.getByTestId('opt-preset').selectOption('w2')
    await opt.getByTestId('opt-confirm-above').fill('1000')
    await opt.getByTestId('opt-confirm-above').press('Enter')
    // The preset varies the stop-loss, so the execution settings are open; add both order types.
    await opt.getByTestId('opt-order-market').check()
    await page.waitForFunction(() => document.querySelector('[data-testid=opt-count]')?.getAttribute('data-count') === String(12_584 * 2))
    expect(await opt.getByTestId('opt-stale').count()).toBe(1)
    const confirm = opt.getByTestId('opt-confirm')
    expect(await confirm.textContent()).toMatch(/Run 25,168 combos/)
    await shotAt(page, opt.getByTestId('opt-runbar'), '8-confirm', 'center')
    await confirm.click()
    await opt.getByTestId('opt-progress').waitFor()
    await page.waitForFunction(() => /combos\/s/.test(document.querySelector('[data-testid=opt-progress-text]')?.textContent ?? ''), null, {
      timeout: 60_000,
    })
    await shotAt(page, opt.getByTestId('opt-progress'), '9-progress', 'center')
    await opt.getByTestId('opt-cancel').click()
    await statusIs(page, 'optimize', 'cancelled')
    const partial = opt.getByTestId('opt-partial')
    const cancelledText = await partial.textContent()
    const doneAtCancel = num(/Cancelled at ([\d,]+) of/.exec(cancelledText ?? '')?.[1] ?? '0')
    await shotAt(page, partial, '10-cancelled', 'center')
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor()

    // Reload: the saved sweep of these settings is offered; Resume continues from its checkpoint.
    await page.reload()
    await opt.waitFor({ timeout: 15_000 })
    const saved = opt.getByTestId('opt-saved')
    await saved.waitFor({ timeout: 30_000 })
    expect(await saved.getAttribute('data-matches')).toBe('true')
    const resume = opt.getByTestId('opt-run')
    expect(await resume.textContent()).toMatch(/Resume sweep/)
    await shotAt(page, saved, '11-resume-offered', 'center')
    await resume.click()
    await page.waitForFunction(
      () => /from the checkpoint/.test(document.querySelector('[data-testid=opt-progress-text]')?.textContent ?? ''),
      null,
      {
        timeout: 60_000,
      },
    )
    await statusIs(page, 'optimize', 'done', 180_000)
    const label = (await opt.getByTestId('opt-label').textContent())!
    expect(label).toMatch(
      /rsi v1 · 25,168 combos: period 5…30 step 1; oversold 20…40 step 2; overbought 60…80 step 2; stopLossRate ∈ \{0, 0.01, 0.02, 0.03\}; orderType ∈ \{market, limit\}/,
    )
    expect(await opt.getByTestId('opt-table').getAttribute('data-objective')).toBe('sharpe')
    expect(doneAtCancel).toBeGreaterThanOrEqual(0)
    await shotAt(page, opt.getByTestId('opt-results'), '12-resumed-results')
    if (DOCS_SHOT !== null) {
      // The README's picture: from the label to the first rows of the table.
      await page.mouse.move(5, 300)
      await shotAt(page, opt.getByTestId('opt-results'), '12b-docs')
      const top = (await opt.getByTestId('opt-label').boundingBox())!
      const table = (await opt.getByTestId('opt-results').boundingBox())!
      mkdirSync(join('docs', 'screenshots'), { recursive: true })
      await page.screenshot({
        path: DOCS_SHOT,
        clip: { x: table.x - 10, y: top.y - 10, width: table.width + 20, height: Math.min(620, 900 - top.y) },
      })
    }
    // The dark theme (system → light → dark).
    await page.locator('button[aria-label^="Theme"]').click()
    await page.locator('button[aria-label^="Theme"]').click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await shotAt(page, opt.getByTestId('opt-results'), '13-dark')
    expect(errors).toEqual([])
    await page.close()
  })
})
