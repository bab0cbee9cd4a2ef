// Global de-duplication of a sweep, done by the coordinator before any backtest runs:
// 1. workers label ranges of strategy points with exact class keys (runner.classKeys); the
//    coordinator merges them into global classes by full key equality (mergeClasses), so two
//    points share a class only when their signal arrays are provably identical;
// 2. a simulation is a distinct (class, exec params) pair; buildSimPlan maps every combo to its
//    simulation and picks the first combo of each as its representative;
// 3. workers run only the representatives (runner.runSims) and the coordinator copies each
//    simulation's row to all its combos (expandRows).
// Simulations are numbered by their first combo, so a prefix of simulations covers a prefix of
// combos (what the lab's chunk checkpoints rely on).
import { METRIC_COUNT } from '../metrics/types.ts'
import { decodeCombo } from './grid.ts'
import type { PointClasses } from './runner.ts'
import type { SweepPlan } from './validate.ts'

export interface SimPlan {
  readonly comboCount: number
  readonly simCount: number
  /** combo → its simulation. */
  readonly simOf: Int32Array
  /** simulation → its representative (first) combo; increasing. */
  readonly repOf: Int32Array
  /** simulation → how many combos share its row. */
  readonly combosOf: Int32Array
  /** Distinct signal classes. */
  readonly classCount: number
}

/** Parts of classKeys answers (each for points [start, start + classOf.length)) → global class per point. */
export function mergeClasses(
  pointCount: number,
  parts: readonly (PointClasses & { readonly start: number })[],
): { classOfPoint: Int32Array; classCount: number } {
  const classOfPoint = new Int32Array(pointCount).fill(-1)
  const global = new Map<string, number>()
  for (const part of parts) {
    const ids = part.keys.map((k) => {
      let id = global.get(k)
      if (id === undefined) {
        id = global.size
        global.set(k, id)
      }
      return id
    })
    for (let i = 0; i < part.classOf.length; i++) classOfPoint[part.start + i] = ids[part.classOf[i]!]!
  }
  const missing = classOfPoint.indexOf(-1)
  if (missing >= 0) throw new Error(`mergeClasses: point ${missing} has no class`)
  return { classOfPoint, classCount: global.size }
}

/** Every point its own class (sources without a class key). */
export function identityClasses(pointCount: number): { classOfPoint: Int32Array; classCount: number } {
  const classOfPoint = new Int32Array(pointCount)
  for (let p = 0; p < pointCount; p++) classOfPoint[p] = p
  return { classOfPoint, classCount: pointCount }
}

export function buildSimPlan(plan: SweepPlan, classes: { classOfPoint: Int32Array; classCount: number }): SimPlan {
  const dims = plan.dims
  const stratDims = dims.map((d, i) => (d.target === 'strategy' ? i : -1)).filter((i) => i >= 0)
  const execDims = dims.map((d, i) => (d.target === 'exec' ? i : -1)).filter((i) => i >= 0)
  const execCount = execDims.reduce((a, i) => a * plan.sizes[i]!, 1)
  const slots = classes.classCount * execCount
  // (class, exec) → simulation; a Map only when a dense table would be huge.
  const dense = slots <= 1 << 24 ? new Int32Array(slots).fill(-1) : undefined
  const sparse = dense === undefined ? new Map<number, number>() : undefined
  const total = plan.comboCount
  const simOf = new Int32Array(total)
  const reps: number[] = []
  const counts: number[] = []
  const digits = new Int32Array(dims.length)
  for (let c = 0; c < total; c++) {
    decodeCombo(plan.sizes, c, digits)
    let point = 0
    for (const i of stratDims) point = point * plan.sizes[i]! + digits[i]!
    let exec = 0
    for (const i of execDims) exec = exec * plan.sizes[i]! + digits[i]!
    const key = classes.classOfPoint[point]! * execCount + exec
    let s = dense !== undefined ? dense[key]! : (sparse!.get(key) ?? -1)
    if (s === -1) {
      s = reps.length
      reps.push(c)
      counts.push(0)
      if (dense !== undefined) dense[key] = s
      else sparse!.set(key, s)
    }
    simOf[c] = s
    counts[s]!++
  }
  return {
    comboCount: total,
    simCount: reps.length,
    simOf,
    repOf: Int32Array.from(reps),
    combosOf: Int32Array.from(counts),
    classCount: classes.classCount,
  }
}

/** Copies simulation rows (simCount × METRIC_COUNT) to combo rows [start, end) of `out` (indexed from combo start). */
export function expandRows(sp: SimPlan, simRows: Float64Array, out: Float64Array, start = 0, end = sp.comboCount): void {
  for (let c = start; c < end; c++) {
    const src = sp.simOf[c]! * METRIC_COUNT
    const dst = (c - start) * METRIC_COUNT
    for (let m = 0; m < METRIC_COUNT; m++) out[dst + m] = simRows[src + m]!
  }
}

/**
 * Guided self-scheduling: the next chunk is a share of what is left, so chunks start large (few
 * round trips) and end small (no worker waits long for the last one), within [minSize, maxSize].
 */
export function guidedChunkSize(remaining: number, workers: number, minSize = 1, maxSize = 1024): number {
  return Math.max(1, Math.min(remaining, maxSize, Math.max(minSize, Math.ceil(remaining / (3 * workers)))))
}

/** Contiguous splits of [0, count) into `parts` near-equal ranges (empty ones dropped). */
export function splitEven(count: number, parts: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = []
  for (let i = 0; i < parts; i++) {
    const start = Math.floor((count * i) / parts)
    const end = Math.floor((count * (i + 1)) / parts)
    if (end > start) out.push({ start, end })
  }
  return out
}
