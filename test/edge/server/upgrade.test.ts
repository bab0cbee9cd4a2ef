// WebSocket upgrades on a running edge (startEdge, as main wires it): the simulated venue's
// WebSocket at /sim/websocket/v1 gets the same Host allow-list as plain HTTP, and a foreign
// Origin is refused before any 101.
import { get as httpGet } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startEdge, type RunningEdge } from '../../../edge/server/edge.ts'
import { captureLogger, TOKEN } from '../api/fixtures.ts'
import { testSettings } from './fixtures.ts'

let edge: RunningEdge

beforeAll(async () => {
  edge = await startEdge({ settings: testSettings(), token: TOKEN, logger: captureLogger() })
})
afterAll(() => edge.close())

/** Resolves with 'open' or the HTTP status of a refused handshake. */
function handshake(path: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${edge.port}${path}`, { headers })
    ws.on('open', () => {
      ws.close()
      resolve('open')
    })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('error', (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e)
    })
  })
}

/** Plain HTTP with a chosen Host header (fetch does not let a caller override Host). */
function httpStatus(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port: edge.port, path, headers: { Host: host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
  })
}

describe('WebSocket upgrades', () => {
  const own = () => `127.0.0.1:${edge.port}`
  it('the sim venue WebSocket opens for a loopback Host, with no Origin (Upbit clients) or edge’s own', async () => {
    expect(await handshake('/sim/websocket/v1', {})).toBe('open')
    expect(await handshake('/sim/websocket/v1', { Origin: `http://${own()}` })).toBe('open')
    expect(await handshake('/sim/websocket/v1', { Host: `localhost:${edge.port}` })).toBe('open')
  })
  it.each([['evil.example'], ['127.0.0.1.nip.io'], ['127.0.0.1:1']])('foreign Host %s → 403 before 101, like plain HTTP', async (host) => {
    const h = host.includes(':') ? host : `${host}:${edge.port}`
    expect(await handshake('/sim/websocket/v1', { Host: h })).toBe(403)
    expect(await handshake('/sim/websocket/v1/private', { Host: h })).toBe(403)
    expect(await httpStatus('/sim/v1/market/all', h)).toBe(403)
    expect(await httpStatus('/api/health', h)).toBe(403)
  })
  it.each([['http://evil.example'], ['null'], [`http://127.0.0.1:1`]])('foreign Origin %s → 403', async (origin) => {
    expect(await handshake('/sim/websocket/v1', { Origin: origin })).toBe(403)
  })
  it('no WebSocket anywhere else', async () => {
    // /api/stream is edge's event stream (test/edge/stream); its neighbours are not.
    expect(await handshake('/api/streams', {})).toBe(404)
    expect(await handshake('/api/runs', {})).toBe(404)
    expect(await handshake('/', {})).toBe(404)
  })
})
