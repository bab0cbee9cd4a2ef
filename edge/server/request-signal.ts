// Ties venue requests to the HTTP request that caused them. Each venue has ONE Upbit client (so
// one rate limiter shared by every caller), which means the client's fetch cannot take a
// per-request signal as an argument. Instead the proxy runs its download inside
// `withRequestSignal(signal, …)`, and the venue's fetch reads that signal from the async context:
// once the browser disconnects, requests still queued in the limiter fail at once without reaching
// the venue, and in-flight ones are aborted.
//
// A request whose client is gone is answered locally with a 499 and an Upbit-shaped error body
// rather than a rejected promise: the transport would retry a network error (taking a limiter
// slot per attempt from every other caller of the venue), while a 4xx with an error body is final.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { FetchLike } from '../upbit/index.ts'

const current = new AsyncLocalStorage<AbortSignal>()

export function withRequestSignal<T>(signal: AbortSignal, fn: () => T): T {
  return current.run(signal, fn)
}

const clientGone = (): Response =>
  new Response(JSON.stringify({ error: { name: 'client_gone', message: 'the edge client went away; request not sent' } }), {
    status: 499,
    headers: { 'content-type': 'application/json' },
  })

/** Wraps a venue's fetch so it honours the signal of the request it is working for. */
export function abortableFetch(inner: FetchLike): FetchLike {
  return (url, init) => {
    const request = current.getStore()
    if (request === undefined) return inner(url, init)
    if (request.aborted) return Promise.resolve(clientGone())
    const signal = init.signal ? AbortSignal.any([init.signal, request]) : request
    return inner(url, { ...init, signal })
  }
}
