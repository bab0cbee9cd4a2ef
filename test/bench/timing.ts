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
