// Errors that happen before a request reaches the Hono app: headers over Node's 16 KB limit,
// malformed HTTP, a request that takes too long to arrive. Node answers those itself with an empty
// body; here they get the venue's error shape (a numeric name, like its other HTTP-level errors),
// written as a raw response because no request object exists yet.
import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'

interface ClientErrorAnswer {
  readonly status: number
  readonly reason: string
  readonly message: string
}

function answerFor(code: string | undefined): ClientErrorAnswer {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'Request Header Fields Too Large', message: 'Request header fields too large (max 16 KB)' }
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, reason: 'Request Timeout', message: 'Request timeout' }
  return { status: 400, reason: 'Bad Request', message: 'Malformed HTTP request' }
}

/** A raw HTTP/1.1 response with an Upbit error body, for sockets that have no response object. */
export function rawJsonResponse(status: number, reason: string, error: { name: string | number; message: string }): string {
  const body = JSON.stringify({ error })
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json;charset=UTF-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  )
}

function clientErrorResponse(code: string | undefined): string {
  const a = answerFor(code)
  return rawJsonResponse(a.status, a.reason, { name: a.status, message: a.message })
}

/** Installs the 'clientError' handler on `server` (edge should call it on its server too). */
export function shapeClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own rule: only answer while nothing of a response has been written on this socket.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy()
      return
    }
    socket.end(clientErrorResponse(err.code))
  })
}
