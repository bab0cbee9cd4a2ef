// Test helpers: a sim venue on 127.0.0.1 with a manual clock and a signed-request client.
import { randomUUID } from 'node:crypto'
import { startSimVenue } from '../../../edge/sim/index.ts'
import type { SimVenueOptions, StartedSimVenue } from '../../../edge/sim/index.ts'
import { buildQueryString, signUpbitJwt } from '../../../edge/sim/crypto.ts'
import type { JwtAlg, QueryValue } from '../../../edge/sim/crypto.ts'

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

export function encodeQuery(params: Record<string, QueryValue>): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) parts.push(`${k.endsWith('[]') ? k : `${k}[]`}=${encodeURIComponent(String(x))}`)
    else parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  }
  return parts.join('&')
}

export async function signed(
  venue: StartedSimVenue,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, QueryValue> = {},
  o: SignedOpts = {},
): Promise<Response> {
  const canonical = buildQueryString(params)
  const token = signUpbitJwt({
    accessKey: o.accessKey ?? AK,
    secretKey: o.secret ?? SK,
    nonce: o.nonce ?? randomUUID(),
    ...(o.noHash ? {} : { queryString: o.hashOf ?? canonical }),
    alg: o.alg ?? 'HS512',
  })
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (method === 'POST') {
    headers['Content-Type'] = 'application/json; charset=utf-8'
    return fetch(`${venue.url}${path}`, { method, headers, body: JSON.stringify(params) })
  }
  const q = encodeQuery(params)
  return fetch(`${venue.url}${path}${q ? `?${q}` : ''}`, { method, headers })
}

export async function errorName(res: Response): Promise<string | number> {
  const body = (await res.json()) as { error: { name: string | number } }
  return body.error.name
}

export type Json = Record<string, unknown>
