// WebSocket upgrades for the whole server, edge's and the simulated venue's alike. A handshake
// does not pass through Hono, so the Host allow-list (DNS rebinding) and the Origin check
// (cross-site WebSocket hijacking: browsers send Origin on every handshake and WebSockets have no
// CORS) are applied here, before anything answers 101.
//
// The sim's hub registers its own 'upgrade' listener on whatever server it is given. Edge gives it
// a private, never-listening http.Server as a facade and forwards only the upgrades that passed
// the checks and whose path starts with the sim's prefix; so the sim code stays unchanged and can
// never see a refused handshake. Later, /api/stream is one more entry in `routes`.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { OriginPolicy } from './origin-policy.ts'

export interface UpgradeRoute {
  /** Path prefix (`/sim`) or exact path (`/api/stream`) this route takes. */
  readonly prefix: string
  /** Receives the accepted upgrade. */
  readonly server: Server
}

/** A plain http.Server that never listens: a target for libraries that attach via server.on('upgrade'). */
export function createUpgradeFacade(): Server {
  return createServer()
}

function refuse(socket: Duplex, status: 403 | 404, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } })
  const reason = status === 403 ? 'Forbidden' : 'Not Found'
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

export function routeUpgrades(server: Server, policy: OriginPolicy, routes: readonly UpgradeRoute[]): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!policy.isAllowedHost(req.headers.host)) return refuse(socket, 403, 'bad_host', 'Host not allowed')
    if (!policy.isAllowedOrigin(req.headers.origin)) return refuse(socket, 403, 'bad_origin', 'cross-origin WebSocket refused')
    const path = (req.url ?? '').split('?')[0] ?? ''
    const route = routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`))
    if (!route) return refuse(socket, 404, 'not_found', 'no WebSocket here')
    route.server.emit('upgrade', req, socket, head)
  })
}
