// Browser end-to-end test of the optimizer: the built panel page in Debian's Chromium, sweeps run
// through the shared coordinator over the real module-worker pool (SharedArrayBuffer candles under
// COOP/COEP), results and downloads compared with the same sweep computed in Node, and a reload
// mid-sweep resumed from IndexedDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { runSweep, sweepRobustness } from '../../shared/optimize/index.ts'
import { buildSeries } from '../../lab/optimizer/data-source.ts'
import type { SweepRequest } from '../../lab/optimizer/workloads.ts'
import { buildAndServePanel, launchChromium } from '../lab/optimizer/lab-server.ts'
import type { Browser, LabServer } from '../lab/optimizer/lab-server.ts'

let server: LabServer
let browser: Browser
const pageErrors: string[] = []

beforeAll(async () => {
  server = await buildAndServePanel()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function openPanel(): Promise<Page> {
  const page = await browser.context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(`${server.panelUrl}?workers=2`)
  await page.waitForFunction(() => window.__labOptimizer !== undefined)
  return page
}

async function fillForm(page: Page, f: { strategy: string; grid: unknown; days: number; chunkSize: number }): Promise<void> {
  await page.selectOption('[data-testid=strategy]', f.strategy)
  await page.fill('[data-testid=grid]', JSON.stringify(f.grid))
  await page.fill('[data-testid=days]', String(f.days))
  await page.fill('[data-testid=chunk-size]', String(f.chunkSize))
}

/** The sweep the page ran (its own request), recomputed single-threaded in Node. */
async function expectRowsEqualNode(page: Page): Promise<void> {
  const { request, rows } = await page.evaluate(() => {
    const c = window.__labOptimizer!.controller
    return { request: JSON.parse(JSON.stringify(c.request)) as unknown, rows: Array.from(c.rows ?? []) }
  })
  const req = request as SweepRequest
  const data = buildSeries(req.source)
  if (!data.ok) throw new Error(data.error)
  const expected = Array.from(runSweep(data.series, req.spec).rows)
  expect(rows.length).toBe(expected.length)
  // Playwright carries NaN and ±Infinity through evaluate. Chromium's V8 and Node 20's V8 were
  // seen to differ by 1 ulp in a few Sharpe/Sortino values of rsi sweeps (never in trades or
  // returns), so values must be identical or within 1e-12 relative.
  const bad: string[] = []
  for (let i = 0; i < rows.length; i++) {
    const a = rows[i]!
    const b = expected[i]!
    if (Object.is(a, b)) continue
    if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))) continue
    bad.push(`combo ${Math.floor(i / 13)} metric ${i % 13}: page ${a}, node ${b}`)
  }
  expect(bad.slice(0, 5)).toEqual([])
}

describe('optimizer panel in Chromium', () => {
  it('runs a sweep through the worker pool with shared candles and matches Node', async () => {
    const page = await openPanel()
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    await fillForm(page, {
      strategy: 'ensemble',
      grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5] },
      days: 3,
      chunkSize: 4,
    })
    await page.click('[data-testid=run]')
    await page.waitForSelector('[data-testid=status][data-status=completed]', { timeout: 60_000 })
    const status = await page.textContent('[data-testid=status]')
    expect(status).toContain('2 workers')
    expect(status).toContain('candles shared')
    expect(await page.getAttribute('[data-testid=progress]', 'data-done')).toBe('18')
    expect(await page.locator('[data-testid=top] tbody tr').count()).toBeGreaterThan(0)
    await expectRowsEqualNode(page)

    // The overfitting checks of the best combo, computed on a worker after the sweep.
    await page.waitForSelector('[data-testid=robustness][data-state=done]', { timeout: 60_000 })
    const rbText = await page.textContent('[data-testid=robustness]')
    expect(rbText).toMatch(/Deflated Sharpe/)
    expect(rbText).toMatch(/PBO/)
    expect(rbText).toMatch(/fragility/)
    expect((await page.textContent('[data-testid=dsr]'))!.trim()).toMatch(/^(\d\.\d{3}|—)$/)
    // 3 days are too few for CSCV: NaN is shown as "—".
    expect((await page.textContent('[data-testid=pbo]'))!.trim()).toBe('—')
    const pageReport = await page.evaluate(() => {
      const r = window.__labOptimizer!.controller.robustness
      return r.kind === 'done' ? { trials: r.report.dsr.trials, best: r.report.best?.combo, psr: r.report.dsr.psr } : undefined
    })
    const req = (await page.evaluate(
      () => JSON.parse(JSON.stringify(window.__labOptimizer!.controller.request)) as unknown,
    )) as SweepRequest
    const data = buildSeries(req.source)
    if (!data.ok) throw new Error(data.error)
    const nodeReport = sweepRobustness(data.series, req.spec, runSweep(data.series, req.spec).rows)
    expect(pageReport?.trials).toBe(nodeReport.dsr.trials)
    expect(pageReport?.best).toBe(nodeReport.best?.combo)
    expect(pageReport?.psr).toBeCloseTo(nodeReport.dsr.psr, 9)

    const download = page.waitForEvent('download')
    await page.click('[data-testid=export-csv]')
    const csvPath = await (await download).path()
    const { readFileSync } = await import('node:fs')
    const csv = readFileSync(csvPath, 'utf8').trim().split('\n')
    expect(csv.length).toBe(19)
    expect(csv[0]).toMatch(/,status$/)
    // The JSON download is the CLI's document, the robustness report included.
    const jsonDownload = page.waitForEvent('download')
    await page.click('[data-testid=export-json]')
    const json = JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8'))
    expect(json.rows.length).toBe(18)
    expect(json.robustness.simCount).toBe(nodeReport.simCount)
    expect(json.top[0].combo).toBe(nodeReport.best?.combo)
    await page.close()
  })

  it('shows validation errors clearly', async () => {
    const page = await openPanel()
    await fillForm(page, { strategy: 'ensemble', grid: { 'w.nope': [1] }, days: 1, chunkSize: 4 })
    await page.click('[data-testid=run]')
    await page.waitForSelector('[data-testid=status][data-status=invalid]')
    expect(await page.textContent('[data-testid=errors]')).toMatch(/w\.nope/)
    await page.fill('[data-testid=grid]', '{ not json')
    await page.click('[data-testid=run]')
    expect(await page.textContent('[data-testid=errors]')).toMatch(/not valid JSON/)
    await page.close()
  })

  it('resumes after a reload mid-sweep without redoing finished chunks', async () => {
    const page = await openPanel()
    // 26 × 11 × 11 = 3,146 rsi combos on 30 days, 50 per chunk: a few seconds with 2 workers.
    const grid = {
      period: { min: 5, max: 30, step: 1 },
      oversold: { min: 20, max: 40, step: 2 },
      overbought: { min: 60, max: 80, step: 2 },
    }
    await fillForm(page, { strategy: 'rsi', grid, days: 30, chunkSize: 50 })
    await page.click('[data-testid=run]')
    await page.waitForFunction(() => (window.__labOptimizer!.controller.progress?.doneChunks ?? 0) >= 3, undefined, { timeout: 60_000 })
    await page.reload()
    await page.waitForFunction(() => window.__labOptimizer !== undefined)
    await page.waitForSelector('[data-testid=resume]:not([disabled])')
    await page.click('[data-testid=resume]')
    await page.waitForSelector('[data-testid=status][data-status=completed]', { timeout: 100_000 })
    const resumed = Number(await page.getAttribute('[data-testid=progress]', 'data-resumed'))
    const total = Number(await page.getAttribute('[data-testid=progress]', 'data-total'))
    expect(total).toBe(3146)
    expect(resumed).toBeGreaterThanOrEqual(150)
    expect(resumed).toBeLessThan(total)
    // Only the chunks missing after the reload were simulated in this page.
    const p = await page.evaluate(() => window.__labOptimizer!.controller.progress!)
    expect(p.simulated + p.copied).toBe(total - resumed)
    await expectRowsEqualNode(page)
    expect(pageErrors).toEqual([])
    await page.close()
  })
})
