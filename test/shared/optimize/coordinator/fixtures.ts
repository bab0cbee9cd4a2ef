// Fixtures of the coordinator tests (also used by the lab's): a small synthetic series, a small
// ensemble sweep, an in-process worker factory (the real sweep worker, called directly, async like
// comlink) that logs its calls, and an in-memory checkpoint store.
import { DEFAULT_EXEC_CONFIG } from '../../../../shared/engine/types.ts'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import { createSweepWorker } from '../../../../shared/optimize/coordinator/index.ts'
import type { CheckpointStore, ChunkRecord, SweepMeta, WorkerFactory } from '../../../../shared/optimize/coordinator/index.ts'
import type { SweepSpec } from '../../../../shared/optimize/index.ts'
import { DEFAULT_ORIGIN_MS, generateMinuteCandles, SYNTHETIC_MARKETS } from '../../../../shared/synthetic/index.ts'

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
  /** Combos of every simulate call (the robustness report's backtests), in call order. */
  simulated: number[][]
  planSims: number
  cscvCalls: number
  terminated: number
}

export function newLog(): CallLog {
  return { loads: 0, prepares: 0, classCalls: 0, sims: [], simulated: [], planSims: 0, cscvCalls: 0, terminated: 0 }
}

/** Every combo simulated, over all runSims calls. */
export function simulatedCombos(log: CallLog): number[] {
  return log.sims.flat()
}

/** Workers as in-process objects: same API, async like comlink, every call logged. */
export function directFactory(log: CallLog): WorkerFactory {
  return () => {
    const api = createSweepWorker()
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
        runSims: (combos, blocks) => roundTrip(() => (log.sims.push([...combos]), api.runSims(combos, blocks))),
        simulate: (id, spec, combos, want) => roundTrip(() => (log.simulated.push([...combos]), api.simulate(id, spec, combos, want))),
        planSims: (id, spec) => roundTrip(() => (log.planSims++, api.planSims(id, spec))),
        cscvWorse: (task) => roundTrip(() => (log.cscvCalls++, api.cscvWorse(task))),
      },
      failed: new Promise<never>(() => undefined),
      terminate: () => {
        dead = true
        log.terminated++
      },
    }
  }
}

/**
 * directFactory's workers, each answering its first `calls` runSims calls and then never again:
 * a cancel after the first finished chunk always lands mid-sweep, however fast the rest would be.
 */
export function stallingFactory(log: CallLog, calls: number): WorkerFactory {
  const inner = directFactory(log)
  return () => {
    const w = inner()
    let n = 0
    return {
      ...w,
      api: { ...w.api, runSims: (combos, blocks) => (++n > calls ? new Promise<never>(() => undefined) : w.api.runSims(combos, blocks)) },
    }
  }
}

/** Checkpoints in memory (records copied in and out, as a real store would). */
export function memoryStore(): CheckpointStore {
  const metas = new Map<string, SweepMeta>()
  const chunks = new Map<string, Map<number, ChunkRecord>>()
  return {
    putMeta: async (m) => void metas.set(m.sweepId, { ...m }),
    getMeta: async (id) => metas.get(id),
    listSweeps: async () => [...metas.values()].sort((a, b) => b.updatedMs - a.updatedMs),
    async putChunks(recs) {
      for (const r of recs) {
        const of = chunks.get(r.sweepId) ?? new Map<number, ChunkRecord>()
        of.set(r.chunkIndex, { ...r, rows: r.rows.slice() })
        chunks.set(r.sweepId, of)
      }
    },
    loadChunks: async (id) =>
      [...(chunks.get(id)?.values() ?? [])].sort((a, b) => a.chunkIndex - b.chunkIndex).map((r) => ({ ...r, rows: r.rows.slice() })),
    async deleteSweep(id) {
      metas.delete(id)
      chunks.delete(id)
    },
    close: () => undefined,
  }
}

/** Object.is per number: NaN equals NaN, every other value bit-for-bit as numbers. */
export function sameRows(a: Float64Array, b: Float64Array): string[] {
  const bad: string[] = []
  if (a.length !== b.length) return [`lengths ${a.length} vs ${b.length}`]
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad.push(`${i}: ${a[i]} vs ${b[i]}`)
  return bad.slice(0, 5)
}
