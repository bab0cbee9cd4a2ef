// One limiter per Upbit rate-limit group (reliability.md RL-1…RL-4), shared by every caller of a
// client. Each group is a sliding window of at most `requests` per window (plus a small margin).
// A request occupies its slot from send until its answer arrives, and the window is counted from
// the ANSWER time: the server counted the request somewhere between our send and our receipt, so
// counting from receipt can never see fewer requests than the server does, whatever the queueing
// or round-trip time (counting from send times got 429s from a busy venue). The window is then
// tightened by the server's `Remaining-Req` (unexpected sec=0 → hold the group for a window), a 429
// (hold the group for a second plus exponential backoff with full jitter), and a 418 (stop EVERY
// group until the block ends; the end time is persisted so a restart respects it).
import { err, ok, type Result } from '../../shared/result.ts'
import { RATE_GROUPS, RATE_LIMITS, type RateGroup, type RemainingReq } from '../../shared/upbit/rate-groups.ts'
import type { BlockState, BlockStore } from './block-store.ts'

export interface RateLimiterOptions {
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** Uniform [0, 1): the jitter source. */
  readonly random: () => number
  readonly blockStore: BlockStore
  /** Added to each window against timer and clock granularity. Default 15 ms. */
  readonly marginMs?: number
  /** Fraction of the published limit to use (default 1: the margin already keeps us under it). */
  readonly limitShare?: number
  /** Backoff after 429: hold = windowMs + random × min(capMs, baseMs × 2^(n−1)). Defaults 1000 / 30000. */
  readonly backoffBaseMs?: number
  readonly backoffCapMs?: number
  /** 418 without a readable duration: 60 s doubling per consecutive block, capped at 1 h. */
  readonly blockFallbackMs?: number
}

/** A granted slot. `done()` must be called when the answer (or the failure) arrives: it starts the slot's window. */
export interface RateSlot {
  readonly done: () => void
}

/** No slot: every group is blocked (a 418, possibly persisted) until `blockedUntilMs`. */
export interface RateBlocked {
  readonly kind: 'blocked'
  readonly blockedUntilMs: number
}

export type AcquireResult = Result<RateSlot, RateBlocked>

interface Slot {
  /** Answer time; Infinity while the request is in flight. */
  t: number
}

interface GroupState {
  slots: Slot[]
  holdUntilMs: number
  consecutive429: number
  sent: number
}

export interface RateLimiter {
  /** Waits for a slot in `group` and records the send; fails at once while a 418 block is active. */
  acquire(group: RateGroup): Promise<AcquireResult>
  /** Feeds the server's Remaining-Req; sec=0 holds the group for one window. */
  onRemaining(group: RateGroup, remaining: RemainingReq | undefined): void
  onSuccess(group: RateGroup): void
  on429(group: RateGroup): void
  /** Starts (and persists) a block of `durationMs`, or the doubling fallback when undefined. */
  on418(durationMs: number | undefined): number
  blockedUntilMs(): number
  /** Requests sent per group since creation (for figures and tests). */
  sentCount(group: RateGroup): number
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { now, sleep, random, blockStore } = options
  const marginMs = options.marginMs ?? 15
  const share = options.limitShare ?? 1
  const baseMs = options.backoffBaseMs ?? 1000
  const capMs = options.backoffCapMs ?? 30_000
  const blockFallbackMs = options.blockFallbackMs ?? 60_000
  let block: BlockState = blockStore.load() ?? { blockedUntilMs: 0, consecutiveBlocks: 0 }

  const groups = new Map<RateGroup, GroupState>()
  for (const g of RATE_GROUPS) groups.set(g, { slots: [], holdUntilMs: 0, consecutive429: 0, sent: 0 })
  const stateOf = (g: RateGroup): GroupState => groups.get(g)!
  const capacityOf = (g: RateGroup): number => Math.max(1, Math.floor(RATE_LIMITS[g].requests * share))
  // Callers waiting for an in-flight request of their group to be answered.
  let answered: Array<() => void> = []

  /** Ms to wait before `group` may send at time t (0 = now), or 'answer' when only an answer frees a slot. */
  function waitMs(group: RateGroup, t: number): number | 'answer' {
    const s = stateOf(group)
    const windowMs = RATE_LIMITS[group].windowMs + marginMs
    s.slots = s.slots.filter((x) => x.t > t - windowMs)
    let wait = Math.max(0, s.holdUntilMs - t)
    const capacity = capacityOf(group)
    if (s.slots.length >= capacity) {
      const finished = s.slots
        .filter((x) => x.t !== Infinity)
        .map((x) => x.t)
        .sort((a, b) => a - b)
      const mustExpire = s.slots.length - capacity + 1
      if (mustExpire > finished.length) return 'answer'
      wait = Math.max(wait, finished[mustExpire - 1]! + windowMs - t)
    }
    return wait
  }

  return {
    async acquire(group) {
      for (;;) {
        const t = now()
        if (block.blockedUntilMs > t) return err({ kind: 'blocked', blockedUntilMs: block.blockedUntilMs })
        const wait = waitMs(group, t)
        if (wait === 'answer') {
          await new Promise<void>((resolve) => answered.push(resolve))
        } else if (wait <= 0) {
          const s = stateOf(group)
          const slot: Slot = { t: Infinity }
          s.slots.push(slot)
          s.sent++
          let finished = false
          return ok({
            done: () => {
              if (finished) return
              finished = true
              slot.t = now()
              const waiters = answered
              answered = []
              for (const w of waiters) w()
            },
          })
        } else {
          await sleep(wait)
        }
      }
    },
    onRemaining(group, remaining) {
      if (remaining === undefined || remaining.sec > 0) return
      const s = stateOf(group)
      const t = now()
      const windowMs = RATE_LIMITS[group].windowMs + marginMs
      const inWindow = s.slots.filter((x) => x.t > t - windowMs).length
      // sec=0 with a full window of our own is expected: the window already holds us back. sec=0
      // with room in our window means the server counts more than we do (another process on this
      // IP or pocket): trust the server and give the group a full window.
      if (inWindow < capacityOf(group)) {
        s.holdUntilMs = Math.max(s.holdUntilMs, t + windowMs)
      }
    },
    onSuccess(group) {
      stateOf(group).consecutive429 = 0
      if (block.consecutiveBlocks > 0 && block.blockedUntilMs <= now()) {
        block = { blockedUntilMs: block.blockedUntilMs, consecutiveBlocks: 0 }
        blockStore.save(block)
      }
    },
    on429(group) {
      const s = stateOf(group)
      s.consecutive429++
      const jitter = random() * Math.min(capMs, baseMs * 2 ** (s.consecutive429 - 1))
      s.holdUntilMs = Math.max(s.holdUntilMs, now() + RATE_LIMITS[group].windowMs + jitter)
    },
    on418(durationMs) {
      const consecutive = block.consecutiveBlocks + 1
      const fallback = Math.min(3_600_000, blockFallbackMs * 2 ** (consecutive - 1))
      const until = now() + (durationMs !== undefined && durationMs > 0 ? durationMs : fallback) + 1000
      block = { blockedUntilMs: Math.max(until, block.blockedUntilMs), consecutiveBlocks: consecutive }
      blockStore.save(block)
      return block.blockedUntilMs
    },
    blockedUntilMs: () => block.blockedUntilMs,
    sentCount: (group) => stateOf(group).sent,
  }
}
