// Assembles the simulated Upbit venue: clock, generated markets, account and matching, JWT
// verifier, rate limits, faults, the Hono app and the WebSocket hub; `startSimVenue` also listens.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { JwtVerifier } from './auth.ts'
import { shapeClientErrors } from './client-errors.ts'
import { createExternalClock, createManualClock, createScaledClock, wrapClock } from './clock.ts'
import type { VenueClock } from './clock.ts'
import { Exchange } from './exchange.ts'
import { FaultBook } from './faults.ts'
import { DEFAULT_SIM_MARKETS, SIM_MARKET_PRESETS } from './generator.ts'
import { createHttpApp } from './http-app.ts'
import { Ledger } from './ledger.ts'
import { DAY_MS, Markets } from './market-data.ts'
import { registerExchangeRoutes } from './exchange-routes.ts'
import { registerQuotationRoutes } from './quotation-routes.ts'
import { RateLimiter } from './rate-limit.ts'
import { WsHub } from './ws-hub.ts'
import type { SimLogger, SimMarketSpec, SimOrder, SimVenue, SimVenueOptions, StartedSimVenue } from './types.ts'

const CONSOLE_LOGGER: SimLogger = {
  warn: (message) => console.warn(message),
  error: (message, detail) => console.error(message, detail),
}

function resolveMarkets(list: SimVenueOptions['markets']): SimMarketSpec[] {
  return (list ?? DEFAULT_SIM_MARKETS).map((m) => {
    if (typeof m !== 'string') return m
    const spec = SIM_MARKET_PRESETS[m]
    if (!spec) throw new Error(`unknown sim market ${m}; presets: ${Object.keys(SIM_MARKET_PRESETS).join(', ')}`)
    return spec
  })
}

function makeClock(opts: SimVenueOptions, startMs: number): VenueClock {
  if (opts.clock === 'manual') return createManualClock(startMs)
  if (opts.clock) return wrapClock(opts.clock)
  if (opts.now) return createExternalClock(opts.now)
  return createScaledClock(startMs, opts.clockSpeed ?? 1, Date.now)
}

export function createSimVenue(opts: SimVenueOptions): SimVenue {
  if (!opts.accessKey || !opts.secretKey) throw new Error('createSimVenue needs accessKey and secretKey')
  const startMs = opts.startMs ?? (opts.clock && opts.clock !== 'manual' ? opts.clock.nowMs() : opts.now ? opts.now() : Date.now())
  const clock = makeClock(opts, startMs)
  const nowMs = (): number => clock.nowMs()
  const historyDays = opts.historyDays ?? 2
  const markets = new Markets(resolveMarkets(opts.markets), opts.seed ?? 1, startMs - historyDays * DAY_MS)
  const ledger = new Ledger(opts.balances ?? { KRW: 10_000_000 })
  const verifier = new JwtVerifier({ accessKey: opts.accessKey, secretKey: opts.secretKey })
  const faults = new FaultBook()
  let hub: WsHub | null = null
  const exchange = new Exchange(markets, ledger, {
    order: (o, kind, trade) => hub?.onOrder(o, kind, trade),
    assets: (curs) => hub?.onAssets(curs),
  })
  const rateNow = opts.rateLimitNowMs ?? (clock.manual ? nowMs : Date.now)
  const enforceRateLimits = opts.enforceRateLimits ?? true
  const logger = opts.logger ?? CONSOLE_LOGGER
  hub = new WsHub(markets, ledger, verifier, faults, { nowMs, rateNowMs: rateNow, enforceRateLimits, logger })

  let syncedMs = startMs
  const sync = (): void => {
    const now = nowMs()
    if (now <= syncedMs) return
    const from = syncedMs
    syncedMs = now
    for (const code of markets.codes()) {
      markets.get(code)!.forEachPrint(from, now, (p) => {
        exchange.onPrint(code, p)
        hub!.onPrint(code, p)
      })
    }
  }
  clock.onAdvance(sync)

  const timers = new Set<ReturnType<typeof setTimeout>>()
  let releaseHeld = (): void => {}
  const disposed = new Promise<void>((r) => (releaseHeld = r))
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
      void disposed.then(() => {
        clearTimeout(t)
        resolve()
      })
    })
  const limiter = new RateLimiter(rateNow, enforceRateLimits)
  const app = createHttpApp({ faults, limiter, accountKey: opts.accessKey, sync, disposed, sleep, logger })
  registerQuotationRoutes(app, { markets, nowMs })
  registerExchangeRoutes(app, { markets, exchange, verifier, nowMs })

  const loop = clock.manual ? null : setInterval(sync, opts.tickIntervalMs ?? 200)
  loop?.unref()

  return {
    app,
    clock: { nowMs, advance: (ms) => clock.advance(ms) },
    faults,
    orders: (): SimOrder[] => exchange.list().map((o) => ({ ...o, trades: o.trades.map((t) => ({ ...t })) })),
    sync,
    attachWebSocket: (server: Server, prefix?: string) => hub!.attach(server, prefix),
    dispose() {
      if (loop) clearInterval(loop)
      for (const t of timers) clearTimeout(t)
      timers.clear()
      releaseHeld()
      hub!.close()
    },
  }
}

export async function startSimVenue(opts: SimVenueOptions & { port?: number; host?: string }): Promise<StartedSimVenue> {
  const venue = createSimVenue(opts)
  const host = opts.host ?? '127.0.0.1'
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: venue.app.fetch, port: opts.port ?? 0, hostname: host }, () => resolve(s as Server)) as Server
    s.once('error', reject)
  })
  shapeClientErrors(server)
  venue.attachWebSocket(server)
  const port = (server.address() as AddressInfo).port
  const hostForUrl = host.includes(':') ? `[${host}]` : host
  return {
    ...venue,
    port,
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}`,
    async close() {
      venue.dispose()
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
    },
  }
}
