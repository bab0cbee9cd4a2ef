// /api/stream on a running edge: authentication in the first message (none, wrong or late →
// closed 4401), resume with lastSeq (everything after it, no gap, no duplicate, also while events
// keep coming), and a client that stops reading is dropped (4008) without holding the appender.
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startEdge, type RunningEdge } from '../../../edge/server/edge.ts'
import { CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED } from '../../../edge/stream/hub.ts'
import { captureLogger } from '../api/fixtures.ts'
import { newPromotion } from '../journal/fixtures.ts'
import { openStream, until } from '../runner/fixtures.ts'
import { testSettings } from '../server/fixtures.ts'

const TOKEN = 'cd'.repeat(32)
let edge: RunningEdge | undefined
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

async function setup(maxBuffered?: number, heartbeatMs?: number): Promise<{ e: RunningEdge; append: (n: number, pad?: number) => void }> {
  const e = await startEdge({
    settings: testSettings(),
    token: TOKEN,
    logger: captureLogger(),
    ...(maxBuffered !== undefined ? { streamMaxBufferedBytes: maxBuffered } : {}),
    ...(heartbeatMs !== undefined ? { streamHeartbeatMs: heartbeatMs } : {}),
  })
  edge = e
  const { row } = e.journal.promotions.insertOrGet(newPromotion(1), 1)
  e.journal.runs.createRun({ id: 'r1', promotionId: row.id, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, 1)
  const append = (n: number, pad = 0) => {
    for (let i = 0; i < n; i++) e.events.append('equity', 'r1', Date.now(), { i, pad: 'x'.repeat(pad) })
  }
  return { e, append }
}

describe('/api/stream', () => {
  it('closes a client without auth, with a wrong token, or with something else first', async () => {
    const { e } = await setup()
    for (const first of [
      { type: 'auth', token: 'ef'.repeat(32) },
      { type: 'hello' },
      { type: 'auth', token: TOKEN, lastSeq: -1 },
      { type: 'auth', token: TOKEN, extra: 1 },
    ]) {
      const c = await openStream(e.port, first)
      expect((await c.closed).code).toBe(CLOSE_UNAUTHORIZED)
      expect(c.frames).toEqual([])
    }
    // The token is not accepted from the URL.
    const ws = new WebSocket(`ws://127.0.0.1:${e.port}/api/stream?token=${TOKEN}`)
    ws.on('open', () => ws.send('{}'))
    const code = await new Promise<number>((r) => ws.on('close', (c) => r(c)))
    expect(code).toBe(CLOSE_UNAUTHORIZED)
  })

  it('resumes after lastSeq with no gap and no duplicate, while events keep coming', async () => {
    const { e, append } = await setup()
    append(1_200)
    const c = await openStream(e.port, { type: 'auth', token: TOKEN, lastSeq: 700 })
    append(300) // during the catch-up
    await until(() => c.frames.some((f) => f.seq === 1_500), 5_000, 'catch-up')
    append(10) // live
    await until(() => c.frames.some((f) => f.seq === 1_510), 5_000, 'live events')
    const seqs = c.frames.filter((f) => f.seq !== undefined).map((f) => f.seq)
    expect(seqs).toEqual(Array.from({ length: 810 }, (_, i) => 701 + i))
    expect(c.frames.find((f) => f.seq === 701)).toMatchObject({ kind: 'equity', runId: 'r1', time: expect.any(Number), i: 700 })
    expect(c.frames.some((f) => f.type === 'live')).toBe(true)
    c.ws.close()
  })

  it('drops a client that stops reading instead of buffering without bound', async () => {
    const { e, append } = await setup(64 * 1024)
    const slow = await openStream(e.port, { type: 'auth', token: TOKEN })
    const fast = await openStream(e.port, { type: 'auth', token: TOKEN })
    await until(() => slow.frames.some((f) => f.type === 'live') && fast.frames.some((f) => f.type === 'live'), 5_000, 'both live')
    // Stop reading: the server's socket buffers fill, then its bufferedAmount grows.
    ;(slow.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    for (let k = 0; k < 400 && e.stream.clients() === 2; k++) {
      append(10, 4_000)
      await new Promise((r) => setTimeout(r, 1))
    }
    expect(e.stream.clients()).toBe(1)
    const last = e.journal.events.lastSeq()
    await until(() => fast.frames.some((f) => f.seq === last), 5_000, 'the fast client keeps up')
    ;(slow.ws as unknown as { _socket: { resume(): void } })._socket.resume()
    const closed = await Promise.race([slow.closed, new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -1 }), 3_000))])
    expect([CLOSE_TOO_SLOW, 1006]).toContain(closed.code)
    fast.ws.close()
  })

  it('beats: a live client gets heartbeats naming the last seq sent to it; one that stops answering pings is cut', async () => {
    const { e, append } = await setup(undefined, 100)
    append(5)
    const c = await openStream(e.port, { type: 'auth', token: TOKEN })
    await until(() => c.frames.some((f) => f.type === 'live'), 5_000, 'live')
    append(2)
    await until(() => c.frames.some((f) => f.type === 'heartbeat' && f.lastSeq === 7), 5_000, 'a heartbeat after seq 7')
    const beats = c.frames.filter((f) => f.type === 'heartbeat')
    expect(beats.every((b) => typeof b.time === 'number' && typeof b.lastSeq === 'number')).toBe(true)
    // Heartbeats come after the frames they name, never before.
    const i = c.frames.findIndex((f) => f.type === 'heartbeat' && f.lastSeq === 7)
    expect(
      c.frames
        .slice(0, i)
        .filter((f) => f.seq !== undefined)
        .map((f) => f.seq),
    ).toEqual([1, 2, 3, 4, 5, 6, 7])
    // A client that reads nothing answers no ping: cut within two beats or so, the other stays.
    const deaf = await openStream(e.port, { type: 'auth', token: TOKEN })
    await until(() => deaf.frames.some((f) => f.type === 'live'), 5_000, 'second client live')
    expect(e.stream.clients()).toBe(2)
    ;(deaf.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    await until(() => e.stream.clients() === 1, 5_000, 'the deaf client cut')
    const n = c.frames.length
    await until(() => c.frames.length > n + 2, 5_000, 'the answering client keeps its beats')
    expect(e.stream.clients()).toBe(1)
    c.ws.close()
  })
})
