// Shared fakes for the edge app tests: a static root with a hashed asset, a fixed token, the
// loopback policy for port 8787 and venues whose transport never reaches a network.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type AppDeps } from '../../../edge/app.ts'
import type { Logger } from '../../../edge/server/logger.ts'
import { createOriginPolicy } from '../../../edge/server/origin-policy.ts'
import { createVenues, type Venues } from '../../../edge/server/venues.ts'
import type { FetchLike } from '../../../edge/upbit/index.ts'

export const TOKEN = 'c0ffee'.repeat(10) + 'abcd'
export const PORT = 8787
export const HOST = `127.0.0.1:${PORT}`
export const ORIGIN = `http://${HOST}`
export const ASSET = '/assets/index-Ab12Cd34.js'

export function makeStaticRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'edge-static-'))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>')
  // Big and repetitive so compression is worth it.
  writeFileSync(join(root, ASSET.slice(1)), `export const x = ${JSON.stringify('lab '.repeat(20_000))}\n`)
  return root
}

/** A transport that fails loudly: tests must never reach a real venue by accident. */
export const offlineFetch: FetchLike = () => Promise.reject(new Error('offline test: no network'))

export function offlineVenues(fetch: FetchLike = offlineFetch): Venues {
  return createVenues([
    { id: 'upbit', baseUrl: 'http://upbit.invalid', fetch },
    { id: 'sim', baseUrl: 'http://sim.invalid', fetch },
  ])
}

export interface CapturedLogger extends Logger {
  readonly lines: string[]
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) }
}

export function makeApp(overrides: Partial<AppDeps> = {}) {
  return createApp({
    staticRoot: makeStaticRoot(),
    policy: createOriginPolicy(() => PORT),
    token: TOKEN,
    venues: offlineVenues(),
    logger: captureLogger(),
    ...overrides,
  })
}

export interface ReqOptions {
  readonly method?: string
  readonly host?: string | null
  readonly token?: string | null
  readonly headers?: Record<string, string>
  readonly body?: string
}

/** A request as the lab would send it (loopback Host, the token), with every part overridable. */
export function request(app: ReturnType<typeof makeApp>, path: string, o: ReqOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers }
  if (o.host !== null) headers.host = o.host ?? HOST
  if (o.token !== null) headers.authorization = `Bearer ${o.token ?? TOKEN}`
  return Promise.resolve(app.request(path, { method: o.method ?? 'GET', headers, ...(o.body !== undefined ? { body: o.body } : {}) }))
}
