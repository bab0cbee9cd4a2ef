// Edge's request guards, in the order they run (design §5, reliability §7):
//   1. security headers on every response (set after the handler, so errors get them too);
//   2. Host allow-list on every request (DNS rebinding), before static files and routing;
//   3. Origin check on every unsafe request anywhere and on every /api request (CSRF);
//   4. bearer token on every /api route except the data-free health check;
//   5. on unsafe /api requests that reach a route: JSON content type (415) and a size cap (413).
// The WebSocket upgrade path gets 2 and 3 in upgrade.ts (it does not pass through Hono).
import type { Hono, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { matchedRoutes } from 'hono/route'
import { ApiError, errorResponse } from './errors.ts'
import { UNSAFE_METHODS, type OriginPolicy } from './origin-policy.ts'
import { createTokenCheck } from './token.ts'

/** Public /api paths: data-free, so a token-less monitor can tell edge is up. */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/health'])

/** Default cap for JSON bodies on /api (a route may read less, never more). */
export const MAX_JSON_BODY_BYTES = 64 * 1024
/** POST /api/promotions may carry a user strategy's source (≤ 200,000 characters). */
export const MAX_PROMOTION_BODY_BYTES = 512 * 1024

// The lab is all same-origin modules: scripts and workers from 'self' (module workers may also be
// blob: URLs), WebAssembly allowed to compile, inline styles for Svelte transitions and Plotly's
// SVG, data:/blob: images for charts and exports, fetch/WebSocket only back to edge.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Worker scripts (`/assets/<name>.worker-<hash>.js`) get their own policy (a dedicated worker runs
 * under the CSP of its script's response): the same, plus 'unsafe-eval', because the workers that
 * run user code (strategy audits, backtests and sweeps of user strategies, code cells) evaluate it
 * inside SES compartments, which compile with Function. The page itself never may.
 */
export const WORKER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self' 'wasm-unsafe-eval'",
  "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
)

const WORKER_SCRIPT = /^\/assets\/[\w.-]+\.worker-[\w-]+\.js$/

export interface SecurityOptions {
  readonly policy: OriginPolicy
  readonly token: string
  readonly maxJsonBodyBytes?: number
}

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  // Cross-origin isolation (SharedArrayBuffer for the optimizer workers), no framing, no sniffing.
  c.header('Cross-Origin-Opener-Policy', 'same-origin')
  c.header('Cross-Origin-Embedder-Policy', 'require-corp')
  c.header('Cross-Origin-Resource-Policy', 'same-origin')
  c.header('Content-Security-Policy', WORKER_SCRIPT.test(c.req.path) ? WORKER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY)
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'no-referrer')
  if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store')
}

const isApi = (path: string): boolean => path === '/api' || path.startsWith('/api/')

/** True when a route handler (not just middleware) exists for this method and path. */
function routeMatches(c: Parameters<MiddlewareHandler>[0]): boolean {
  return matchedRoutes(c).some((r) => r.method !== 'ALL' && r.path !== '/*' && r.path !== '*')
}

export function installSecurity(app: Hono, o: SecurityOptions): void {
  const checkToken = createTokenCheck(o.token)
  const maxSize = o.maxJsonBodyBytes ?? MAX_JSON_BODY_BYTES
  app.use('*', securityHeaders)
  app.use('*', async (c, next) => {
    const host = c.req.header('host')
    if (!o.policy.isAllowedHost(host)) throw new ApiError(403, 'bad_host', 'Host not allowed: open edge at http://127.0.0.1:<port>/')
    const origin = c.req.header('origin')
    const unsafe = UNSAFE_METHODS.has(c.req.method)
    if ((unsafe || isApi(c.req.path)) && (!o.policy.isAllowedOrigin(origin) || c.req.header('sec-fetch-site') === 'cross-site')) {
      throw new ApiError(403, 'bad_origin', 'cross-origin request refused')
    }
    await next()
  })
  app.use('/api/*', async (c, next) => {
    if (!PUBLIC_API_PATHS.has(c.req.path) && !checkToken(c.req.header('authorization'))) {
      throw new ApiError(401, 'unauthorized', 'missing or wrong token: send Authorization: Bearer <token> (printed by npm start)')
    }
    await next()
  })
  app.use('/api/*', async (c, next) => {
    if (!UNSAFE_METHODS.has(c.req.method) || !routeMatches(c)) return next()
    const type = c.req.header('content-type') ?? ''
    if (!/^application\/json\s*(;|$)/i.test(type))
      throw new ApiError(415, 'unsupported_media_type', 'send a JSON body with Content-Type: application/json')
    const limit = c.req.path === '/api/promotions' ? Math.max(maxSize, MAX_PROMOTION_BODY_BYTES) : maxSize
    return bodyLimit({
      maxSize: limit,
      onError: (cc) => errorResponse(cc, new ApiError(413, 'payload_too_large', `request body over ${limit} bytes`)),
    })(c, next)
  })
}
