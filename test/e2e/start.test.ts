// `npm start`'s server in real Chromium: the built lab loads, talks to edge and is cross-origin
// isolated (the optimizer's SharedArrayBuffer depends on it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { launchBrowser, startEdge, type RunningEdge } from './helpers.ts'
import { buildLab } from './setup-build.ts'

let edge: RunningEdge
let browser: BrowserContext

beforeAll(async () => {
  buildLab()
  edge = await startEdge()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await edge?.stop()
})

describe('lab served by edge', () => {
  it('loads, reaches the health route and is cross-origin isolated', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(edge.url)
    await page.getByTestId('health').filter({ hasText: 'ok' }).waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('isolation').textContent()).toContain('yes')
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function')
    expect(errors).toEqual([])
  })
})
