// Shared by the ensemble's property tests: random params over the whole schema and a first-
// difference finder for signal arrays.
import type { Rng } from '../../../../shared/random.ts'
import { SEED_MEMBER_IDS } from '../../../../shared/strategies/index.ts'
import type { Params } from '../../../../shared/strategies/index.ts'

/** First bar where a and b differ, or −1. */
export function firstDiff(a: Int8Array, b: Int8Array): number {
  for (let t = 0; t < a.length; t++) if (a[t] !== b[t]) return t
  return -1
}

/** Random ensemble params: weights on the 0.5 grid or arbitrary, thresholds on or off the grid. */
export function randomEnsembleParams(rng: Rng, arbitraryWeights: boolean): Params {
  const p: Record<string, number> = {}
  for (const id of SEED_MEMBER_IDS) p[`w.${id}`] = arbitraryWeights ? Number(rng.next().toFixed(3)) : rng.int(3) * 0.5
  p['threshold'] = arbitraryWeights ? Number((0.05 + rng.next() * 0.45).toFixed(4)) : 0.05 * (1 + rng.int(10))
  p['momentum.period'] = 1 + rng.int(rng.next() < 0.5 ? 10 : 100)
  p['swing.short'] = 2 + rng.int(rng.next() < 0.5 ? 10 : 199)
  p['swing.long'] = 3 + rng.int(rng.next() < 0.5 ? 30 : 198)
  p['scalping.takeRatio'] = rng.int(101) * 0.0005
  p['scalping.stopRatio'] = rng.int(101) * 0.0005
  p['price-action.window'] = 3 + 10 * rng.int(rng.next() < 0.5 ? 5 : 200)
  return p
}
