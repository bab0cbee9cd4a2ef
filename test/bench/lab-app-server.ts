// Bench helper: builds the lab as `npm start` serves it (vite build, production mode) into a temp
// dir and serves it on 127.0.0.1 with COOP/COEP (cross-origin isolated, as edge serves it) and
// small stand-ins for the few edge routes the notebook calls on load (health, venues, markets),
// so the bench times the lab itself, without edge or a download. Candles come from the page's
// own IndexedDB (the bench seeds them); a candle request is answered with an error.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }

export interface LabAppServer {
  readonly url: string
  /** Every API path the page asked for (the bench checks no candle was downloaded). */
  readonly apiRequests: string[]
  close(): Promise<void>
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...ISOLATION }).end(JSON.stringify(body))
}

/** `minify: false` keeps function names (for profiles). */
export async function buildAndServeLab(opts: { minify?: boolean } = {}): Promise<LabAppServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'lab-app-'))
  // Production mode, whatever NODE_ENV the caller has (packages pick their production builds).
  const env = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true, minify: opts.minify ?? true },
    })
  } finally {
    if (env === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = env
  }
  const apiRequests: string[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname.startsWith('/api/')) {
      apiRequests.push(url.pathname)
      if (url.pathname === '/api/health') return json(res, 200, { ok: true, version: 'bench' })
      if (url.pathname === '/api/venues') return json(res, 200, { venues: [{ id: 'sim', keys: false }] })
      if (url.pathname === '/api/markets') return json(res, 200, { venue: url.searchParams.get('venue'), markets: [] })
      return json(res, 404, { error: { code: 'not_found', message: 'the bench server has no candles: seed IndexedDB' } })
    }
    const path = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname))
    const file = join(outDir, path)
    if (!file.startsWith(outDir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...ISOLATION })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    apiRequests,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()))
      rmSync(outDir, { recursive: true, force: true })
    },
  }
}
