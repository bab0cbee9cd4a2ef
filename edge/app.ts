// Builds the edge HTTP app (design §5). Tests call app.request() with fakes; main.ts adds the
// socket, the WebSocket upgrades and the process concerns. Order matters: guards first
// (server/security.ts), then one sub-app per feature under /api, the simulated venue under /sim,
// and the built lab last. Later features (runs, stream) are one more file in edge/api/ and one
// more `app.route` line here.
import { Hono } from 'hono'
import { methodNotAllowed } from 'hono/method-not-allowed'
import { candleRoutes } from './api/candles.ts'
import { healthRoutes } from './api/health.ts'
import { marketRoutes } from './api/markets.ts'
import { promotionRoutes } from './api/promotions.ts'
import { killRoutes, runRoutes } from './api/runs.ts'
import { venueRoutes } from './api/venues.ts'
import type { Journal } from './journal/index.ts'
import { ApiError, errorResponse, installErrorHandling } from './server/errors.ts'
import { CONSOLE_LOGGER, type Logger } from './server/logger.ts'
import type { OriginPolicy } from './server/origin-policy.ts'
import type { RunManager } from './runner/manager.ts'
import { installSecurity } from './server/security.ts'
import { installStatic } from './server/static.ts'
import type { Venues } from './server/venues.ts'

export { EDGE_VERSION } from './api/health.ts'

export interface AppDeps {
  /** Directory of the built lab (vite build output). */
  readonly staticRoot: string
  /** Host and Origin allow-lists (server/origin-policy.ts). */
  readonly policy: OriginPolicy
  /** The API token (256-bit, hex): `Authorization: Bearer <token>` on every /api route but health. */
  readonly token: string
  /** Venues for the market-data routes: one Upbit client (one rate limiter) each. */
  readonly venues: Venues
  /** The simulated Upbit venue's HTTP app, served under SIM_BASE_PATH (Upbit paths after it). */
  readonly simApp?: Hono
  readonly logger?: Logger
  /** Cap for JSON request bodies on /api (default server/security.ts MAX_JSON_BODY_BYTES). */
  readonly maxJsonBodyBytes?: number
  /**
   * The SQLite journal (edge/journal), opened and closed by the caller (server/edge.ts; tests use
   * an in-memory or temp-dir one). Without it the routes that need it (promotions) are not
   * mounted and answer 404.
   */
  readonly journal?: Journal
  /** Clock for stored times (default Date.now; tests pin it). */
  readonly nowMs?: () => number
  /** The runs of this edge (edge/runner); without it /api/runs and /api/kill answer 404. */
  readonly runs?: RunManager
}

/** Where edge serves the simulated venue: http://127.0.0.1:8787/sim/v1/…, ws …/sim/websocket/v1. */
export const SIM_BASE_PATH = '/sim'

export function createApp(deps: AppDeps): Hono {
  const logger = deps.logger ?? CONSOLE_LOGGER
  const app = new Hono()
  installErrorHandling(app, logger)
  installSecurity(app, {
    policy: deps.policy,
    token: deps.token,
    ...(deps.maxJsonBodyBytes !== undefined ? { maxJsonBodyBytes: deps.maxJsonBodyBytes } : {}),
  })
  app.use(
    '/api/*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        errorResponse(
          c,
          new ApiError(405, 'method_not_allowed', `${c.req.method} not allowed on ${c.req.path}; use ${methods.join(', ')}`),
          { Allow: methods.join(', ') },
        ),
    }),
  )

  app.route('/api/health', healthRoutes())
  app.route('/api/venues', venueRoutes(deps.venues))
  app.route('/api/markets', marketRoutes(deps.venues))
  app.route('/api/candles', candleRoutes(deps.venues, logger))
  if (deps.journal) app.route('/api/promotions', promotionRoutes(deps.journal, deps.nowMs ?? Date.now))
  if (deps.runs) {
    app.route('/api/runs', runRoutes(deps.runs))
    app.route('/api/kill', killRoutes(deps.runs))
  }

  if (deps.simApp) app.route(SIM_BASE_PATH, deps.simApp)
  installStatic(app, deps.staticRoot)
  return app
}
