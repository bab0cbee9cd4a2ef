// Browser end-to-end helpers: start `npm start`'s server on a free port and drive Debian's
// Chromium with playwright-core (never a downloaded browser).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { buildLab } from './setup-build.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (.ci/run does)`)
}

/** Headless Debian Chromium with a fresh profile (or the given profile folder). */
export async function launchBrowser(profile = mkdtempSync(join(tmpdir(), 'lab-e2e-'))): Promise<BrowserContext> {
  assertChromium()
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface RunningEdge {
  readonly url: string
  stop(): Promise<void>
}

/** Starts edge (tsx edge/main.ts) on a random port over an existing dist/ and waits for its banner. */
export async function startEdge(extraEnv: Record<string, string> = {}): Promise<RunningEdge> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'edge/main.ts'], {
    env: { ...process.env, EDGE_PORT: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`edge did not start: ${log}`)), 30_000)
    const onData = (d: Buffer): void => {
      log += d.toString()
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`edge exited with ${code}: ${log}`)))
  })
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

export interface LabSession {
  readonly edge: RunningEdge
  readonly browser: BrowserContext
  /** edge's API token, read from its data folder. */
  readonly token: string
}

/**
 * The lifecycle of an e2e file: before all, the screenshot folder, the lab built, edge started on
 * a fresh data folder with `env` (SIM_HISTORY_DAYS and such) and Chromium launched, handed to
 * `ready`; after all, both stopped.
 */
export function useLabSession(shots: string, env: Record<string, string>, ready: (s: LabSession) => void): void {
  let s: LabSession | undefined
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    buildLab()
    const dataDir = mkdtempSync(join(tmpdir(), 'lab-e2e-data-'))
    const edge = await startEdge({ DATA_DIR: dataDir, ...env })
    const token = readFileSync(join(dataDir, 'edge-token'), 'utf8').trim()
    s = { edge, browser: await launchBrowser(), token }
    ready(s)
  })
  afterAll(async () => {
    await s?.browser.close()
    await s?.edge.stop()
  })
}

/** A page on the lab (with the token) at 1400×900 that collects page errors and console errors. */
export async function openLabPage(s: Pick<LabSession, 'browser' | 'edge' | 'token'>): Promise<{ page: Page; errors: string[] }> {
  const page = await s.browser.newPage()
  await page.setViewportSize({ width: 1400, height: 900 })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(`${s.edge.url}/#token=${s.token}`)
  return { page, errors }
}
