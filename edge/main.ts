// Process entry of edge: reads the environment, starts the simulated Upbit venue and serves the
// lab, the API and the venue on 127.0.0.1 only.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createApp, SIM_BASE_PATH } from './app.ts'
import { createSimVenue, shapeClientErrors } from './sim/index.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

const port = Number(process.env.EDGE_PORT ?? 8787)
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`EDGE_PORT must be a TCP port number, got ${process.env.EDGE_PORT}`)
const staticRoot = resolve(process.env.EDGE_STATIC_ROOT ?? 'dist')
if (!existsSync(resolve(staticRoot, 'index.html'))) fail(`no built lab in ${staticRoot}: run \`npm run build\` first (npm start does it)`)
const historyDays = Number(process.env.SIM_HISTORY_DAYS ?? 2)
if (!Number.isFinite(historyDays) || historyDays < 0) fail(`SIM_HISTORY_DAYS must be a number ≥ 0, got ${process.env.SIM_HISTORY_DAYS}`)

// The built-in venue's keys only guard this process's own simulated accounts; edge is its only
// client, so fresh random keys per start are enough unless the user pins them.
const sim = createSimVenue({
  accessKey: process.env.SIM_ACCESS_KEY ?? randomBytes(16).toString('hex'),
  secretKey: process.env.SIM_SECRET_KEY ?? randomBytes(32).toString('hex'),
  historyDays,
})

let actualPort = port
const app = createApp({
  staticRoot,
  isAllowedHost: (host) => host === `127.0.0.1:${actualPort}` || host === `localhost:${actualPort}`,
  simApp: sim.app,
})

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  actualPort = info.port
  console.log(`edge listening on http://127.0.0.1:${info.port} (lab at /, health at /api/health, simulated Upbit venue at ${SIM_BASE_PATH})`)
}) as Server
sim.attachWebSocket(server, SIM_BASE_PATH)
// Oversized headers and malformed HTTP get an Upbit-shaped JSON error instead of an empty body.
shapeClientErrors(server)

const shutdown = (): void => {
  sim.dispose()
  server.close(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
