// Bench: what a user strategy costs against the same rule built in. The user strategy is
// test/shared/strategies/user/rsi-as-builtin.ts, the built-in `rsi` rule written in the user API
// (its signals are bit-identical, tested), on 525,600 synthetic 1m bars (--quick: 129,600).
// Keys (ns per bar, best of several runs after warm-up):
//   userStrategy.builtin.nsPerBar         the registered `rsi` strategy's signals(), in-process;
//   userStrategy.inProcess.nsPerBar       the user source transpiled (sucrase) and evaluated with
//                                         a plain Function, in-process: the cost of the user code;
//   userStrategy.sandbox.nsPerBar         one signals() call through edge's sandbox (a worker
//                                         thread with SES lockdown + Compartment), wall time:
//                                         the candles cloned in, the rule run, the signals moved back;
//   userStrategy.sandboxTransport.nsPerBar the same call of a strategy that only allocates its
//                                         output: the transport alone, so sandbox − transport is
//                                         the rule's time inside the compartment;
//   userStrategy.sandbox.call2000Bars.ms  one call on 2,000 bars (edge's largest live window);
//   userStrategy.overhead.inProcess / .sandbox  ratios to the built-in (comparable across machines).
import { StrategySandbox } from '../../edge/strategies/sandbox.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import { getStrategy } from '../../shared/strategies/index.ts'
import { loadUserStrategy, type Evaluate } from '../../shared/strategies/user/source.ts'
import { generateMinuteCandles, SYNTHETIC_MARKETS } from '../../shared/synthetic/index.ts'
import { RSI_AS_BUILTIN } from '../shared/strategies/user/rsi-as-builtin.ts'
import type { BenchDef } from './run.ts'
import { bestWallMs } from './timing.ts'

const START_MS = Date.UTC(2025, 0, 1)
const MINUTE_MS = 60_000
const PARAMS = { period: 14, oversold: 30, overbought: 70 }
const ALLOCATE_ONLY = `export default { id: 'user.allocate', version: 1, params: [], warmup: () => 0, signals: (s) => new Int8Array(s.close.length) }`

const plainEvaluate: Evaluate = (code, globals) => new Function(...Object.keys(globals), `return ${code}`)(...Object.values(globals))

async function bestAsyncMs(runs: number, warmup: number, fn: () => Promise<unknown>): Promise<number> {
  for (let r = 0; r < warmup; r++) await fn()
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    await fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

async function openSandbox(source: string): Promise<StrategySandbox> {
  const r = await StrategySandbox.open(source, { callMs: 60_000, loadMs: 60_000, heapMb: 512 })
  if (!r.ok) throw new Error(`sandbox: ${r.error.message}`)
  return r.value
}

const window = (s: CandleSeries, n: number): CandleSeries => ({
  time: s.time.subarray(0, n).slice(),
  open: s.open.subarray(0, n).slice(),
  high: s.high.subarray(0, n).slice(),
  low: s.low.subarray(0, n).slice(),
  close: s.close.subarray(0, n).slice(),
  volume: s.volume.subarray(0, n).slice(),
})

export const bench: BenchDef = {
  name: 'user-strategy',
  async run({ quick }) {
    const bars = quick ? 129_600 : 525_600
    const runs = quick ? 6 : 8
    const series = generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], START_MS, START_MS + bars * MINUTE_MS)
    const n = series.close.length
    const ns = (ms: number): number => Number(((ms * 1e6) / n).toFixed(3))
    const builtin = getStrategy('rsi')
    const loaded = loadUserStrategy(RSI_AS_BUILTIN, plainEvaluate)
    if (!loaded.ok) throw new Error(loaded.error.message)
    const user = loaded.value.def
    let sink = 0
    const builtinMs = bestWallMs(runs, () => (sink += builtin.signals(series, PARAMS)[n - 1]!), 5)
    const inProcessMs = bestWallMs(runs, () => (sink += user.signals(series, PARAMS)[n - 1]!), 5)
    const box = await openSandbox(RSI_AS_BUILTIN)
    const bare = await openSandbox(ALLOCATE_ONLY)
    try {
      const sandboxMs = await bestAsyncMs(runs, 3, async () => (sink += (await box.signals(series, PARAMS))[n - 1]!))
      const transportMs = await bestAsyncMs(runs, 3, async () => (sink += (await bare.signals(series, {}))[n - 1]!))
      const live = window(series, 2_000)
      const call2000 = await bestAsyncMs(20, 5, async () => (sink += (await box.signals(live, PARAMS))[1_999]!))
      const out: Record<string, number> = {
        'userStrategy.builtin.nsPerBar': ns(builtinMs),
        'userStrategy.inProcess.nsPerBar': ns(inProcessMs),
        'userStrategy.sandbox.nsPerBar': ns(sandboxMs),
        'userStrategy.sandboxTransport.nsPerBar': ns(transportMs),
        'userStrategy.sandbox.call2000Bars.ms': Number(call2000.toFixed(3)),
        'userStrategy.overhead.inProcess': Number((inProcessMs / builtinMs).toFixed(2)),
        'userStrategy.overhead.sandbox': Number((sandboxMs / builtinMs).toFixed(2)),
      }
      if (sink === Number.MIN_VALUE) out['sink'] = sink
      return out
    } finally {
      await box.close()
      await bare.close()
    }
  },
}
