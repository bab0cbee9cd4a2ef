// Downloading a range through the (fake) edge stream: chunks are stored as they arrive, a failed
// or cancelled download keeps what it stored, and the next run asks only for the rest.
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { MINUTE_MS } from '../../../shared/candles/index.ts'
import {
  CandleStore,
  CandleStreamError,
  parseNdjson,
  syncRange,
  type CandleStreamFn,
  type SyncProgress,
} from '../../../lab/candles/index.ts'
import { fakeStream, fullMinutes } from './fixtures.ts'

const T0 = Date.UTC(2024, 6, 1, 23) // one hour before midnight: downloads cross a day
const key = { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' } as const
const range: [number, number] = [T0, T0 + 1000 * MINUTE_MS]

describe('syncRange', () => {
  it('downloads what is missing, reports progress and loads the range as columns', async () => {
    const store = await CandleStore.open('sync-a')
    const holes = new Set([T0 + 5 * MINUTE_MS, T0 + 6 * MINUTE_MS])
    const stream = fakeStream(fullMinutes(holes))
    const seen: SyncProgress[] = []
    const r = await syncRange(store, stream.fn, key, range, { signal: new AbortController().signal, onProgress: (p) => seen.push(p) })
    expect(stream.requests).toEqual([range])
    expect(r.series.time.length).toBe(998)
    expect(r.missingBars).toBe(2)
    expect(r.gaps).toHaveLength(1)
    expect(r.coveredFraction).toBe(1)
    expect(r.downloadedBars).toBe(998)
    expect(seen.at(-1)!.fraction).toBe(1)
    expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b))
    // Run again: everything is stored, edge is not asked.
    const again = await syncRange(store, stream.fn, key, range, { signal: new AbortController().signal })
    expect(stream.requests).toHaveLength(1)
    expect(again.downloadedBars).toBe(0)
    expect(again.series.time.length).toBe(998)
    store.close()
  })

  it('keeps what a failed download stored and resumes from coverage without duplicating a bar', async () => {
    const store = await CandleStore.open('sync-b')
    const failing = fakeStream(fullMinutes(), { failAfter: 2 })
    const e = await syncRange(store, failing.fn, key, range, { signal: new AbortController().signal }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(CandleStreamError)
    expect(await store.coverage(key)).toEqual([[T0, T0 + 400 * MINUTE_MS]])
    const ok = fakeStream(fullMinutes())
    const r = await syncRange(store, ok.fn, key, range, { signal: new AbortController().signal })
    expect(ok.requests).toEqual([[T0 + 400 * MINUTE_MS, range[1]]])
    expect(r.series.time.length).toBe(1000)
    const t = r.series.time
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBe(MINUTE_MS)
    store.close()
  })

  it('a cancel keeps the stored chunks; the next run continues from there', async () => {
    const store = await CandleStore.open('sync-c')
    const ac = new AbortController()
    const cancelled = fakeStream(fullMinutes(), { failAfter: 3, abort: ac })
    const e = await syncRange(store, cancelled.fn, key, range, { signal: ac.signal }).catch((x: unknown) => x)
    expect((e as Error).name).toBe('AbortError')
    expect(await store.coverage(key)).toEqual([[T0, T0 + 600 * MINUTE_MS]])
    const next = fakeStream(fullMinutes())
    const r = await syncRange(store, next.fn, key, range, { signal: new AbortController().signal })
    expect(next.requests).toEqual([[T0 + 600 * MINUTE_MS, range[1]]])
    expect(r.series.time.length).toBe(1000)
    store.close()
  })

  it('treats a stream that ends without its done line as interrupted', async () => {
    const store = await CandleStore.open('sync-d')
    const cut: CandleStreamFn = async function* () {}
    const e = await syncRange(store, cut, key, range, { signal: new AbortController().signal }).catch((x: unknown) => x)
    expect((e as CandleStreamError).code).toBe('interrupted')
    store.close()
  })
})

describe('parseNdjson', () => {
  it('yields whole lines even when a line is split across network chunks', async () => {
    const text =
      '{"kind":"gap","fromMs":1,"toMs":2,"missingBars":1}\n{"kind":"done","fromMs":0,"toMs":3,"chunks":0,"bars":0,"gaps":1,"missingBars":1}\n'
    const bytes = new TextEncoder().encode(text)
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 17))
        c.enqueue(bytes.slice(17, 60))
        c.enqueue(bytes.slice(60))
        c.close()
      },
    })
    const lines = []
    for await (const l of parseNdjson(body)) lines.push(l.kind)
    expect(lines).toEqual(['gap', 'done'])
  })
})
