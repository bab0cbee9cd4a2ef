// Test helpers: a sim venue on 127.0.0.1 with a manual clock and a signed-request client.
import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { startSimVenue } from '../../../edge/sim/index.ts'
import type { SimVenueOptions, StartedSimVenue } from '../../../edge/sim/index.ts'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'
import type { JwtAlg } from '../../../shared/upbit/jwt.ts'
import { buildEncodedQueryString, buildQueryString } from '../../../shared/upbit/query.ts'
import type { QueryValue } from '../../../shared/upbit/query.ts'

export const AK = 'TEST_AK'
export const SK = 'TEST_SK_secret'
/** 2025-07-01T12:00:30Z — inside a minute, so the current candle is partial. */
export const START_MS = Date.UTC(2025, 6, 1, 12, 0, 30)

export function startTestVenue(extra: Partial<SimVenueOptions> = {}): Promise<StartedSimVenue> {
  return startSimVenue({ accessKey: AK, secretKey: SK, clock: 'manual', startMs: START_MS, historyDays: 1, seed: 7, ...extra })
}

export interface SignedOpts {
  alg?: JwtAlg
  nonce?: string
  secret?: string
  accessKey?: string
  /** Override the string that is hashed. */
  hashOf?: string
  noHash?: boolean
}

export async function signed(
  venue: StartedSimVenue,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, QueryValue> = {},
  o: SignedOpts = {},
): Promise<Response> {
  const canonical = buildQueryString(params)
  const token = await signUpbitJwt({
    accessKey: o.accessKey ?? AK,
    secretKey: o.secret ?? SK,
    nonce: o.nonce ?? randomUUID(),
    query: o.noHash ? undefined : (o.hashOf ?? canonical),
    alg: o.alg ?? 'HS512',
  })
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (method === 'POST') {
    headers['Content-Type'] = 'application/json; charset=utf-8'
    return fetch(`${venue.url}${path}`, { method, headers, body: JSON.stringify(params) })
  }
  const q = buildEncodedQueryString(params)
  return fetch(`${venue.url}${path}${q ? `?${q}` : ''}`, { method, headers })
}

export async function errorName(res: Response): Promise<string | number> {
  const body = (await res.json()) as { error: { name: string | number } }
  return body.error.name
}

export type Json = Record<string, unknown>

/** Sends raw bytes over TCP (for what fetch cannot send) and resolves with the answer once the server closes. */
export function rawHttp(port: number, payload: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => socket.write(payload))
    socket.on('data', (d) => chunks.push(d))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const head = split < 0 ? text : text.slice(0, split)
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4) })
    })
  })
}

/** True for Upbit's error body: {"error":{"name": string | number, "message": string}}. */
export function isUpbitError(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false
  const e = (body as { error?: unknown }).error
  if (e === null || typeof e !== 'object') return false
  const { name, message } = e as { name?: unknown; message?: unknown }
  return (typeof name === 'string' || typeof name === 'number') && typeof message === 'string'
}

/** Balances and orders as JSON, to show that a refused request changed nothing. */
export async function accountState(venue: StartedSimVenue): Promise<string> {
  const accounts = (await (await signed(venue, 'GET', '/v1/accounts')).json()) as unknown
  return JSON.stringify({ accounts, orders: venue.orders() })
}
