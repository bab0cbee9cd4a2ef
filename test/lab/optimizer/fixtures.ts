// Shared fixtures of the optimizer pool tests: a small synthetic series, a small ensemble sweep
// and an in-process worker factory (the real worker API, called directly) that counts calls.
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/types.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../../shared/synthetic/index.ts'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { createSweepWorkerApi } from '../../../lab/optimizer/sweep-worker-api.ts'
import type { WorkerFactory } from '../../../lab/optimizer/worker-pool.ts'

let cached: CandleSeries | undefined
export function smallSeries(): CandleSeries {
  cached ??= generateMinuteCandles(SYNTHETIC_MARKETS['KRW-BTC'], DEFAULT_ORIGIN_MS, DEFAULT_ORIGIN_MS + 3 * 86_400_000)
  return cached
}

/** 2 × 3 × 3 = 18 combos. */
export const smallSpec: SweepSpec = {
  strategyId: 'ensemble',
  grid: { 'w.trend': [0, 1], 'w.momentum': [0, 0.5, 1], threshold: [0.1, 0.3, 0.5] },
  exec: { ...DEFAULT_EXEC_CONFIG, orderType: 'market' },
}

export interface CallLog {
  /** loadSeries calls (candles sent to a worker). */
  loads: number
  prepares: number
  classCalls: number
  /** Combos of every runSims call, in call order. */
  sims: number[][]
  terminated: number
}

export function newLog(): CallLog {
  return { loads: 0, prepares: 0, classCalls: 0, sims: [], terminated: 0 }
}

/** Every combo simulated, over all runSims calls. */
export function simulatedCombos(log: CallLog): number[] {
  return log.sims.flat()
}

/** Workers as in-process objects: same API, async like comlink, every call logged. */
export function directFactory(log: CallLog): WorkerFactory {
  return () => {
    const api = createSweepWorkerApi()
    let dead = false
    // Yield first, as a real worker round trip would, so cancels can land between chunks.
    const roundTrip = async <T>(f: () => T): Promise<T> => {
      await new Promise((r) => setTimeout(r, 0))
      if (dead) return new Promise<never>(() => undefined) // a terminated worker never answers
      return f()
    }
    return {
      api: {
        loadSeries: (id, c) => roundTrip(() => (log.loads++, api.loadSeries(id, c))),
        prepare: (id, s) => roundTrip(() => (log.prepares++, api.prepare(id, s))),
        classKeys: (a, b) => roundTrip(() => (log.classCalls++, api.classKeys(a, b))),
        runSims: (combos) => roundTrip(() => (log.sims.push([...combos]), api.runSims(combos))),
        robustness: (id, spec, rows, opts) => roundTrip(() => api.robustness(id, spec, rows, opts)),
      },
      failed: new Promise<never>(() => undefined),
      terminate: () => {
        dead = true
        log.terminated++
      },
    }
  }
}
