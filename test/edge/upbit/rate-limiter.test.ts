// The per-group limiter with a fake clock: windows counted from answer times, in-flight requests
// holding their slots, holds after 429 / unexpected sec=0, and 418 blocks across all groups.
import { describe, it, expect } from 'vitest'
import { mkdtempSync, writeFileSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRateLimiter } from '../../../edge/upbit/rate-limiter.ts'
import { createFileBlockStore, createMemoryBlockStore } from '../../../edge/upbit/block-store.ts'
import { blockDurationMs } from '../../../edge/upbit/transport.ts'
import { fakeClock } from './stub-server.ts'

function setup(random = () => 0.5) {
  const clock = fakeClock(0)
  const store = createMemoryBlockStore()
  const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep, random, blockStore: store, marginMs: 15 })
  return { clock, store, limiter }
}

describe('rate limiter', () => {
  it('an 11th candle request waits for an answer, then for that answer’s window', async () => {
    const { clock, limiter } = setup()
    const slots = []
    for (let i = 0; i < 10; i++) {
      const s = await limiter.acquire('candle')
      if (!s.ok) throw new Error('blocked')
      slots.push(s.value)
    }
    let eleventh = false
    const pending = limiter.acquire('candle').then((r) => {
      eleventh = r.ok
      return clock.now()
    })
    await new Promise((r) => setTimeout(r, 5))
    expect(eleventh).toBe(false)
    clock.advance(500)
    slots[0]!.done()
    // The slot's window runs from its answer (t=500), not from its send (t=0).
    expect(await pending).toBe(500 + 1000 + 15)
    expect(limiter.sentCount('candle')).toBe(11)
  })

  it('groups are independent', async () => {
    const { clock, limiter } = setup()
    for (let i = 0; i < 10; i++) await limiter.acquire('candle')
    const r = await limiter.acquire('default')
    expect(r.ok).toBe(true)
    expect(clock.sleeps).toEqual([])
  })

  it('holds a group after 429 for a second plus full jitter, growing with repeats', async () => {
    const { clock, limiter } = setup(() => 1)
    limiter.on429('ticker')
    const a = await limiter.acquire('ticker')
    if (a.ok) a.value.done()
    expect(clock.now()).toBe(1000 + 1000)
    limiter.on429('ticker')
    const t = clock.now()
    await limiter.acquire('ticker')
    expect(clock.now() - t).toBe(1000 + 2000)
    limiter.onSuccess('ticker')
    limiter.on429('ticker')
    const t2 = clock.now()
    await limiter.acquire('ticker')
    expect(clock.now() - t2).toBe(1000 + 1000)
  })

  it('418 blocks every group and is persisted; a new limiter loads it', async () => {
    const { clock, limiter, store } = setup()
    const until = limiter.on418(120_000)
    expect(until).toBe(121_000)
    expect(await limiter.acquire('order')).toEqual({ ok: false, error: { kind: 'blocked', blockedUntilMs: 121_000 } })
    const again = createRateLimiter({ now: clock.now, sleep: clock.sleep, random: () => 0, blockStore: store })
    expect(again.blockedUntilMs()).toBe(121_000)
    clock.advance(121_000)
    expect((await again.acquire('order')).ok).toBe(true)
  })
})

describe('418 duration', () => {
  it('reads Retry-After, then seconds in the body, else undefined', () => {
    expect(blockDurationMs('30', '')).toBe(30_000)
    expect(blockDurationMs(null, '{"error":{"message":"Too many API requests. Blocked for 45 seconds."}}')).toBe(45_000)
    expect(blockDurationMs(null, '60초 동안 차단')).toBe(60_000)
    expect(blockDurationMs(null, "I'm a teapot")).toBeUndefined()
  })
})

describe('file block store', () => {
  it('round-trips, treats a missing file as never blocked, refuses garbage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blk-'))
    const path = join(dir, 'sub', 'upbit-block.json')
    const store = createFileBlockStore(path)
    expect(store.load()).toBeUndefined()
    store.save({ blockedUntilMs: 123, consecutiveBlocks: 2 })
    expect(createFileBlockStore(path).load()).toEqual({ blockedUntilMs: 123, consecutiveBlocks: 2 })
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ blockedUntilMs: 123, consecutiveBlocks: 2 })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    writeFileSync(path, '{"nope":1}')
    expect(() => store.load()).toThrow(/not a block state/)
  })
})
