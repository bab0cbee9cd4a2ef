// Browser end-to-end helpers: start `npm start`'s server on a free port and drive Debian's
// Chromium with playwright-core (never a downloaded browser).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

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
