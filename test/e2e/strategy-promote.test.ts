// User strategies and promotion in real Chromium against edge on the sim venue (one browser
// profile; the tests build on each other):
// 1. a strategy cell: the editor (CodeMirror) with the API's names completed, the audits as badges
//    (all passing for the template; a rule that reads the next bar fails look-ahead with the bar and
//    both values), a new hash on every edit; the strategy in a backtest cell's picker, run in the
//    backtest worker; an optimize cell lists it too and sweeps it on the sandboxed sweep workers
//    (grid rows from its schema, the hash in the sweep's label, a holdout check), and a row opens
//    as a backtest cell at that version; Promote shows the checklist, sends nothing until the
//    market is typed, and the promotion (with the checklist and the source's hash) is in the
//    promotions list; a second version of the lineage shows its diff; a live cell starts a paper
//    run of the promoted user strategy and follows its status and event stream, and its shadow
//    comparison replays the promoted source in a sandboxed worker and agrees with the run;
// 2. the sandbox: a rule that reads Date.now() fails in the workers' SES compartment, and a probe
//    finds no DOM, network, storage, timer, messaging, clock or randomness global; an endless
//    loop is stopped by the cell's Stop, in the strategy cell and in the backtest cell, whose next
//    run works on a fresh worker, and by the optimize cell's Cancel (its sweep workers are
//    terminated), after which the cell sweeps again.
// No console errors. Screenshots of each step go to E2E_SHOTS (default: a temp folder, printed).
//
// Edge serves the built worker scripts (/assets/*.worker-*.js) with 'unsafe-eval' in their own
// CSP (SES compiles inside the workers); the page keeps its strict policy.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { launchBrowser, startEdge, type RunningEdge } from './helpers.ts'
import { buildLab } from './setup-build.ts'

const SHOTS = process.env.E2E_SHOTS ?? join(tmpdir(), 'lab-e2e-strategy')
let edge: RunningEdge
let browser: BrowserContext
let token: string
let page: Page
const errors: string[] = []

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  console.log(`screenshots: ${SHOTS}`)
  buildLab()
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-e2e-data-'))
  edge = await startEdge({ DATA_DIR: dataDir, SIM_HISTORY_DAYS: '3' })
  token = readFileSync(join(dataDir, 'edge-token'), 'utf8').trim()
  browser = await launchBrowser()
  page = await browser.newPage()
  await page.setViewportSize({ width: 1400, height: 900 })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(`${edge.url}/#token=${token}`)
})
afterAll(async () => {
  await browser?.close()
  await edge?.stop()
})

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) })
const frames = (): Promise<unknown> => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
const strategyCell = (): Locator => page.locator('[data-testid=cell][data-kind=strategy]')
const backtestCell = (): Locator => page.locator('[data-testid=cell][data-kind=backtest]').first()
const optimizeCell = (): Locator => page.locator('[data-testid=cell][data-kind=optimize]')
const liveCell = (): Locator => page.locator('[data-testid=cell][data-kind=live]')
const statusOf = (kind: string, status: string, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(
    ([k, s]) => document.querySelector(`[data-testid=cell][data-kind=${k}]`)?.getAttribute('data-status') === s,
    [kind, status] as const,
    { timeout },
  )

/** Replaces the editor's text as a paste would. */
async function paste(source: string): Promise<void> {
  const content = strategyCell().locator('.cm-content')
  await content.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.insertText(source)
}

/** Waits until the strategy cell's audits for the text on screen are in. */
async function audited(hashNot?: string): Promise<string> {
  const cell = strategyCell()
  await page.waitForFunction(
    (not) => {
      const c = document.querySelector('[data-testid=cell][data-kind=strategy]')
      const h = c?.querySelector('[data-testid=strategy-hash]')?.getAttribute('data-hash')
      return (
        c?.getAttribute('data-status') === 'done' &&
        !c.querySelector('[data-testid=strategy-edited]') &&
        h !== undefined &&
        h !== null &&
        h !== not
      )
    },
    hashNot ?? null,
    { timeout: 30_000 },
  )
  return (await cell.getByTestId('strategy-hash').getAttribute('data-hash'))!
}

async function backtestDone(): Promise<void> {
  const bt = backtestCell()
  await page.waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'done', null, {
    timeout: 60_000,
  })
  await bt.locator('[data-testid=bt-lookahead][data-state=passed]').waitFor({ timeout: 60_000 })
  await bt.locator('[data-testid=bt-chart] canvas').first().waitFor({ timeout: 15_000 })
  await frames()
}

const GOOD = `// An EMA cross with an RSI filter, written in the editor.
interface P {
  fast: number
  slow: number
  rsiMax: number
}

export default {
  id: 'user.e2e-ema-rsi',
  version: 1,
  name: 'EMA cross, RSI filter',
  description: 'Long when the fast EMA crosses above the slow one while the RSI is below rsiMax; flat on the cross down.',
  params: [
    { name: 'fast', default: 8, min: 2, max: 100, step: 1, unit: 'bars', integer: true },
    { name: 'slow', default: 30, min: 3, max: 300, step: 1, unit: 'bars', integer: true },
    { name: 'rsiMax', label: 'RSI at most', default: 65, min: 10, max: 100, step: 1, unit: 'points' },
  ],
  warmup: (p: P) => Math.max(p.fast, p.slow, 15),
  signals(s, p: P, ta) {
    const f = ta.ema(s.close, p.fast)
    const sl = ta.ema(s.close, p.slow)
    const r = ta.rsi(s.close, 14)
    const out = new Int8Array(s.close.length)
    for (let t = Math.max(p.fast, p.slow, 15); t < out.length; t++) {
      if (f[t - 1] <= sl[t - 1] && f[t] > sl[t] && r[t] <= p.rsiMax) out[t] = 1
      else if (f[t - 1] >= sl[t - 1] && f[t] < sl[t]) out[t] = -1
    }
    return out
  },
}
`

const PEEKS = `// Reads the next bar's close: the look-ahead audit must catch it.
export default {
  id: 'user.e2e-peeks',
  version: 1,
  name: 'Peeks at the next bar',
  params: [],
  warmup: () => 1,
  signals(s) {
    const out = new Int8Array(s.close.length)
    for (let t = 1; t < out.length - 1; t++) out[t] = s.close[t + 1] > s.close[t] ? 1 : -1
    return out
  },
}
`

const USES_CLOCK = `export default {
  id: 'user.e2e-clock', version: 1, name: 'Reads the clock', params: [], warmup: () => 0,
  signals(s) {
    const now = Date.now()
    return new Int8Array(s.close.length).fill(now > 0 ? 0 : 0)
  },
}
`

// Lists what user code can reach in the workers' compartments: every name the issue forbids (the
// DOM, network, storage, the edge token's carriers, timers, the worker's own messaging), then the
// clock and randomness by calling them. The answer is thrown, so the shape audit shows it.
const PROBES = `export default {
  id: 'user.e2e-probe', version: 1, name: 'Probes the sandbox', params: [], warmup: () => 0,
  signals(s) {
    const names = ['window', 'self', 'document', 'navigator', 'location', 'fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource',
      'importScripts', 'indexedDB', 'caches', 'localStorage', 'sessionStorage', 'postMessage', 'onmessage', 'close', 'Worker',
      'setTimeout', 'setInterval', 'queueMicrotask', 'requestAnimationFrame', 'performance', 'crypto', 'BroadcastChannel']
    const reachable = names.filter((n) => typeof globalThis[n] !== 'undefined')
    const tryIt = (label, f) => { try { const v = f(); if (v === v) reachable.push(label) } catch {} }
    tryIt('Date.now', () => Date.now())
    tryIt('new Date', () => new Date().getTime())
    tryIt('Math.random', () => Math.random())
    throw new Error('reachable: [' + reachable.join(',') + ']')
  },
}
`

const LOOPS = `export default {
  id: 'user.e2e-loops', version: 1, name: 'Never returns', params: [], warmup: () => 0,
  signals(s) {
    for (;;) {}
    return new Int8Array(s.close.length)
  },
}
`

describe('user strategies and promotion', () => {
  it('writes a strategy, audits it, backtests it and promotes it with the checklist; the promotions list shows hash and diff', async () => {
    // The example notebook; its data cell downloads two days of the sim venue's KRW-BTC.
    await page.getByTestId('cell').first().waitFor({ timeout: 15_000 })
    const data = page.locator('[data-testid=cell][data-kind=data]')
    await data.getByTestId('cell-run').click()
    await data.getByTestId('data-summary').waitFor({ timeout: 60_000 })

    // 1. A strategy cell: the template loads in the worker and passes its audits.
    await page.getByTestId('add-strategy').click()
    const cell = strategyCell()
    await cell.locator('.cm-editor').waitFor({ timeout: 15_000 })
    const first = await audited()
    for (const k of ['shape', 'determinism', 'warmup', 'lookahead', 'speed'])
      expect(await cell.getByTestId(`audit-${k}`).getAttribute('data-tone'), k).toBe('ok')
    expect(await cell.getByTestId('strategy-identity').textContent()).toMatch(/RSI cross.*user\.rsi-cross.*v1.*#[0-9a-f]{8}/)
    expect(await cell.getByTestId('audit-speed').textContent()).toMatch(/\d ns\/bar/)
    expect(await cell.locator('.facts').textContent()).toMatch(/KRW-BTC 1m \(sim\), [\d,]+ bars from the data cell above/)
    await cell.scrollIntoViewIfNeeded()
    await shot('s1-strategy-template')

    // Completion of the API's names as you type.
    await cell.locator('.cm-content').click()
    await page.keyboard.press('ControlOrMeta+End')
    await page.keyboard.type('\nta.bb')
    await page.locator('.cm-tooltip-autocomplete').waitFor({ timeout: 5_000 })
    expect(await page.locator('.cm-tooltip-autocomplete').textContent()).toMatch(/bbands/)
    await shot('s2-completion')
    await page.keyboard.press('Escape')

    // 2. A rule that reads the next bar: look-ahead fails, naming the bar and both values.
    await paste(PEEKS)
    const peekHash = await audited(first)
    expect(await cell.getByTestId('audit-lookahead').getAttribute('data-tone')).toBe('bad')
    expect(await cell.getByTestId('audit-lookahead').textContent()).toMatch(/bar [\d,]+: [+−]?1 vs [+−]?[01]/)
    expect(await cell.getByTestId('audit-details').getAttribute('data-key')).toBe('lookahead')
    const a = Number(await cell.getByTestId('audit-value-a').textContent())
    const b = Number(await cell.getByTestId('audit-value-b').textContent())
    expect(a).not.toBe(b)
    expect(await cell.getByTestId('audit-details').textContent()).toMatch(/with the bars after [\d,]+ removed, bar [\d,]+ gives/)
    await cell.scrollIntoViewIfNeeded()
    await shot('s3-lookahead-fails')
    await page.setViewportSize({ width: 1024, height: 768 })
    await cell.getByTestId('strategy-audits').scrollIntoViewIfNeeded()
    await shot('s3-lookahead-fails-1024')
    await page.setViewportSize({ width: 1400, height: 900 })
    // The dark theme (system → light → dark).
    const theme = page.getByRole('button', { name: /^Theme: / })
    await theme.click()
    await theme.click()
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
    await cell.scrollIntoViewIfNeeded()
    await shot('s3-lookahead-fails-dark')
    await theme.click()

    // A syntax error is underlined in the editor and said in words.
    await paste(GOOD.replace('const out = new Int8Array(s.close.length)', 'const out = new Int8Array(s.close.length'))
    await page.waitForFunction(() => document.querySelector('[data-kind=strategy]')?.getAttribute('data-status') === 'error', null, {
      timeout: 15_000,
    })
    expect(await cell.getByTestId('cell-error').textContent()).toMatch(/Syntax error at line 2\d/)
    await cell.locator('.cm-lintRange-error').first().waitFor({ timeout: 5_000 })
    await shot('s4-syntax-error')

    // 3. The good strategy; a new hash.
    await paste(GOOD)
    const good = await audited(peekHash)
    expect(good).not.toBe(first)
    expect(await cell.getByTestId('strategy-audits').getAttribute('data-state')).toBe('true')

    // 4. The backtest cell lists it beside the built-ins and runs it in its worker.
    const bt = backtestCell()
    await bt.scrollIntoViewIfNeeded()
    const options = await bt.locator('[data-testid=bt-strategy] optgroup[label="Your strategies"] option').allTextContents()
    expect(options).toEqual(expect.arrayContaining(['EMA cross, RSI filter (user.e2e-ema-rsi)', 'Peeks at the next bar (user.e2e-peeks)']))
    await bt.getByTestId('bt-strategy').selectOption('user.e2e-ema-rsi')
    expect(await bt.getByTestId('bt-user-version').getAttribute('data-hash')).toBe(good)
    await bt.getByTestId('cell-run').click()
    await backtestDone()
    expect(await bt.getByTestId('bt-facts').textContent()).toMatch(new RegExp(`EMA cross, RSI filter #${good.slice(0, 8)} · KRW-BTC`))
    // The form is generated from the strategy's schema.
    for (const k of ['fast', 'slow', 'rsiMax']) await bt.getByTestId(`bt-param-${k}`).waitFor()
    await shot('s5-backtest-user-strategy')

    // 4b. An optimize cell lists it too; its grid rows come from the strategy's schema, and the
    //     sweep runs in the sandboxed sweep workers (lockdown first), holdout check included.
    await page.getByTestId('add-optimize').click()
    const opt = optimizeCell()
    await opt.getByTestId('opt-strategy').waitFor({ timeout: 15_000 })
    const optOptions = await opt.locator('[data-testid=opt-strategy] optgroup[label="Your strategies"] option').allTextContents()
    expect(optOptions).toEqual(expect.arrayContaining(['EMA cross, RSI filter (user.e2e-ema-rsi)']))
    await opt.getByTestId('opt-strategy').selectOption('user.e2e-ema-rsi')
    expect(await opt.getByTestId('opt-user-version').getAttribute('data-hash')).toBe(good)
    for (const k of ['fast', 'slow', 'rsiMax']) await opt.getByTestId(`fixed-${k}`).waitFor()
    await opt.getByTestId('vary-fast').click() // 6…10
    await opt.getByTestId('vary-slow').click() // 28…32
    await opt.getByTestId('opt-min-trades').fill('0')
    await opt.getByTestId('opt-min-trades').press('Enter')
    await page.waitForFunction(() => document.querySelector('[data-testid=opt-count]')?.getAttribute('data-count') === '25')
    await opt.getByTestId('opt-run').click()
    await statusOf('optimize', 'done', 120_000)
    const optRows = opt.getByTestId('opt-table').getByTestId('opt-row')
    expect(await optRows.count()).toBeGreaterThan(0)
    expect(await optRows.first().getAttribute('data-rank')).toBe('1')
    const optLabel = (await opt.getByTestId('opt-label').textContent())!
    expect(optLabel).toMatch(new RegExp(`user\\.e2e-ema-rsi v1 #${good.slice(0, 8)} · 25 combos: fast 6…10 step 1; slow 28…32 step 1`))
    expect(optLabel).toMatch(/holdout: last 25% of the bars/)
    await opt.getByTestId('opt-results').scrollIntoViewIfNeeded()
    await shot('s5b-optimize-user-strategy')
    // A row opens as a backtest cell of that very version and params.
    const firstRow = optRows.first()
    await firstRow.click()
    const rowCells = await firstRow.locator('td').allTextContents()
    const [rowFast, rowSlow] = rowCells.slice(2, 4).map(Number)
    await opt.getByTestId('opt-open').click()
    const opened = page.locator('[data-testid=cell][data-kind=backtest]').nth(1)
    await opened.waitFor({ timeout: 15_000 })
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=cell][data-kind=backtest]')[1]?.getAttribute('data-status') === 'done',
      null,
      { timeout: 60_000 },
    )
    expect(await opened.getByTestId('bt-strategy').inputValue()).toBe('user.e2e-ema-rsi')
    expect(await opened.getByTestId('bt-user-version').getAttribute('data-hash')).toBe(good)
    expect(Number(await opened.getByTestId('bt-param-fast').inputValue())).toBe(rowFast)
    expect(Number(await opened.getByTestId('bt-param-slow').inputValue())).toBe(rowSlow)
    await opened.scrollIntoViewIfNeeded()
    await shot('s5c-optimize-row-opened')

    // 5. Promote: the checklist first; amber items (sim venue, no sweep evidence) need the market typed.
    await bt.getByTestId('bt-promote').click()
    const dlg = page.getByTestId('promote-dialog')
    await dlg.getByTestId('checklist').waitFor()
    const items = dlg.getByTestId('checklist-item')
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([
      'result',
      'oos',
      'dsr',
      'pbo',
      'trades',
      'lookahead',
      'data',
      'audits',
    ])
    expect(await dlg.locator('[data-testid=checklist-item][data-id=oos]').getAttribute('data-level')).toBe('amber')
    expect(await dlg.locator('[data-testid=checklist-item][data-id=data]').getAttribute('data-level')).toBe('amber')
    expect(await dlg.locator('[data-testid=checklist-item][data-id=audits]').getAttribute('data-level')).toBe('green')
    expect(await dlg.getByTestId('promote-send').isDisabled()).toBe(true)
    await shot('s6-promote-checklist')
    await dlg.getByTestId('promote-confirm').fill('KRW-BTC')
    expect(await dlg.getByTestId('promote-send').isDisabled()).toBe(false)
    await shot('s7-promote-confirmed')
    await dlg.getByTestId('promote-send').click()
    await dlg.getByTestId('promote-done').waitFor({ timeout: 60_000 })
    const id1 = await dlg.getByTestId('promote-done').getAttribute('data-id')
    const row1 = dlg.locator(`[data-testid=promotion-row][data-id="${id1}"]`)
    await row1.waitFor()
    expect(await row1.getByTestId('promotion-version').textContent()).toBe('v1')
    expect(await row1.getByTestId('promotion-hash').textContent()).toMatch(/^[0-9a-f]{8}$/)
    expect(await row1.textContent()).toContain(`src #${good.slice(0, 8)}`)
    await dlg.getByTestId('diff-first').waitFor()
    await shot('s8-promoted')

    // Edge stored the checklist and the source's hash with it.
    const stored = (await (await fetch(`${edge.url}/api/promotions/${id1}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      config: { strategy: { sourceHash: string }; checklist: { confirmation: string; items: { id: string; level: string }[] } }
    }
    expect(stored.config.strategy.sourceHash).toBe(good)
    expect(stored.config.checklist.confirmation).toBe('KRW-BTC')
    expect(stored.config.checklist.items.find((i) => i.id === 'data')?.level).toBe('amber')
    await page.keyboard.press('Escape')
    await dlg.waitFor({ state: 'hidden' })

    // 6. A second version of the lineage: another parameter value, promoted again; its diff.
    const fast = bt.getByTestId('bt-param-fast')
    await fast.fill('12')
    await fast.press('Enter')
    await page
      .waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'running', null, {
        timeout: 10_000,
      })
      .catch(() => undefined)
    await backtestDone()
    await bt.getByTestId('bt-promote').click()
    await dlg.getByTestId('promote-confirm').fill('KRW-BTC')
    await dlg.getByTestId('promote-send').click()
    await dlg.getByTestId('promote-done').waitFor({ timeout: 60_000 })
    const id2 = await dlg.getByTestId('promote-done').getAttribute('data-id')
    const row2 = dlg.locator(`[data-testid=promotion-row][data-id="${id2}"]`)
    await row2.waitFor()
    expect(await row2.getByTestId('promotion-version').textContent()).toBe('v2')
    await dlg.locator('[data-testid=diff-change][data-path="params.fast"]').waitFor({ timeout: 10_000 })
    expect(await dlg.locator('[data-testid=diff-change][data-path="params.fast"]').textContent()).toMatch(/8.*12/)
    await shot('s9-promotions-diff')
    await page.setViewportSize({ width: 1024, height: 768 })
    await shot('s9-promotions-diff-1024')
    await page.setViewportSize({ width: 1400, height: 900 })
    await page.keyboard.press('Escape')

    // The list from the backtest cell's Promotions button.
    await bt.getByTestId('bt-promotions').click()
    const list = page.getByTestId('promotions-dialog')
    await list.locator('[data-testid=promotion-row]').nth(1).waitFor()
    expect(await list.locator('[data-testid=promotion-row]').count()).toBe(2)
    await shot('s10-promotions-list')
    await page.keyboard.press('Escape')

    // 6b. A live cell starts a paper run of the promoted user strategy; edge runs exactly that
    //     source; the cell follows its status and event stream.
    await page.getByTestId('add-live').click()
    const live = liveCell()
    await live.getByTestId('live-promotion').waitFor({ timeout: 15_000 })
    await live.getByTestId('live-promotion').selectOption(String(id2))
    await live.getByTestId('live-mode-paper').click()
    await live.getByTestId('live-start').click()
    await live.locator('[data-testid=live-status][data-status=running]').waitFor({ timeout: 60_000 })
    await live.locator('[data-testid=stream-badge][data-state=live]').waitFor({ timeout: 60_000 })
    expect(await live.textContent()).toContain('user.e2e-ema-rsi v1')
    expect(await live.textContent()).toContain(`promotion #${id2}`)
    const runId = (await live.getByTestId('live-run-id').textContent())!
    const runs = (await (await fetch(`${edge.url}/api/runs`, { headers: { Authorization: `Bearer ${token}` } })).json()) as unknown
    expect(JSON.stringify(runs)).toContain(runId)
    // The shadow comparison replays the promoted source (fetched from edge, hash checked) in its
    // own SES worker once the run has decided its first bar (the sim clock is real time here).
    await page.waitForFunction(
      () => document.querySelector('[data-kind=live] [data-testid=shadow]')?.getAttribute('data-state') === 'agree',
      null,
      {
        timeout: 150_000,
      },
    )
    await live.scrollIntoViewIfNeeded()
    await shot('s10c-paper-run-user-strategy')
    await live.getByTestId('live-stop').click()
    await live.locator('[data-testid=live-status][data-status=stopped]').waitFor({ timeout: 30_000 })
    await shot('s10d-paper-run-stopped')

    // 7. An edit makes a new version; the backtest cell keeps running the one it names, after a
    //    reload too (its source comes back from IndexedDB by hash), until "Use the newest".
    await paste(GOOD.replace("name: 'slow', default: 30", "name: 'slow', default: 34"))
    const edited = await audited(good)
    await bt.getByTestId('bt-use-newest').waitFor()
    expect(await bt.getByTestId('bt-user-version').getAttribute('data-hash')).toBe(good)
    expect(await bt.getByTestId('bt-user-version').textContent()).toContain(`#${edited.slice(0, 8)}`)
    await bt.getByTestId('bt-user-version').evaluate((e) => e.scrollIntoView({ block: 'center' }))
    await shot('s10b-older-version')
    await page.reload()
    await backtestDone()
    expect(await bt.getByTestId('bt-user-version').getAttribute('data-hash')).toBe(good)
    expect(await bt.getByTestId('bt-facts').textContent()).toContain(`#${good.slice(0, 8)}`)
    expect(await bt.getByTestId('bt-param-fast').inputValue()).toBe('12')
    await bt.getByTestId('bt-use-newest').click()
    await page.waitForFunction(
      (h) => document.querySelector('[data-kind=backtest] [data-testid=bt-facts]')?.textContent?.includes(`#${h}`),
      edited.slice(0, 8),
      { timeout: 30_000 },
    )
    await backtestDone()
    expect(await bt.getByTestId('bt-param-slow').inputValue()).toBe('34')
    expect(errors).toEqual([])
  }, 420_000)

  it('runs user code in the workers’ SES sandbox and stops a runaway strategy with the cell’s Stop', async () => {
    const cell = strategyCell()
    const bt = backtestCell()

    // No clock in the sandbox: Date.now() throws in the compartment, so the shape audit fails.
    await paste(USES_CLOCK)
    await page.waitForFunction(
      () => document.querySelector('[data-kind=strategy] [data-testid=audit-shape]')?.getAttribute('data-tone') === 'bad',
      null,
      { timeout: 30_000 },
    )
    // The error names the user's line (`const now = Date.now()` is line 4 of USES_CLOCK).
    expect(await cell.getByTestId('audit-shape').getAttribute('title')).toMatch(/signals threw: .*(secure mode|Date).* \(line 4\)/)
    await cell.scrollIntoViewIfNeeded()
    await shot('s11-no-clock')

    // Nothing else either: no DOM, network, storage, timers, messaging, clock or randomness.
    await paste(PROBES)
    await page.waitForFunction(
      () => document.querySelector('[data-kind=strategy] [data-testid=audit-shape]')?.getAttribute('title')?.includes('reachable:'),
      null,
      { timeout: 30_000 },
    )
    expect(await cell.getByTestId('audit-shape').getAttribute('title')).toMatch(/reachable: \[\]/)

    // An endless loop: the audits never finish; Stop ends them (the worker is terminated).
    await paste(LOOPS)
    await page.waitForFunction(
      () => document.querySelector('[data-kind=strategy] [data-testid=strategy-check-status]')?.textContent?.includes('auditing'),
      null,
      {
        timeout: 30_000,
      },
    )
    await shot('s12-loop-auditing')
    await cell.getByRole('button', { name: 'Stop the run' }).click()
    await page.waitForFunction(() => document.querySelector('[data-kind=strategy]')?.getAttribute('data-status') === 'cancelled', null, {
      timeout: 5_000,
    })

    // The backtest cell runs it too; its Stop answers at once and the worker is replaced.
    await bt.scrollIntoViewIfNeeded()
    await bt.getByTestId('bt-strategy').selectOption('user.e2e-loops')
    await page.waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'running', null, {
      timeout: 10_000,
    })
    await page.waitForTimeout(500)
    await shot('s13-loop-running')
    await bt.getByRole('button', { name: 'Stop the run' }).click()
    await page.waitForFunction(() => document.querySelector('[data-kind=backtest]')?.getAttribute('data-status') === 'cancelled', null, {
      timeout: 3_000,
    })
    await shot('s14-loop-stopped')

    // A fresh worker: the next run works.
    await bt.getByTestId('bt-strategy').selectOption('rsi')
    await backtestDone()
    expect(await bt.getByTestId('bt-facts').textContent()).toMatch(/^\s*RSI cross \(seed 001\)/)
    await shot('s15-after-stop')

    // The optimize cell sweeps it in its sandboxed workers: Cancel terminates them (the loop
    // cannot be interrupted otherwise) and the cell sweeps again.
    const opt = optimizeCell()
    await opt.scrollIntoViewIfNeeded()
    await opt.getByTestId('opt-strategy').selectOption('user.e2e-loops')
    await opt.getByTestId('opt-run').click()
    await statusOf('optimize', 'running', 10_000)
    await page.waitForTimeout(500)
    await opt.getByTestId('opt-progress').evaluate((e) => e.scrollIntoView({ block: 'center' }))
    await shot('s16-optimize-loop-running')
    await opt.getByTestId('opt-cancel').click()
    await statusOf('optimize', 'cancelled', 5_000)
    await opt.getByTestId('opt-strategy').selectOption('user.e2e-ema-rsi')
    await opt.getByTestId('vary-fast').click()
    await opt.getByTestId('opt-run').click()
    await statusOf('optimize', 'done', 120_000)
    expect(await opt.getByTestId('opt-table').getByTestId('opt-row').count()).toBeGreaterThan(0)
    await shot('s17-optimize-after-cancel')
    expect(errors).toEqual([])
  })
})
