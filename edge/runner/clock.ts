// Following the venue's clock. The runner only sees the venue's `nowMs()` (the simulated venue's
// may run many times faster than the wall clock, edge/sim/clock.ts), so it measures the rate
// between the two and turns "the next bar closes at venue time T" into a wall-clock delay.
export interface ClockFollower {
  /** Venue time now. */
  venueNowMs(): number
  /** Wall milliseconds until venue time `t` (at least `minMs`). */
  wallDelayUntil(t: number, minMs: number): number
}

/** Below this much wall time the rate is not known yet: poll quickly until it is. */
const MEASURE_MS = 200
const PROBE_MS = 25
/** Never sleep longer: a stopped (manual) venue clock or a rate misread costs a poll, not a bar. */
export const MAX_POLL_MS = 5_000

export function followClock(venueNowMs: () => number, wallNowMs: () => number = Date.now): ClockFollower {
  const wall0 = wallNowMs()
  const venue0 = venueNowMs()
  return {
    venueNowMs,
    wallDelayUntil(t, minMs) {
      const wall = wallNowMs() - wall0
      const now = venueNowMs()
      if (wall < MEASURE_MS) return Math.max(minMs, Math.min(PROBE_MS, t - now))
      const rate = Math.max((now - venue0) / wall, 1e-6)
      return Math.min(MAX_POLL_MS, Math.max(minMs, Math.ceil((t - now) / rate)))
    },
  }
}
