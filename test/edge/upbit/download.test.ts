// downloadCandles against a stub that answers like Upbit (newest first, `to` exclusive, count ≤ 200,
// no candle for minutes without trades). Real HTTP on 127.0.0.1, fake clock for the rate limiter.
import { describe, it, expect, afterEach } from 'vitest'
import { createUpbitClient } from '../../../edge/upbit/client.ts'
import { downloadCandles, type CandleChunk } from '../../../edge/upbit/download.ts'
import type { UpbitError, UpbitResult } from '../../../edge/upbit/result.ts'
import { startStub, fakeClock, type StubServer } from './stub-server.ts'

const MIN = 60_000
const T0 = Date.UTC(2025, 6, 1, 0, 0)

/** Bars at T0 + i minutes for i in [0, n), except those in `missing`. */
function makeBars(n: number, missing: Set<number>): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) if (!missing.has(i)) out.push(T0 + i * MIN)
  return out
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

let stub: StubServer | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

async function setup(bars: number[], opts: { failAt?: number; duplicate?: boolean } = {}) {
  let calls = 0
  stub = await startStub((req) => {
    calls++
    if (opts.failAt === calls) return { status: 400, json: { error: { name: 400, message: 'Invalid parameter' } } }
    const to = Date.parse(req.query.get('to')!)
    const count = Math.min(200, Number(req.query.get('count') ?? 1))
    const rows = bars
      .filter((t) => t < to)
      .slice(-count)
      .reverse()
    const json = rows.map((t) => ({
      market: 'KRW-BTC',
      candle_date_time_utc: utc(t),
      candle_date_time_kst: utc(t + 9 * 3_600_000),
      opening_price: 100,
      high_price: 101,
      low_price: 99,
      trade_price: 100.5,
      timestamp: t + 59_000,
      candle_acc_trade_price: 1000,
      candle_acc_trade_volume: 10 + ((t / MIN) % 7),
      unit: 1,
    }))
    if (opts.duplicate && json.length > 1) json.splice(1, 0, json[0]!)
    return { status: 200, json, headers: { 'Remaining-Req': 'group=candles; min=600; sec=9' } }
  })
  const clock = fakeClock()
  const client = createUpbitClient({ baseUrl: stub.url, now: clock.now, sleep: clock.sleep })
  return { client, clock }
}

async function collect(it: AsyncIterable<UpbitResult<CandleChunk>>) {
  const chunks: CandleChunk[] = []
  const errors: UpbitError[] = []
  for await (const r of it) {
    if (r.ok) chunks.push(r.value)
    else errors.push(r.error)
  }
  return { chunks, errors }
}

describe('downloadCandles', () => {
  const missing = new Set([0, 5, 6, 7, 199, 200, 201, 450, 998, 999])
  const bars = makeBars(1000, missing)

  it('yields the whole range ascending, no duplicates, gaps exactly the no-trade minutes', async () => {
    const { client } = await setup(bars)
    const { chunks, errors } = await collect(
      downloadCandles(client, 'KRW-BTC', '1m', T0, T0 + 1000 * MIN, { nowMs: () => T0 + 5000 * MIN }),
    )
    expect(errors).toEqual([])
    expect(chunks).toHaveLength(5)
    const times = chunks.flatMap((c) => Array.from(c.series.time))
    expect(times).toEqual(bars)
    for (const c of chunks) {
      expect(c.series.time.length).toBeLessThanOrEqual(200)
      expect(c.toMs - c.fromMs).toBe(200 * MIN)
    }
    expect(chunks.reduce((a, c) => a + c.missingBars, 0)).toBe(missing.size)
    expect(chunks[0]!.gaps.map((g) => [g.fromMs, g.missingBars])).toEqual([
      [T0, 1],
      [T0 + 5 * MIN, 3],
      [T0 + 199 * MIN, 1],
    ])
    expect(chunks[1]!.gaps[0]).toMatchObject({ fromMs: T0 + 200 * MIN, missingBars: 2 })
    expect(chunks[0]!.series.volume[0]).toBe(10 + (((T0 + MIN) / MIN) % 7))
    // One request per 200-minute window; `to` is each window's exclusive end.
    expect(stub!.requests.map((r) => r.query.get('to'))).toEqual([1, 2, 3, 4, 5].map((k) => `${utc(T0 + k * 200 * MIN)}Z`))
  })

  it('resumes after the last stored bar and clips the forming candle', async () => {
    const { client } = await setup(bars)
    const now = T0 + 900 * MIN + 30_000 // the 900th minute is still forming
    const { chunks } = await collect(
      downloadCandles(client, 'KRW-BTC', '1m', T0, T0 + 1000 * MIN, { resumeAfterMs: T0 + 449 * MIN, nowMs: () => now }),
    )
    const times = chunks.flatMap((c) => Array.from(c.series.time))
    expect(times).toEqual(bars.filter((t) => t >= T0 + 450 * MIN && t < T0 + 900 * MIN))
    expect(chunks[0]!.fromMs).toBe(T0 + 450 * MIN)
    expect(chunks.at(-1)!.toMs).toBe(T0 + 900 * MIN)
  })

  it('drops repeated bars of an answer', async () => {
    const { client } = await setup(bars, { duplicate: true })
    const { chunks } = await collect(downloadCandles(client, 'KRW-BTC', '1m', T0, T0 + 400 * MIN, { nowMs: () => T0 + 5000 * MIN }))
    expect(chunks.flatMap((c) => Array.from(c.series.time))).toEqual(bars.filter((t) => t < T0 + 400 * MIN))
  })

  it('stops at the first error with a typed result', async () => {
    const { client } = await setup(bars, { failAt: 2 })
    const { chunks, errors } = await collect(
      downloadCandles(client, 'KRW-BTC', '1m', T0, T0 + 1000 * MIN, { nowMs: () => T0 + 5000 * MIN, concurrency: 1 }),
    )
    expect(chunks).toHaveLength(1)
    expect(errors).toMatchObject([{ kind: 'upbit', status: 400 }])
  })

  it('pages day candles in 200-day windows', async () => {
    const DAY = 86_400_000
    const days = Array.from({ length: 450 }, (_, i) => T0 + i * DAY)
    stub = await startStub((req) => {
      const to = Date.parse(req.query.get('to')!)
      const rows = days
        .filter((t) => t < to)
        .slice(-Number(req.query.get('count')))
        .reverse()
      return {
        status: 200,
        json: rows.map((t) => ({
          market: 'KRW-BTC',
          candle_date_time_utc: utc(t),
          candle_date_time_kst: utc(t),
          opening_price: 1,
          high_price: 1,
          low_price: 1,
          trade_price: 1,
          timestamp: t,
          candle_acc_trade_price: 1,
          candle_acc_trade_volume: 1,
          prev_closing_price: 1,
        })),
      }
    })
    const clock = fakeClock()
    const client = createUpbitClient({ baseUrl: stub.url, now: clock.now, sleep: clock.sleep })
    const { chunks } = await collect(downloadCandles(client, 'KRW-BTC', '1d', T0, T0 + 450 * DAY, { nowMs: () => T0 + 1000 * DAY }))
    expect(chunks.map((c) => c.series.time.length)).toEqual([200, 200, 50])
    expect(stub.requests.every((r) => r.path === '/v1/candles/days')).toBe(true)
    expect(stub.requests.map((r) => r.query.get('count'))).toEqual(['200', '200', '50'])
  })
})
