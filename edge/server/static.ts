// The built lab, served from its build directory only (never the repo, DATA_DIR or .env).
// Everything compressible is compressed when the client accepts it. Vite names everything under
// /assets by content hash, so those files are cached for a year as immutable; index.html (and any
// other unhashed file) is revalidated on every load so a rebuild shows up at once.
import type { Hono, MiddlewareHandler } from 'hono'
import { compress } from 'hono/compress'
import { serveStatic } from '@hono/node-server/serve-static'

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'

/** Paths that belong to routes, never to files (their 404s and 405s come from the router). */
const isRouted = (path: string): boolean => path === '/api' || path.startsWith('/api/') || path.startsWith('/sim/')

const skipRouted =
  (mw: MiddlewareHandler): MiddlewareHandler =>
  (c, next) =>
    isRouted(c.req.path) ? next() : mw(c, next)

export function installStatic(app: Hono, staticRoot: string): void {
  app.use(
    '/*',
    skipRouted(async (c, next) => {
      await next()
      if (c.res.status === 200 || c.res.status === 206 || c.res.status === 304) {
        c.header('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE_CACHE : 'no-cache')
      }
    }),
  )
  app.use('/*', skipRouted(compress()))
  app.use('/*', skipRouted(serveStatic({ root: staticRoot })))
}
