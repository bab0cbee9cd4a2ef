// The venue's clock: manual (tests advance it by hand) or accelerated wall time
// (simulated = start + (wall - wallAtStart) * speed). Listeners run after every manual advance so
// generated trades print and resting orders match immediately.
import type { SimClock } from './types.ts'

export interface VenueClock extends SimClock {
  readonly manual: boolean
  onAdvance(listener: () => void): void
}

export function createManualClock(startMs: number): VenueClock {
  let now = startMs
  const listeners: Array<() => void> = []
  return {
    manual: true,
    nowMs: () => now,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advance needs ms >= 0, got ${ms}`)
      now += ms
      for (const l of listeners) l()
    },
    onAdvance: (l) => void listeners.push(l),
  }
}

export function createScaledClock(startMs: number, speed: number, wallNowMs: () => number): VenueClock {
  if (!(speed > 0)) throw new RangeError(`clockSpeed must be > 0, got ${speed}`)
  const wall0 = wallNowMs()
  let offsetMs = 0
  const listeners: Array<() => void> = []
  return {
    manual: false,
    nowMs: () => Math.floor(startMs + (wallNowMs() - wall0) * speed + offsetMs),
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advance needs ms >= 0, got ${ms}`)
      offsetMs += ms
      for (const l of listeners) l()
    },
    onAdvance: (l) => void listeners.push(l),
  }
}

/** Wraps a caller-supplied clock; its own advance cannot be observed, so the venue polls. */
export function wrapClock(clock: SimClock): VenueClock {
  const listeners: Array<() => void> = []
  return {
    manual: true,
    nowMs: () => clock.nowMs(),
    advance(ms: number) {
      clock.advance(ms)
      for (const l of listeners) l()
    },
    onAdvance: (l) => void listeners.push(l),
  }
}

export function createExternalClock(now: () => number): VenueClock {
  let offsetMs = 0
  const listeners: Array<() => void> = []
  return {
    manual: false,
    nowMs: () => now() + offsetMs,
    advance(ms: number) {
      offsetMs += ms
      for (const l of listeners) l()
    },
    onAdvance: (l) => void listeners.push(l),
  }
}
