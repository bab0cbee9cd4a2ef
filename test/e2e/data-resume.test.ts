// A new notebook in real Chromium against `npm start`'s server on the sim venue (12 days of
// history, Upbit's candle rate limit: a 10-day download takes several seconds):
// 1. create a notebook, write a note key by key (real keystrokes), render it with Shift+Enter;
// 2. add a data cell over 10 whole past days and start the download; cancel it part way: the
//    cell says how much is stored; run again and reload the page part way; run once more to
//    the end. The stored bars are exactly edge's own count for the range (every bar once: none
//    duplicated by the resumes, none skipped), and the coverage is whole;
// 3. a reload finds the notebook, its note and the data cell's result again.
// No console errors. Screenshots go to E2E_SHOTS (default: a folder in the system temp dir).
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { openLabPage, useLabSession, type RunningEdge } from './helpers.ts'

const SHOTS = process.env.E2E_SHOTS ?? join(tmpdir(), 'lab-e2e-data-resume')
const DAY_MS = 86_400_000
let edge: RunningEdge
let browser: BrowserContext
let token: string
useLabSession(SHOTS, { SIM_HISTORY_DAYS: '12' }, (s) => ({ edge, browser, token } = s))

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) })
const num = (s: string | null): number => Number(s!.replace('−', '-').replace(/[^\d.-]/g, ''))
/** A whole past UTC day, k days back, as the date input takes it. */
const day = (k: number): string => new Date(Date.now() - k * DAY_MS).toISOString().slice(0, 10)

/** The data cell's progress bar value (0..100), 0 when it is not shown. */
const progressOf = (page: Page): Promise<number> =>
  page.evaluate(() => Number(document.querySelector('[data-testid=data-progress] [role=progressbar]')?.getAttribute('aria-valuenow') ?? 0))

async function waitProgress(page: Page, above: number): Promise<void> {
  await expect.poll(() => progressOf(page), { timeout: 60_000, interval: 50 }).toBeGreaterThan(above)
}

const statusOf = (cell: Locator): Promise<string | null> => cell.getAttribute('data-status')

/** Edge's own count of the bars in [from, to) (the last line of its candle stream). */
async function edgeBars(fromMs: number, toMs: number): Promise<number> {
  const r = await fetch(`${edge.url}/api/candles?venue=sim&market=KRW-BTC&timeframe=1m&from=${fromMs}&to=${toMs}`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  expect(r.status).toBe(200)
  const lines = (await r.text()).trimEnd().split('\n')
  const done = JSON.parse(lines.at(-1)!) as { kind: string; bars: number }
  expect(done.kind).toBe('done')
  return done.bars
}

describe('a new notebook: a download cancelled, resumed and interrupted by a reload', () => {
  it('creates a notebook, writes a note, and downloads 10 days through a cancel and a reload, every bar once', async () => {
    const { page, errors } = await openLabPage({ browser, edge, token })
    const cells = page.getByTestId('cell')
    await cells.first().waitFor({ timeout: 15_000 })

    // 1. A new notebook, next to the example.
    const list = page.getByTestId('notebook-list').locator('li')
    const notebooks = await list.count()
    await page.getByTestId('new-notebook').click()
    await expect.poll(() => list.count()).toBe(notebooks + 1)
    await page.getByTestId('notebook-title').fill('Resume test')
    const before = await cells.count()
    await page.getByTestId('add-note').click()
    await expect.poll(() => cells.count()).toBe(before + 1)
    const note = cells.last()
    await note.getByTestId('note-source').click()
    await page.keyboard.type('Ten days of **KRW-BTC** minutes', { delay: 15 })
    await page.keyboard.press('Shift+Enter')
    await note.locator('[data-testid=note-rendered] strong').waitFor()
    expect(await note.getByTestId('note-rendered').textContent()).toContain('Ten days of KRW-BTC minutes')

    // 2. A data cell over 10 whole past days.
    await page.getByTestId('add-data').click()
    const data = page.locator('[data-testid=cell][data-kind=data]').last()
    await data.waitFor()
    await data.getByTestId('data-range-mode').selectOption('between')
    await data.getByTestId('data-from').fill(day(11))
    await data.getByTestId('data-to').fill(day(2))
    const fromMs = Date.parse(`${day(11)}T00:00:00Z`)
    const toMs = Date.parse(`${day(2)}T00:00:00Z`) + DAY_MS
    const expected = await edgeBars(fromMs, toMs)
    expect(expected).toBeGreaterThan(10 * 1440 * 0.9)

    // Start, then cancel part way: the cell keeps what it stored and says how much.
    await data.getByTestId('cell-run').click()
    await waitProgress(page, 10)
    await shot(page, '1-downloading')
    await data.getByTestId('data-cancel').click()
    await expect.poll(() => statusOf(data)).toBe('cancelled')
    const storedAfterCancel = num(await data.getByTestId('data-stored-fraction').textContent())
    expect(storedAfterCancel).toBeGreaterThan(5)
    expect(storedAfterCancel).toBeLessThan(100)
    await shot(page, '2-cancelled')

    // Run again from there, and reload the page part way.
    await data.getByTestId('cell-run').click()
    await waitProgress(page, storedAfterCancel + 5)
    await page.reload()
    await cells.first().waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('notebook-title').inputValue()).toBe('Resume test')
    const again = page.locator('[data-testid=cell][data-kind=data]').last()
    // It never finished, so it waits for its Run, with what it stored so far.
    await expect.poll(async () => num(await again.getByTestId('data-stored-fraction').textContent())).toBeGreaterThan(storedAfterCancel)
    await shot(page, '3-after-reload')
    if ((await statusOf(again)) !== 'running') await again.getByTestId('cell-run').click()
    await again.getByTestId('data-summary').waitFor({ timeout: 90_000 })
    await expect.poll(() => statusOf(again)).toBe('done')

    // Every bar of the range once: edge's count, full coverage.
    expect(num(await again.getByTestId('data-bars').textContent())).toBe(expected)
    expect(await again.getByTestId('data-covered').textContent()).toMatch(/^100(\.0)?%$/)
    await shot(page, '4-done')

    // 3. One more reload, once the notebook has saved that the cell ran (so it runs again on open):
    // the notebook, its note and the data (from the store) are there.
    await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor()
    await page.reload()
    await cells.first().waitFor({ timeout: 15_000 })
    const last = page.locator('[data-testid=cell][data-kind=data]').last()
    await last.getByTestId('data-summary').waitFor({ timeout: 30_000 })
    expect(num(await last.getByTestId('data-bars').textContent())).toBe(expected)
    expect(await page.getByTestId('note-rendered').last().textContent()).toContain('Ten days of KRW-BTC minutes')
    expect(errors).toEqual([])
    console.log(`data-resume e2e screenshots: ${SHOTS}`)
    await page.close()
  })
})
