// Code and live cells in real Chromium against `npm start`'s server, its sim venue's clock 60×
// faster (SIM_CLOCK_SPEED), one browser profile for the file (the tests build on each other):
// 1. code cells: a DataFrame and a Plotly figure from the candles, the backtest above read-only
//    (a write throws), no token in the worker (edge answers 401), an error with its line, and a
//    runaway `while (true) {}` stopped within a second, then a fresh worker for the next run;
// 2. a live cell: a paper run started from a promotion (posted to edge by the test), fills
//    arriving, the shadow comparison agreeing with the run, a forced reconnect and a reload that
//    resume the stream with no gap and no duplicate (checked against edge's own stream), then the
//    kill switch. No console errors anywhere. Screenshots in E2E_SHOTS (default: a temp folder).
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { WebSocket } from 'ws'
import { defaultBacktestParams } from '../../lab/notebook/cells/backtest/params.ts'
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/index.ts'
import { openLabPage, useLabSession, type RunningEdge } from './helpers.ts'

const SHOTS = process.env.E2E_SHOTS ?? join(tmpdir(), 'lab-e2e-code-live')
let edge: RunningEdge
let browser: BrowserContext
let token: string
useLabSession(SHOTS, { SIM_HISTORY_DAYS: '2', SIM_CLOCK_SPEED: '60' }, (s) => ({ edge, browser, token } = s))

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) })
const shotOf = async (page: Page, el: Locator, name: string): Promise<void> => {
  // Its top just under the notebook's sticky toolbar.
  await el.evaluate((e) => {
    e.scrollIntoView({ block: 'start' })
    let p = e.parentElement
    while (p !== null && p.scrollHeight <= p.clientHeight) p = p.parentElement
    p?.scrollBy(0, -64)
  })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  await shot(page, name)
}

async function openLab(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openLabPage({ browser, edge, token })
  await page.getByTestId('cell').first().waitFor({ timeout: 15_000 })
  return { page, errors }
}

const api = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${edge.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Edge's own stream from seq 0 until its `live` marker: the seqs of one run's events. */
function referenceSeqs(runId: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${edge.url.replace('http', 'ws')}/api/stream`)
    const seqs: number[] = []
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token, lastSeq: 0 })))
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type?: string; seq?: number; runId?: string }
      if (m.type === 'live') {
        ws.close()
        resolve(seqs)
      } else if (m.runId === runId && typeof m.seq === 'number') seqs.push(m.seq)
    })
    ws.on('error', reject)
  })
}

/** "5-9,12" → [5, 6, 7, 8, 9, 12] */
const expand = (ranges: string): number[] =>
  ranges === ''
    ? []
    : ranges.split(',').flatMap((r) => {
        const [a, b] = r.split('-').map(Number)
        return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i)
      })

/** The cell's run events so far are exactly edge's, in order: no gap, no duplicate. */
async function expectNoGap(page: Page, runId: string): Promise<number> {
  const seqs = page.getByTestId('live-seqs')
  const mine = expand((await seqs.getAttribute('data-seqs')) ?? '')
  expect(Number(await seqs.getAttribute('data-count'))).toBe(mine.length)
  const ref = await referenceSeqs(runId)
  const upTo = ref.filter((s) => s <= mine.at(-1)!)
  expect(mine).toEqual(upTo)
  return mine.length
}

const code = (page: Page, id: string): Locator => page.locator(`[data-testid=cell][data-cell-id=${id}]`)

const NOTEBOOK = {
  format: 'upbit-lab-notebook',
  version: 1,
  exportedAt: '2025-01-01T00:00:00.000Z',
  notebook: {
    title: 'Code and live',
    cells: [
      {
        id: 'data',
        kind: 'data',
        title: '',
        collapsed: false,
        params: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m', range: { mode: 'last', days: 1 } },
      },
      {
        id: 'bt',
        kind: 'backtest',
        title: '',
        collapsed: false,
        params: { ...defaultBacktestParams(), strategy: 'momentum', values: { period: 3 } },
      },
      {
        id: 'frame',
        kind: 'code',
        title: 'Frame and plot',
        collapsed: false,
        params: {
          source: [
            "const close = candles['close']",
            "display(candles.tail(5), 'Last bars')",
            'display({',
            "  data: [{ x: candles['date'].values, y: close.values, type: 'scatter', mode: 'lines', name: 'close', line: { width: 1 } }],",
            "  layout: { title: { text: 'Sim KRW-BTC 1m close' } },",
            '})',
            'const bt = cells.backtest1',
            "display(bt.trades.head(3), 'First trades of the backtest above')",
            'try {',
            '  bt.metrics.trades = 0',
            '} catch (e) {',
            "  display('read-only: ' + e.constructor.name)",
            '}',
            "const r = await fetch(new URL('/api/venues', location.origin))",
            "display('edge without the token: ' + r.status + ', localStorage: ' + typeof localStorage)",
            'return `${candles.shape[0]} bars`',
          ].join('\n'),
        },
      },
      {
        id: 'err',
        kind: 'code',
        title: 'Error',
        collapsed: false,
        params: { source: 'const trades = cells.backtest1.trades\nconst x = null\ndisplay(x.length)' },
      },
      { id: 'loop', kind: 'code', title: 'Runaway', collapsed: false, params: { source: '// never returns\nwhile (true) {}' } },
      {
        id: 'live',
        kind: 'live',
        title: 'Paper run',
        collapsed: false,
        params: { promotionId: null, venue: 'sim', mode: 'paper', runId: null },
      },
    ],
  },
}

let runId = ''

describe('code and live cells', () => {
  it('code cells: a DataFrame and a plot, read-only inputs, no token, an error with its line, a runaway stopped', async () => {
    const { page, errors } = await openLab()
    await page.getByTestId('import-file').setInputFiles({
      name: 'code-live.notebook.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(NOTEBOOK)),
    })
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=notebook-title]') as HTMLInputElement | null)?.value === 'Code and live',
    )
    const data = page.locator('[data-testid=cell][data-kind=data]')
    await data.getByTestId('cell-run').click()
    await data.getByTestId('data-summary').waitFor({ timeout: 60_000 })
    const bt = page.locator('[data-testid=cell][data-kind=backtest]')
    await bt.getByTestId('cell-run').click()
    await page.waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'done', null, {
      timeout: 60_000,
    })

    // No danfojs or plotly before the first code cell runs.
    const heavy = (): Promise<string[]> =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((n) => /danfo|bundle\.esm|plotly/i.test(n)),
      )
    expect(await heavy()).toEqual([])

    // 1. A DataFrame, a figure, the backtest's trades, read-only inputs, no token.
    const frame = code(page, 'frame')
    const t0 = Date.now()
    await frame.getByTestId('cell-run').click()
    await frame.getByTestId('code-table').first().waitFor({ timeout: 60_000 })
    const firstDisplayMs = Date.now() - t0
    await frame.locator('[data-testid=code-figure][data-state=ready]').waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => document.querySelector('[data-cell-id=frame]')?.getAttribute('data-status') === 'done', null, {
      timeout: 30_000,
    })
    expect(await frame.getByTestId('code-table').first().getAttribute('data-rows')).toBe('5')
    expect(await frame.getByTestId('code-table').first().locator('thead th').allTextContents()).toEqual([
      '',
      'time',
      'date',
      'open',
      'high',
      'low',
      'close',
      'volume',
    ])
    expect(Number(await frame.getByTestId('code-table').nth(1).getAttribute('data-rows'))).toBeGreaterThan(0)
    const texts = await frame.getByTestId('code-text').allTextContents()
    expect(texts[0]).toBe('read-only: TypeError')
    expect(texts[1]).toBe('edge without the token: 401, localStorage: undefined')
    expect(texts[2]).toMatch(/^\d+ bars$/)
    expect(await frame.locator('.js-plotly-plot .scatterlayer .trace').count()).toBe(1)
    console.log(`code cell: click → first display ${firstDisplayMs} ms (cold: worker, danfojs, DataFrame)`)
    expect((await heavy()).length).toBeGreaterThan(0)
    await shotOf(page, frame, '1-code-frame-and-plot')
    await shotOf(page, frame.getByTestId('code-figure'), '1b-code-plot')
    // Again, same source: the same worker (danfojs stays loaded), the outputs again.
    const run0 = await frame.getByTestId('code-outputs').getAttribute('data-run')
    await frame.getByTestId('cell-run').click()
    await page.waitForFunction(
      (r) => document.querySelector('[data-cell-id=frame] [data-testid=code-outputs]')?.getAttribute('data-run') !== r,
      run0,
      { timeout: 30_000 },
    )
    await frame.getByTestId('code-timing').waitFor({ timeout: 30_000 })
    expect(await frame.getByTestId('code-timing').getAttribute('data-fresh')).toBe('false')
    expect(await frame.getByTestId('code-text').allTextContents()).toEqual(texts)

    // 2. An error names its line, marked in the editor.
    const err = code(page, 'err')
    await err.getByTestId('cell-run').click()
    await err.getByTestId('cell-error').waitFor({ timeout: 60_000 })
    expect(await err.getByTestId('cell-error').textContent()).toMatch(/Line 3, column \d+: TypeError: Cannot read properties of null/)
    expect(await err.getByTestId('code-error-line').getAttribute('data-line')).toBe('3')
    await shotOf(page, err, '2-code-error')

    // 3. A runaway loop: Stop terminates it within a second; the next run gets a fresh worker.
    const loop = code(page, 'loop')
    await loop.getByTestId('cell-run').click()
    await page.waitForFunction(
      () => document.querySelector('[data-cell-id=loop] [data-testid=code-cell]')?.getAttribute('data-phase') === 'running',
      null,
      {
        timeout: 60_000,
      },
    )
    await page.waitForTimeout(500)
    await shotOf(page, loop, '3-code-runaway-running')
    const stopAt = Date.now()
    await loop.getByLabel('Stop the run').click()
    await loop.getByTestId('code-stopped').waitFor({ timeout: 1_000 })
    expect(Date.now() - stopAt).toBeLessThan(1_000)
    expect(await loop.getAttribute('data-status')).toBe('cancelled')
    await shotOf(page, loop, '4-code-runaway-stopped')
    await loop.getByTestId('code-source').fill("display('a fresh worker')")
    await loop.getByTestId('cell-run').click()
    await loop.getByTestId('code-text').filter({ hasText: 'a fresh worker' }).waitFor({ timeout: 60_000 })
    expect(await loop.getByTestId('code-timing').textContent()).toMatch(/worker and danfojs ready in/)

    // Only the deliberate 401 of the token check may show in the console.
    expect(errors.filter((e) => !/401/.test(e))).toEqual([])
    console.log(`code/live e2e screenshots: ${SHOTS}`)
    await page.close()
  })

  it('live cell: a paper run from a promotion, fills, the shadow comparison, resume without gap after a reconnect and a reload, kill', async () => {
    const promo = await api<{ id: number }>('/api/promotions', {
      strategy: { id: 'momentum', version: 1 },
      params: { period: 3 },
      market: 'KRW-BTC',
      timeframe: '1m',
      exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
      risk: { maxPositionQuote: 10_000_000, dailyLossLimitRate: 0.5, maxDrawdownRate: 0.5 },
      backtest: {
        range: { source: 'sim', fromMs: Date.now() - 86_400_000, toMs: Date.now(), bars: 1440 },
        metrics: { totalReturn: 0.01, sharpe: null },
      },
    })
    const { page, errors } = await openLab()
    const live = page.locator('[data-testid=cell][data-kind=live]')
    await live.getByTestId('live-promotion').waitFor({ timeout: 15_000 })
    expect(await live.getByTestId('live-promotion').inputValue()).toBe(String(promo.id))
    // Live mode asks for the market typed out before it can start.
    await live.getByTestId('live-mode-live').click()
    expect(await live.getByTestId('live-start').isDisabled()).toBe(true)
    await live.getByTestId('live-confirm').fill('KRW-BTC')
    expect(await live.getByTestId('live-start').isDisabled()).toBe(false)
    await shotOf(page, live, '5-live-start-form-live-mode')
    await live.getByTestId('live-mode-paper').click()
    await live.getByTestId('live-start').click()

    await live.locator('[data-testid=live-status][data-status=running]').waitFor({ timeout: 60_000 })
    runId = (await live.getByTestId('live-run-id').textContent())!
    await live.locator('[data-testid=stream-badge][data-state=live]').waitFor({ timeout: 30_000 })
    // Fills arrive (momentum over 3 bars trades often; one bar a second on the 60× clock).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=live-fill-count]')?.textContent ?? 0) >= 3, null, {
      timeout: 90_000,
    })
    // The shadow comparison: the backtest on the run's bars agrees with the paper run.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=shadow]')?.getAttribute('data-matched') || 0) >= 3, null, {
      timeout: 60_000,
    })
    expect(await live.getByTestId('shadow').getAttribute('data-state')).toBe('agree')
    await shotOf(page, live, '6-live-running')
    await live.getByTestId('shadow').scrollIntoViewIfNeeded()
    await shot(page, '7-live-shadow')

    // A forced reconnect resumes after the last seq.
    await live.getByTestId('stream-reconnect').click()
    await live.locator('[data-testid=stream-badge][data-state=live]').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(1_500)
    const n1 = await expectNoGap(page, runId)
    expect(Number(await live.getByTestId('stream-badge').getAttribute('data-reconnects'))).toBe(1)

    // Reload: the cell follows the run again and the stream resumes from where the run starts.
    await page.reload()
    await live.locator('[data-testid=stream-badge][data-state=live]').waitFor({ timeout: 60_000 })
    await page.waitForTimeout(1_500)
    const n2 = await expectNoGap(page, runId)
    expect(n2).toBeGreaterThan(n1)
    await page.waitForFunction(() => document.querySelector('[data-testid=shadow]')?.getAttribute('data-state') === 'agree', null, {
      timeout: 60_000,
    })
    await live.getByTestId('live-tab-events').click()
    await shotOf(page, live, '8-live-after-reload')
    await page.setViewportSize({ width: 1024, height: 768 })
    await shotOf(page, live, '8-live-after-reload-1024')
    await page.setViewportSize({ width: 1400, height: 900 })

    // The kill switch: halted with its reason, no open order.
    await live.getByTestId('live-kill').click()
    await live.locator('[data-testid=live-status][data-status=halted]').waitFor({ timeout: 30_000 })
    expect(await live.getByTestId('live-halt').textContent()).toContain('killed')
    const view = await api<{ status: string; haltReason: string; pendingOrder: unknown }>(`/api/runs/${runId}`)
    expect(view).toMatchObject({ status: 'halted', haltReason: 'killed', pendingOrder: null })
    await page.waitForTimeout(1_000)
    await expectNoGap(page, runId)
    await shotOf(page, live, '9-live-killed')
    expect(errors).toEqual([])
    await page.close()
  })
})
