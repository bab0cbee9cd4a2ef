// Builds the edge HTTP app (design §5). Tests call app.request() directly; main.ts adds the socket.
// For now it serves the built lab and a health route; the API, runner and journal come with the
// edge issue. Security headers are here from the start because the lab relies on them.
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { serveStatic } from '@hono/node-server/serve-static'

export const EDGE_VERSION = '0.1.0'

export interface AppDeps {
  /** Directory of the built lab (vite build output). */
  readonly staticRoot: string
  /** Accepts the Host header values of this server (DNS-rebinding guard). */
  readonly isAllowedHost: (host: string) => boolean
  /** The simulated Upbit venue's HTTP app, served under SIM_BASE_PATH (Upbit paths after it). */
  readonly simApp?: Hono
}

/** Where edge serves the simulated venue: http://127.0.0.1:8787/sim/v1/…, ws …/sim/websocket/v1. */
export const SIM_BASE_PATH = '/sim'

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()

  app.use('*', async (c, next) => {
    const host = c.req.header('host')
    if (!host || !deps.isAllowedHost(host)) return c.json({ error: { name: 'bad_host', message: `Host ${host ?? '(none)'} not allowed` } }, 403)
    await next()
    // Cross-origin isolation (SharedArrayBuffer for the optimizer workers) and no framing.
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
    c.header('Cross-Origin-Embedder-Policy', 'require-corp')
    c.header('Content-Security-Policy', "frame-ancestors 'none'")
    c.header('X-Content-Type-Options', 'nosniff')
  })

  app.get('/api/health', (c) => c.json({ ok: true, version: EDGE_VERSION, venues: deps.simApp ? ['sim'] : [] }))
  if (deps.simApp) app.route(SIM_BASE_PATH, deps.simApp)
  app.use('/assets/*', compress())
  app.use('/*', serveStatic({ root: deps.staticRoot }))
  return app
}
