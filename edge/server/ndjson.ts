// NDJSON response bodies pulled from an async generator: one JSON object per line. Pull-based, so
// a client that stops reading stops the producer (backpressure), and a client that disconnects
// ends it: the stream is cancelled and the request's signal aborts, either of which returns the
// generator, and its work runs inside withRequestSignal so queued venue requests never go out.
import type { Logger } from './logger.ts'
import { withRequestSignal } from './request-signal.ts'

export const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8'

export function ndjsonStream(
  events: AsyncGenerator<object, void, undefined>,
  signal: AbortSignal,
  logger: Logger,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let finished = false
  const stop = (): void => {
    if (finished) return
    finished = true
    // return() waits for a pending next(); errors after the client left have nobody to tell.
    events.return().catch(() => {})
  }
  signal.addEventListener('abort', stop, { once: true })
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return
      try {
        const r = await withRequestSignal(signal, () => events.next())
        if (r.done || finished) {
          finished = true
          controller.close()
          return
        }
        controller.enqueue(encoder.encode(`${JSON.stringify(r.value)}\n`))
      } catch (e) {
        // A bug in the producer: the status line is already sent, so the failure is one last line.
        logger.error(`stream failed: ${e instanceof Error ? e.message : String(e)}`)
        finished = true
        controller.enqueue(encoder.encode(`${JSON.stringify({ kind: 'error', code: 'internal', message: 'internal error' })}\n`))
        controller.close()
      }
    },
    cancel: stop,
  })
}
