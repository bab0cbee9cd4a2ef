// Bench: signal computation per bar for every registered strategy with default params, on
// 525,600 synthetic 1m bars (one year; --quick: 129,600 = 3 months). Best of several runs.
// Keys: signals.<id>.nsPerBar (strategy.signals(), allocation of the output included),
// signals.ensemble.members.nsPerBar (seedMemberSignals: the six seed-000 members),
// signals.ensemble.combine.nsPerBar (combineEnsemble on precomputed members),
// signals.ensemble.combineCodes.nsPerBar (combineEnsembleCodes on precomputed codes).
import {
  combineEnsemble,
  combineEnsembleCodes,
  ensembleCodes,
  getStrategy,
  resolveParams,
  seedMemberSignals,
  strategies,
  strategyIds,
} from '../../shared/strategies/index.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import type { BenchDef } from './run.ts'

const START_MS = Date.UTC(2025, 0, 1)
const MINUTE_MS = 60_000

function bestMs(reps: number, fn: () => void): number {
  let best = Infinity
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

export const bench: BenchDef = {
  name: 'strategies',
  async run({ quick }) {
    const bars = quick ? 129_600 : 525_600
    const reps = quick ? 4 : 6
    const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + bars * MINUTE_MS)
    const n = series.close.length
    const nsPerBar = (ms: number): number => Number(((ms * 1e6) / n).toFixed(3))
    const out: Record<string, number> = {}
    let sink = 0
    for (const id of strategyIds) {
      const def = strategies[id]!
      def.signals(series, {}) // warm up the JIT
      out[`signals.${id}.nsPerBar`] = nsPerBar(bestMs(reps, () => (sink += def.signals(series, {})[n - 1]!)))
    }
    const params = resolveParams(getStrategy('ensemble'), {})
    const members = seedMemberSignals(series, params)
    out['signals.ensemble.members.nsPerBar'] = nsPerBar(bestMs(reps, () => (sink += seedMemberSignals(series, params)[0]![n - 1]!)))
    const weights = [1, 1, 1, 1, 1, 1]
    const sig = new Int8Array(n)
    out['signals.ensemble.combine.nsPerBar'] = nsPerBar(bestMs(reps, () => combineEnsemble(members, weights, 0.2, sig)))
    const codes = new Uint16Array(n)
    ensembleCodes(members, codes)
    out['signals.ensemble.combineCodes.nsPerBar'] = nsPerBar(bestMs(reps, () => combineEnsembleCodes(codes, weights, 0.2, sig)))
    if (sink === Number.MIN_VALUE) out['sink'] = sink
    return out
  },
}
