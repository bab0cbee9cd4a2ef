// Benchmark: synthetic 1m generation and 1m → 5m resampling over a year of minutes
// (quick: 90 days). Figures, not pass/fail.
//   synthetic.generate1m.nsPerBar   wall ns per simulated minute (KRW-BTC preset, fresh seed per run)
//   candles.resample.5m.nsPerBar    wall ns per input 1m bar
//   synthetic.generate1m.bars       bars produced in the last run (no-trade minutes excluded)
import { generateMinuteCandles, SYNTHETIC_MARKETS, DEFAULT_ORIGIN_MS } from '../../shared/synthetic/index.ts'
import { resample } from '../../shared/candles/index.ts'
import type { BenchDef } from './run.ts'
import { bestWallMs } from './timing.ts'

const MINUTE_MS = 60_000

export const bench: BenchDef = {
  name: 'synthetic',
  run: async (args: { quick: boolean }): Promise<Record<string, number>> => {
    const minutes = args.quick ? 129_600 : 525_600
    const runs = args.quick ? 2 : 3
    const to = DEFAULT_ORIGIN_MS + minutes * MINUTE_MS
    let seed = 1000
    let bars = 0
    // A new seed each run, so the per-spec checkpoint memo never helps: this is a cold generation.
    const genMs = bestWallMs(runs, () => {
      bars = generateMinuteCandles({ ...SYNTHETIC_MARKETS['KRW-BTC'], seed: seed++ }, DEFAULT_ORIGIN_MS, to).time.length
    })
    const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], DEFAULT_ORIGIN_MS, to)
    let out5 = 0
    const resampleMs = bestWallMs(runs + 2, () => {
      out5 = resample(series, '5m').time.length
    })
    if (out5 === 0) throw new Error('resample produced no bars')
    return {
      'synthetic.generate1m.nsPerBar': (genMs * 1e6) / minutes,
      'candles.resample.5m.nsPerBar': (resampleMs * 1e6) / series.time.length,
      'synthetic.generate1m.bars': bars,
    }
  },
}
