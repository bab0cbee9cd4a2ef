// Benchmark for shared/indicators: nanoseconds per bar of each batch indicator and of the
// streaming forms, on one year of minute bars (525,600; quick mode 129,600 = 90 days).
// Keys: 'indicators.<name>.nsPerBar' (batch) and 'indicators.stream.<name>.nsPerBar'.
// Each figure is the best of a few repetitions after one warm-up run (JIT), so it reflects
// steady-state throughput rather than first-call compile time.
import * as ind from '../../shared/indicators/index.ts'
import { createRng } from '../../shared/random.ts'
import { bestWallMs } from './timing.ts'

interface Bars {
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

function makeBars(n: number): Bars {
  const rng = createRng(525_600)
  const open = new Float64Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  const close = new Float64Array(n)
  const volume = new Float64Array(n)
  let p = 50_000_000
  for (let i = 0; i < n; i++) {
    const o = p
    p = Math.max(1000, Math.round((p * (1 + rng.normal() * 0.001)) / 1000) * 1000) // KRW tick-like
    open[i] = o
    close[i] = p
    high[i] = Math.max(o, p) + rng.int(5) * 1000
    low[i] = Math.min(o, p) - rng.int(5) * 1000
    volume[i] = rng.next() * 3
  }
  return { open, high, low, close, volume }
}

/** Best-of-`reps` ns per bar for `fn` over `n` bars (one untimed warm-up call first). */
function nsPerBar(n: number, reps: number, fn: () => unknown): number {
  let sink: unknown
  const best = bestWallMs(reps, () => void (sink = fn()), 1)
  if (sink === undefined) throw new Error('benchmark body returned nothing')
  return Math.round((best * 1e6 * 100) / n) / 100
}

export const bench = {
  name: 'indicators',
  run: async (args: { quick: boolean }): Promise<Record<string, number>> => {
    const n = args.quick ? 129_600 : 525_600
    const reps = args.quick ? 3 : 5
    const b = makeBars(n)
    const { open, high, low, close, volume } = b
    const out: Record<string, number> = {}
    const batch: [string, () => unknown][] = [
      ['sma20', () => ind.sma(close, 20)],
      ['ema20', () => ind.ema(close, 20)],
      ['wma20', () => ind.wma(close, 20)],
      ['rsi14', () => ind.rsi(close, 14)],
      ['macd12_26_9', () => ind.macd(close, 12, 26, 9)],
      ['cci20', () => ind.cci(high, low, close, 20)],
      ['atr14', () => ind.atr(high, low, close, 14)],
      ['bbands20', () => ind.bbands(close, 20, 2, 2)],
      ['stoch14_3_3', () => ind.stoch(high, low, close, 14, 3, 3)],
      ['adx14', () => ind.adx(high, low, close, 14)],
      ['obv', () => ind.obv(close, volume)],
      ['mfi14', () => ind.mfi(high, low, close, volume, 14)],
      ['willr14', () => ind.willr(high, low, close, 14)],
      ['roc10', () => ind.roc(close, 10)],
      ['mom10', () => ind.mom(close, 10)],
      ['engulfing', () => ind.engulfing(open, high, low, close)],
    ]
    for (const [name, fn] of batch) out[`indicators.${name}.nsPerBar`] = nsPerBar(n, reps, fn)

    const feed = (make: () => { update(x: number): number }) => () => {
      const s = make()
      let last = 0
      for (let i = 0; i < n; i++) last = s.update(close[i]!)
      return last
    }
    const feedHlc = (make: () => { update(h: number, l: number, c: number): number }) => () => {
      const s = make()
      let last = 0
      for (let i = 0; i < n; i++) last = s.update(high[i]!, low[i]!, close[i]!)
      return last
    }
    const streams: [string, () => unknown][] = [
      ['sma20', feed(() => ind.createSmaStream(20))],
      ['ema20', feed(() => ind.createEmaStream(20))],
      ['rsi14', feed(() => ind.createRsiStream(14))],
      ['macd12_26_9', feed(() => ind.createMacdStream(12, 26, 9))],
      ['bbands20', feed(() => ind.createBbandsStream(20, 2, 2))],
      ['atr14', feedHlc(() => ind.createAtrStream(14))],
      ['cci20', feedHlc(() => ind.createCciStream(20))],
      ['willr14', feedHlc(() => ind.createWillrStream(14))],
    ]
    for (const [name, fn] of streams) out[`indicators.stream.${name}.nsPerBar`] = nsPerBar(n, reps, fn)
    out['indicators.bars'] = n
    return out
  },
}
