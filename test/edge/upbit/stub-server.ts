// A scripted Upbit stand-in on 127.0.0.1 for exact assertions: it records every request (method,
// path, query, headers, body) and answers with whatever the test's handler returns, including
// destroying the socket (connection reset) or answering late.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** Raw query string as received (still encoded), '' when none. */
  readonly rawQuery: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export type StubReply =
  | {
      readonly status: number
      readonly json?: unknown
      readonly text?: string
      readonly headers?: Record<string, string>
      readonly delayMs?: number
    }
  | { readonly destroy: true; readonly delayMs?: number }

export type StubHandler = (req: RecordedRequest) => StubReply | Promise<StubReply>

export interface StubServer {
  readonly url: string
  readonly requests: RecordedRequest[]
  setHandler(h: StubHandler): void
  close(): Promise<void>
}

export async function startStub(handler: StubHandler): Promise<StubServer> {
  let current = handler
  const requests: RecordedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rawUrl = req.url ?? '/'
      const q = rawUrl.indexOf('?')
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? rawUrl : rawUrl.slice(0, q),
        rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
        query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(rec)
      void Promise.resolve(current(rec)).then((reply) => {
        const send = () => {
          if ('destroy' in reply) {
            req.socket.destroy()
            return
          }
          const body = reply.text ?? (reply.json !== undefined ? JSON.stringify(reply.json) : '')
          res.writeHead(reply.status, { 'Content-Type': reply.text !== undefined ? 'text/plain' : 'application/json', ...reply.headers })
          res.end(body)
        }
        if (reply.delayMs) setTimeout(send, reply.delayMs)
        else send()
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => {
      current = h
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A fake clock whose sleep advances time instantly and records every wait. */
export function fakeClock(startMs = Date.UTC(2025, 6, 1, 12, 0)): {
  now: () => number
  sleep: (ms: number) => Promise<void>
  sleeps: number[]
  advance: (ms: number) => void
} {
  let t = startMs
  const sleeps: number[] = []
  return {
    now: () => t,
    // Time moves to the sleeper's wake-up time (never backwards), so concurrent sleepers do not
    // add up their waits: like real timers, many waits of 1 s end after 1 s.
    sleep: async (ms) => {
      sleeps.push(ms)
      const target = t + ms
      await Promise.resolve()
      t = Math.max(t, target)
    },
    sleeps,
    advance: (ms) => {
      t += ms
    },
  }
}
