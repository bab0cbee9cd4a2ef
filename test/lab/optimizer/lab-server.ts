// Test/bench helper: builds the optimizer's stand-alone page (lab/optimizer/panel.html) with the
// project's vite.config.ts into a temp dir and serves it on 127.0.0.1 with COOP/COEP (as edge
// and the Vite dev server do), plus the Chromium launch of stack.md §4.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext } from 'playwright-core'
import { build } from 'vite'
import { launchBrowser } from '../../e2e/helpers.ts'

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

export interface LabServer {
  /** e.g. http://127.0.0.1:41234/optimizer/panel.html */
  readonly panelUrl: string
  close(): Promise<void>
}

export async function buildAndServePanel(): Promise<LabServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'lab-panel-'))
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { panel: join(ROOT, 'lab/optimizer/panel.html') } } },
  })
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    const file = join(outDir, path)
    if (!file.startsWith(outDir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    panelUrl: `http://127.0.0.1:${port}/optimizer/panel.html`,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()))
      rmSync(outDir, { recursive: true, force: true })
    },
  }
}

export interface Browser {
  readonly context: BrowserContext
  close(): Promise<void>
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'lab-chromium-'))
  const context = await launchBrowser(profile)
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
