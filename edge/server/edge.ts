// Wires a running edge from its settings: the journal (opened first: edge never serves without
// it), the simulated venue, one client per venue, the app, the listening server and the guarded
// WebSocket upgrades; close() releases them in reverse order, the journal last. main.ts calls it after reading the
// configuration; tests call it to run edge the way main does (the canary scan, upgrade checks).
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { createApp, SIM_BASE_PATH } from '../app.ts'
import { ConfigError } from '../config/errors.ts'
import { acquireInstanceLock } from '../config/instance-lock.ts'
import { journalPath } from '../config/journal-path.ts'
import type { Settings } from '../config/settings.ts'
import { JournalError, openJournal, type Journal } from '../journal/index.ts'
import { createSimVenue, shapeClientErrors, type SimVenue } from '../sim/index.ts'
import { createFileBlockStore, type FetchLike } from '../upbit/index.ts'
import { createEventLog, type EventLog } from '../runner/event-log.ts'
import { RunManager } from '../runner/manager.ts'
import { createPrivateStreams, privateWsUrl, type PrivateStreams } from '../runner/private-stream.ts'
import { attachStream, STREAM_PATH, type StreamHub } from '../stream/hub.ts'
import type { Logger } from './logger.ts'
import { createOriginPolicy } from './origin-policy.ts'
import { createUpgradeFacade, routeUpgrades } from './upgrade.ts'
import { createVenues, type Venues } from './venues.ts'

export interface RunningEdge {
  readonly app: Hono
  readonly server: Server
  readonly sim: SimVenue
  readonly venues: Venues
  readonly journal: Journal
  readonly runs: RunManager
  readonly events: EventLog
  readonly stream: StreamHub
  readonly port: number
  /** http://<host>:<port> as a browser on this machine should open it. */
  readonly origin: string
  close(): Promise<void>
}

export interface StartOptions {
  readonly settings: Settings
  readonly token: string
  readonly logger: Logger
  /** Fetch for the `upbit` venue (tests point it at a local fake; default global fetch). */
  readonly upbitFetch?: FetchLike
  /** The built-in venue's clock: speed (1 = real time; tests run hundreds of bars in seconds) and start. */
  readonly simClock?: { readonly speed?: number; readonly startMs?: number }
  /** Bar intervals without a new closed candle before a run halts as stale (default runner STALE_BARS). */
  readonly staleBars?: number
  /** Unsent bytes above which a stream client is dropped (edge/stream/hub.ts). */
  readonly streamMaxBufferedBytes?: number
  /** Between stream heartbeats and pings (tests; default 10 s). */
  readonly streamHeartbeatMs?: number
  /** Live runs: delays of the lookups that follow a market order (default live-run.ts). */
  readonly followDelaysMs?: readonly number[]
  /** Crash trials: called at named points of a live run (main.ts kills the process there). */
  readonly crashPoint?: (point: string) => void
}

// The sim's client calls the sim's Hono app in-process: no socket, no bind address to get right,
// and still the same Upbit client code as for api.upbit.com (only base URL and transport differ).
const SIM_INTERNAL_URL = 'http://sim.internal'

const browserHost = (host: string): string =>
  host === '0.0.0.0' || host === '::' || host === 'localhost' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host

/** Opens DATA_DIR/journal.sqlite; a journal edge must not use is a configuration problem to fix. */
function openEdgeJournal(dataDir: string): Journal {
  const path = journalPath(dataDir)
  try {
    return openJournal(path)
  } catch (e) {
    if (e instanceof JournalError) throw new ConfigError(`journal ${path}: ${e.message}`)
    throw e
  }
}

export async function startEdge(o: StartOptions): Promise<RunningEdge> {
  const { settings, logger } = o
  // Before the journal and any venue: a second edge on this DATA_DIR stops here.
  const lock = acquireInstanceLock(settings.dataDir)
  let journal: Journal
  try {
    journal = openEdgeJournal(settings.dataDir)
  } catch (e) {
    lock.release()
    throw e
  }
  const sim = createSimVenue({
    accessKey: settings.sim.accessKey,
    secretKey: settings.sim.secretKey,
    historyDays: settings.sim.historyDays,
    ...(o.simClock?.speed !== undefined
      ? { clockSpeed: o.simClock.speed }
      : settings.sim.clockSpeed !== undefined
        ? { clockSpeed: settings.sim.clockSpeed }
        : {}),
    ...(o.simClock?.startMs !== undefined ? { startMs: o.simClock.startMs } : {}),
    logger: {
      warn: (m) => logger.warn(`sim: ${m}`),
      error: (m, d) => logger.error(`sim: ${m}${d instanceof Error ? `: ${d.message}` : ''}`),
    },
  })
  const venues = createVenues([
    {
      id: 'upbit',
      baseUrl: settings.upbit.baseUrl,
      ...(settings.upbit.keys ? { keys: settings.upbit.keys } : {}),
      ...(o.upbitFetch ? { fetch: o.upbitFetch } : {}),
      blockStore: createFileBlockStore(join(settings.dataDir, 'upbit-block.json')),
      ...(settings.upbit.clock ? { nowMs: settings.upbit.clock } : {}),
    },
    {
      id: 'sim',
      baseUrl: SIM_INTERNAL_URL,
      keys: { accessKey: settings.sim.accessKey, secretKey: settings.sim.secretKey },
      fetch: async (url, init) => sim.app.request(url, init),
      nowMs: sim.clock.nowMs,
    },
  ])
  let port = settings.port
  const policy = createOriginPolicy(() => port, settings.extraHostnames)
  const events = createEventLog(journal, (e) => logger.error(`stream listener: ${e instanceof Error ? e.message : String(e)}`))
  // Private WebSockets for live runs: the sim's is served by this very server (known once it listens).
  const privateStreams: PrivateStreams = createPrivateStreams((venue) => {
    if (venue === 'sim')
      return {
        url: `ws://127.0.0.1:${port}${SIM_BASE_PATH}/websocket/v1/private`,
        accessKey: settings.sim.accessKey,
        secretKey: settings.sim.secretKey,
      }
    const keys = settings.upbit.keys
    return keys ? { url: privateWsUrl(settings.upbit.baseUrl), ...keys } : undefined
  }, logger)
  const runs = new RunManager({
    journal,
    venues,
    events,
    logger,
    privateStreams,
    ...(o.staleBars !== undefined ? { staleBars: o.staleBars } : {}),
    ...(o.followDelaysMs !== undefined ? { followDelaysMs: o.followDelaysMs } : {}),
    ...(o.crashPoint !== undefined ? { crashPoint: o.crashPoint } : {}),
  })
  const app = createApp({ staticRoot: settings.staticRoot, policy, token: o.token, venues, simApp: sim.app, logger, journal, runs })

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, () => resolve(s as Server)) as Server
    s.once('error', reject)
  }).catch((e: unknown) => {
    sim.dispose()
    journal.close()
    lock.release()
    throw e
  })
  port = (server.address() as AddressInfo).port
  const simUpgrades = createUpgradeFacade()
  sim.attachWebSocket(simUpgrades, SIM_BASE_PATH)
  const streamUpgrades = createUpgradeFacade()
  const stream = attachStream(streamUpgrades, {
    journal,
    events,
    token: o.token,
    ...(o.streamMaxBufferedBytes !== undefined ? { maxBufferedBytes: o.streamMaxBufferedBytes } : {}),
    ...(o.streamHeartbeatMs !== undefined ? { heartbeatMs: o.streamHeartbeatMs } : {}),
  })
  routeUpgrades(server, policy, [
    { prefix: SIM_BASE_PATH, server: simUpgrades },
    { prefix: STREAM_PATH, server: streamUpgrades },
  ])
  // Oversized headers and malformed HTTP get a JSON error instead of an empty body.
  shapeClientErrors(server)
  // Runs that were running when edge last stopped continue (rebuilt from the venue's history).
  await runs.resumeActive()

  return {
    app,
    server,
    sim,
    venues,
    journal,
    runs,
    events,
    stream,
    port,
    origin: `http://${browserHost(settings.host)}:${port}`,
    async close() {
      runs.dispose()
      await privateStreams.close()
      stream.close()
      sim.dispose()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      // Last: no request is in flight any more, so no write is cut off.
      journal.close()
      lock.release()
    },
  }
}
