// A venue request made for a client that has gone away never reaches the venue and is final
// (a 4xx the transport does not retry), so it costs the shared limiter at most one slot.
import { describe, expect, it } from 'vitest'
import { abortableFetch, withRequestSignal } from '../../../edge/server/request-signal.ts'
import { createVenue } from '../../../edge/server/venues.ts'
import type { FetchLike } from '../../../edge/upbit/index.ts'

describe('requests tied to the HTTP request', () => {
  it('passes through outside a request and while the client is there', async () => {
    const calls: string[] = []
    const f = abortableFetch(async (url) => (calls.push(url), new Response('[]')))
    await f('http://v/a', {})
    await withRequestSignal(new AbortController().signal, () => f('http://v/b', {}))
    expect(calls).toEqual(['http://v/a', 'http://v/b'])
  })

  it('after the client left: no call to the venue, one limiter slot, no retries', async () => {
    let calls = 0
    const inner: FetchLike = async () => (calls++, new Response('[]'))
    const venue = createVenue({ id: 'sim', baseUrl: 'http://v', fetch: inner })
    const gone = new AbortController()
    gone.abort()
    const r = await withRequestSignal(gone.signal, () => venue.client.getCandles({ market: 'KRW-BTC', unit: '1m', count: 5 }))
    expect(r.ok).toBe(false)
    expect(calls).toBe(0)
    expect(venue.client.limiter.sentCount('candle')).toBe(1)
  })

  it('aborts a request in flight when the client leaves', async () => {
    const ac = new AbortController()
    const f = abortableFetch(
      (_url, init) => new Promise((_res, rej) => init.signal?.addEventListener('abort', () => rej(new Error('aborted')))),
    )
    const p = withRequestSignal(ac.signal, () => f('http://v', {}))
    ac.abort()
    await expect(p).rejects.toThrow('aborted')
  })
})
