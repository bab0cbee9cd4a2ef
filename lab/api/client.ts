// fetch for edge's /api: adds the token header (never a query parameter) and turns edge's error
// shape `{ error: { code, message } }` into an EdgeApiError.
import { getToken } from './token.ts'

export class EdgeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'EdgeApiError'
  }
}

export async function edgeFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  const token = getToken()
  if (token !== null) headers.set('Authorization', `Bearer ${token}`)
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json')
  const res = await fetch(path, { ...init, headers })
  if (res.ok) return res
  let code = 'http'
  let message = `HTTP ${res.status}`
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } }
    if (typeof body.error?.code === 'string') code = body.error.code
    if (typeof body.error?.message === 'string') message = body.error.message
  } catch {
    // not edge's JSON error shape: keep the status line
  }
  throw new EdgeApiError(res.status, code, message)
}

export async function edgeJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await edgeFetch(path, init)).json() as Promise<T>
}
