// Process entry of edge: reads the environment and serves the app on 127.0.0.1 only.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'

const port = Number(process.env.EDGE_PORT ?? 8787)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`EDGE_PORT must be a TCP port number, got ${process.env.EDGE_PORT}`)
  process.exit(2)
}
const staticRoot = resolve(process.env.EDGE_STATIC_ROOT ?? 'dist')
if (!existsSync(resolve(staticRoot, 'index.html'))) {
  console.error(`no built lab in ${staticRoot}: run \`npm run build\` first (npm start does it)`)
  process.exit(2)
}

const server = serve(
  {
    fetch: (req) => app.fetch(req),
    port,
    hostname: '127.0.0.1',
  },
  (info) => {
    console.log(`edge listening on http://127.0.0.1:${info.port} (lab at /, health at /api/health)`)
  },
)
const actualPort = (): number => {
  const a = server.address()
  return typeof a === 'object' && a ? a.port : port
}
const app = createApp({
  staticRoot,
  isAllowedHost: (host) => host === `127.0.0.1:${actualPort()}` || host === `localhost:${actualPort()}`,
})

const shutdown = (): void => {
  server.close(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
