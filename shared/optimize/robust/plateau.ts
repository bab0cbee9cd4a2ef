// Plateau and fragility: is the peak a lone spike or the top of a plateau?
// plateau = median objective of the combo and its ±1-step neighbours along every grid dimension
// (2·D neighbours at most; edges have fewer; neighbours whose score is NaN are left out).
// fragility = (peak − plateau) / |peak|: 0 on a flat plateau, near 1 (or more) on a spike.
import { METRIC_COUNT, METRIC_INDEX } from '../../metrics/types.ts'
import { decodeCombo, encodeCombo } from '../grid.ts'
import type { Objective } from '../objective.ts'

export interface Plateau {
  readonly peak: number
  readonly plateau: number
  readonly fragility: number
  /** Scores that entered the median (the combo itself first). */
  readonly neighbours: number
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** `rows` holds every combo of the grid (row i = combo i), `sizes` the grid's dimension sizes. */
export function plateauOf(rows: Float64Array, sizes: readonly number[], combo: number, objective: Objective = 'sharpe'): Plateau {
  const col = METRIC_INDEX[objective]
  const score = (c: number): number => rows[c * METRIC_COUNT + col]!
  const peak = score(combo)
  const digits = decodeCombo(sizes, combo, new Int32Array(sizes.length))
  const scores = [peak]
  for (let d = 0; d < sizes.length; d++) {
    for (const step of [-1, 1]) {
      const v = digits[d]! + step
      if (v < 0 || v >= sizes[d]!) continue
      const nd = Int32Array.from(digits)
      nd[d] = v
      const s = score(encodeCombo(sizes, nd))
      if (!Number.isNaN(s)) scores.push(s)
    }
  }
  const plateau = Number.isNaN(peak) ? NaN : median(scores)
  return { peak, plateau, fragility: (peak - plateau) / Math.abs(peak), neighbours: scores.length }
}
