// Shared pieces of the runner tests: a promotion body that trades often on 1-minute bars, and
// HTTP/WebSocket helpers against a running edge.
import WebSocket from 'ws'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'

export const PROMOTION_1M = {
  strategy: { id: 'rsi', version: 1 },
  params: { period: 4, oversold: 45, overbought: 55 },
  market: 'KRW-BTC',
  timeframe: '1m',
  exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
  risk: { maxPositionQuote: 10_000_000, dailyLossLimitRate: 0.5, maxDrawdownRate: 0.9 },
  backtest: { range: { source: 'sim', fromMs: 1_719_792_000_000, toMs: 1_722_470_400_000, bars: 2976 }, metrics: {} },
}

export interface EdgeClient {
  post(path: string, body: unknown, token?: string): Promise<Response>
  get(path: string): Promise<Response>
}

export function edgeClient(origin: string, token: string): EdgeClient {
  return {
    post: (path, body, t = token) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    get: (path) => fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } }),
  }
}

export interface StreamClient {
  readonly ws: WebSocket
  readonly frames: Array<Record<string, unknown>>
  readonly closed: Promise<{ code: number; reason: string }>
}

/** Opens /api/stream and (unless `auth` is null) sends the auth message first. */
export function openStream(port: number, auth: Record<string, unknown> | null): Promise<StreamClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/stream`)
  const frames: Array<Record<string, unknown>> = []
  ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      if (auth !== null) ws.send(JSON.stringify(auth))
      resolve({ ws, frames, closed })
    })
    ws.once('error', reject)
  })
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
