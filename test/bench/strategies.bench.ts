// Bench: signal computation per bar for every registered strategy with default params, on
// 525,600 synthetic 1m bars (one year; --quick: 129,600 = 3 months). Best of several runs of
// process CPU time (user + system), after warm-up runs so the JIT has optimized the kernels.
// Keys: signals.<id>.nsPerBar (strategy.signals(), allocation of the output included; for
// 'ensemble' that is the fused one-pass kernel on these tame closes),
// signals.ensemble.memberPath.nsPerBar (seedMemberSignals + combineEnsemble: the reference path
// the fused kernel must equal, and the fallback for NaN/±Infinity/≤ 0 closes),
// signals.ensemble.members.nsPerBar (seedMemberSignals: the six seed-000 members),
// signals.ensemble.combine.nsPerBar (combineEnsemble on precomputed members),
// signals.ensemble.combineCodes.nsPerBar (combineEnsembleCodes on precomputed codes),
// signals.ensemble.reference.nsPerBar (ensembleReferenceInto: the member-by-member specification)
// and signals.ensemble.speedup (reference ÷ fused, a ratio comparable across machines; the two are
// timed in alternation).
import {
  combineEnsemble,
  combineEnsembleCodes,
  ensembleCodes,
  ensembleReferenceInto,
  getStrategy,
  resolveParams,
  seedMemberSignals,
  strategies,
  strategyIds,
} from '../../shared/strategies/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { BenchDef } from './run.ts'
import { bestPairMs } from './timing.ts'

const START_MS = Date.UTC(2025, 0, 1)
const MINUTE_MS = 60_000

const WARMUP_RUNS = 10

/** CPU ms (user + system) of one call. */
function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage()
  f()
  const d = process.cpuUsage(t0)
  return (d.user + d.system) / 1000
}

/** Best CPU time (ms) of `reps` runs after WARMUP_RUNS untimed ones. */
function bestMs(reps: number, fn: () => void): number {
  for (let r = 0; r < WARMUP_RUNS; r++) fn()
  let best = Infinity
  for (let r = 0; r < reps; r++) best = Math.min(best, cpuMs(fn))
  return best
}

export const bench: BenchDef = {
  name: 'strategies',
  async run({ quick }) {
    const bars = quick ? 129_600 : 525_600
    const reps = quick ? 8 : 6
    const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + bars * MINUTE_MS)
    const n = series.close.length
    const nsPerBar = (ms: number): number => Number(((ms * 1e6) / n).toFixed(3))
    const out: Record<string, number> = {}
    let sink = 0
    for (const id of strategyIds) {
      const def = strategies[id]!
      out[`signals.${id}.nsPerBar`] = nsPerBar(bestMs(reps, () => (sink += def.signals(series, {})[n - 1]!)))
    }
    const params = resolveParams(getStrategy('ensemble'), {})
    const members = seedMemberSignals(series, params)
    out['signals.ensemble.members.nsPerBar'] = nsPerBar(bestMs(reps, () => (sink += seedMemberSignals(series, params)[0]![n - 1]!)))
    const weights = [1, 1, 1, 1, 1, 1]
    const sig = new Int8Array(n)
    out['signals.ensemble.memberPath.nsPerBar'] = nsPerBar(
      bestMs(reps, () => {
        combineEnsemble(seedMemberSignals(series, params), weights, 0.2, sig)
        sink += sig[n - 1]!
      }),
    )
    out['signals.ensemble.combine.nsPerBar'] = nsPerBar(bestMs(reps, () => combineEnsemble(members, weights, 0.2, sig)))
    const codes = new Uint16Array(n)
    ensembleCodes(members, codes)
    out['signals.ensemble.combineCodes.nsPerBar'] = nsPerBar(bestMs(reps, () => combineEnsembleCodes(codes, weights, 0.2, sig)))
    const ensemble = getStrategy('ensemble')
    // The fused kernel and its reference timed in alternation, so their ratio survives load.
    const [fusedMs, referenceMs] = bestPairMs(
      reps,
      () => (sink += ensemble.signals(series, params)[n - 1]!),
      () => {
        ensembleReferenceInto(series, params, sig)
        sink += sig[n - 1]!
      },
      WARMUP_RUNS,
      cpuMs,
    )
    out['signals.ensemble.reference.nsPerBar'] = nsPerBar(referenceMs)
    out['signals.ensemble.speedup'] = Number((referenceMs / fusedMs).toFixed(2))
    if (sink === Number.MIN_VALUE) out['sink'] = sink
    return out
  },
}
