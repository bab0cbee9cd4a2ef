// Timing for the benches: the best wall time of several runs, after untimed warm-up runs (V8
// needs a few runs to optimize a hot loop, and on a shared VM single runs drift).

/** Best wall time (ms) of `runs` calls of `fn`, after `warmupRuns` untimed ones. */
export function bestWallMs(runs: number, fn: () => void, warmupRuns = 0): number {
  for (let r = 0; r < warmupRuns; r++) fn()
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

/** Wall ms of one call. */
export const wallMs = (f: () => void): number => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

/**
 * Best times (ms, by `time`: wall clock by default) of `a` and `b`, timed in alternation (a, b,
 * a, b, …) after `warmupRuns` untimed calls of each. For a ratio of a fast path to its reference:
 * on a shared machine, load that comes and goes hits both alike, where two blocks timed one after
 * the other can each catch a different moment (the ratios printed under load drifted by 2× before).
 */
export function bestPairMs(
  runs: number,
  a: () => void,
  b: () => void,
  warmupRuns = 0,
  time: (f: () => void) => number = wallMs,
): [number, number] {
  for (let r = 0; r < warmupRuns; r++) {
    a()
    b()
  }
  let bestA = Number.POSITIVE_INFINITY
  let bestB = Number.POSITIVE_INFINITY
  for (let r = 0; r < runs; r++) {
    bestA = Math.min(bestA, time(a))
    bestB = Math.min(bestB, time(b))
  }
  return [bestA, bestB]
}
