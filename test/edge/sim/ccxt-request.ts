// Test helper: requests built exactly the way ccxt 4.5.83's upbit.sign() builds them (checked against
// tokens it produced, pinned in ccxt-compat.test.ts), without depending on ccxt:
// - URL: `/v1/<path>` + `?` + urlencode(params) for GET/DELETE (values percent-encoded, `:` → %3A);
// - private: JWT header {"alg":"HS256","typ":"JWT"}, payload {access_key, nonce, query_hash,
//   query_hash_alg:"SHA512"} (the hash only when there are params), query_hash = sha512 of
//   rawencode(params) = `k=v&…` unencoded in insertion order;
// - POST: body JSON.stringify(params), `Content-Type: application/json` (no charset), no query.
import { randomUUID } from 'node:crypto'
import { signUpbitJwt } from '../../../shared/upbit/jwt.ts'

export type CcxtParams = Record<string, string | number>

export const ccxtRawencode = (params: CcxtParams): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&')

export const ccxtUrlencode = (params: CcxtParams): string =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&')

/** ccxt's token is the shared signer's HS256 token over rawencode(params) (the pinned tokens show it). */
export function ccxtJwt(accessKey: string, secret: string, params: CcxtParams, nonce: string = randomUUID()): Promise<string> {
  return signUpbitJwt({ accessKey, secretKey: secret, query: ccxtRawencode(params), nonce, alg: 'HS256' })
}

export interface CcxtRequest {
  url: string
  init: RequestInit
}

export async function ccxtRequest(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: CcxtParams,
  keys: { accessKey: string; secret: string } | null,
  nonce?: string,
): Promise<CcxtRequest> {
  let url = `${baseUrl}/v1/${path}`
  if (method !== 'POST' && Object.keys(params).length > 0) url += `?${ccxtUrlencode(params)}`
  const headers: Record<string, string> = {}
  let body: string | undefined
  if (keys) {
    if (method === 'POST') {
      body = JSON.stringify(params)
      headers['Content-Type'] = 'application/json'
    }
    headers.Authorization = `Bearer ${await ccxtJwt(keys.accessKey, keys.secret, params, nonce)}`
  }
  return { url, init: { method, headers, ...(body !== undefined ? { body } : {}) } }
}
