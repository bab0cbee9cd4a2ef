// One optimizer sweep from the page's side, without any UI: validate, identify (sweep id), load
// the checkpointed chunks, then de-duplicate globally (workers label strategy points with exact
// class keys, this side builds the simulation plan), run only the DISTINCT simulations still
// needed over the (long-lived) worker pool, checkpoint each chunk of combos as soon as all its
// simulations are known (chunk-coverage.ts), and report progress and the best-so-far rows.
// Plain TypeScript so node tests can drive it with a fake pool; SweepController
// (sweep-controller.svelte.ts) turns its updates into $state.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { buildSimPlan, guidedChunkSize, identityClasses, mergeClasses, planChunks, splitEven, validateSweep } from '../../shared/optimize/index.ts'
import type { SweepPlan, SweepSpec } from '../../shared/optimize/index.ts'
import type { CandlePayload } from './candle-payload.ts'
import { ChunkCoverage } from './chunk-coverage.ts'
import type { CheckpointStore } from './checkpoint-store.ts'
import { scheduleChunks } from './chunk-scheduler.ts'
import type { ChunkRange } from './chunk-scheduler.ts'
import { hashSeries, sweepIdOf } from './sweep-id.ts'
import type { SweepPool } from './worker-pool.ts'

export interface SweepProgress {
  readonly doneCombos: number
  readonly totalCombos: number
  readonly doneChunks: number
  readonly totalChunks: number
  /** Combos found finished in the checkpoint store when the run began. */
  readonly resumedCombos: number
  /** Combos per second computed by this run (resumed ones excluded); 0 until the first chunk. */
  readonly combosPerSec: number
  /** Estimated ms left at the current rate; NaN while unknown. */
  readonly etaMs: number
  readonly elapsedMs: number
  /** Time from the start of this run to the simulation plan (workers prepared, classes merged); NaN before. */
  readonly planMs: number
  /** Distinct simulations run by this run. */
  readonly simulated: number
  /** Combos finished by this run without a simulation of their own (row copies). */
  readonly copied: number
}

export interface SweepUpdate {
  readonly sweepId: string
  readonly plan: SweepPlan
  readonly progress: SweepProgress
  /** comboCount × METRIC_COUNT; rows of unfinished combos are NaN (they never rank). */
  readonly rows: Float64Array
  readonly sharing: CandlePayload['kind'] | 'none'
}

export type SweepOutcome =
  | { readonly kind: 'invalid'; readonly errors: string[] }
  | { readonly kind: 'completed' | 'cancelled'; readonly update: SweepUpdate }
  | { readonly kind: 'failed'; readonly error: string; readonly update: SweepUpdate | undefined }

export interface SweepDeps {
  readonly store: CheckpointStore
  /** The long-lived pool (called only when work is left; a dead pool is the caller's to replace). */
  readonly getPool: () => SweepPool
  /** Monotonic ms clock (performance.now in the page). */
  readonly now: () => number
  /** Wall clock for the stored meta (Date.now in the page). */
  readonly wallNow: () => number
}

export interface SweepArgs {
  readonly series: CandleSeries
  readonly spec: SweepSpec
  /** Combos per chunk; default defaultChunkSize(comboCount). Part of the sweep id. */
  readonly chunkSize?: number
  /** Plain JSON stored with the sweep's meta so the page can rebuild it (e.g. after a reload). */
  readonly request: unknown
  readonly signal: AbortSignal
  readonly onUpdate?: (u: SweepUpdate) => void
  /**
   * Completed chunks are written at most this often (default 250 ms) and at the end: a crash
   * loses at most that much work, and short sweeps write once instead of competing with the
   * workers for the CPU with many small IndexedDB transactions.
   */
  readonly checkpointEveryMs?: number
}

/** Checkpoint chunks: about 64 per sweep (fine-grained resume), at most 256 combos each. */
export function defaultChunkSize(comboCount: number): number {
  return Math.max(1, Math.min(256, Math.ceil(comboCount / 64)))
}

/**
 * Candle hashes by series object: hashing 129,600 bars takes ~7 ms, paid once per series. Series
 * given to sweeps are never mutated (the lab builds them and keeps them as they are).
 */
const dataHashes = new WeakMap<CandleSeries, string>()
function dataHashOf(series: CandleSeries): string {
  let h = dataHashes.get(series)
  if (h === undefined) {
    h = hashSeries(series)
    dataHashes.set(series, h)
  }
  return h
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export async function runSweepSession(args: SweepArgs, deps: SweepDeps): Promise<SweepOutcome> {
  const v = validateSweep(args.spec)
  if (!v.ok) return { kind: 'invalid', errors: v.errors }
  const plan = v.plan
  const total = plan.comboCount
  const chunkSize = args.chunkSize ?? defaultChunkSize(total)
  const sweepId = sweepIdOf({ spec: args.spec, chunkSize, dataHash: dataHashOf(args.series) })
  const chunks: ChunkRange[] = planChunks(total, chunkSize).map((c, index) => ({ index, ...c }))
  const rows = new Float64Array(total * METRIC_COUNT).fill(Number.NaN)
  const finished = new Uint8Array(chunks.length)

  let doneCombos = 0
  let doneChunks = 0
  for (const rec of await deps.store.loadChunks(sweepId)) {
    const c = chunks[rec.chunkIndex]
    // A record that does not match the plan is ignored (recomputed), never trusted.
    if (!c || c.start !== rec.startCombo || c.end !== rec.endCombo || rec.rows.length !== (c.end - c.start) * METRIC_COUNT) continue
    rows.set(rec.rows, c.start * METRIC_COUNT)
    finished[c.index] = 1
    doneCombos += c.end - c.start
    doneChunks++
  }
  const resumedCombos = doneCombos
  const createdMs = (await deps.store.getMeta(sweepId))?.createdMs ?? deps.wallNow()
  const saveMeta = (isFinished: boolean): Promise<void> =>
    deps.store.putMeta({ sweepId, request: args.request, comboCount: total, chunkCount: chunks.length, createdMs, updatedMs: deps.wallNow(), finished: isFinished })
  await saveMeta(doneChunks === chunks.length)

  const startMs = deps.now()
  let planMs = Number.NaN
  let simulated = 0
  let copied = 0
  let sharing: SweepUpdate['sharing'] = 'none'
  const update = (): SweepUpdate => {
    const elapsedMs = deps.now() - startMs
    const ran = doneCombos - resumedCombos
    const combosPerSec = ran > 0 && elapsedMs > 0 ? (ran / elapsedMs) * 1000 : 0
    const etaMs = doneCombos === total ? 0 : combosPerSec > 0 ? ((total - doneCombos) / combosPerSec) * 1000 : Number.NaN
    const progress = { doneCombos, totalCombos: total, doneChunks, totalChunks: chunks.length, resumedCombos, combosPerSec, etaMs, elapsedMs, planMs, simulated, copied }
    return { sweepId, plan, progress, rows, sharing }
  }
  args.onUpdate?.(update())

  const pending = chunks.filter((c) => finished[c.index] === 0)
  if (pending.length === 0) return { kind: 'completed', update: update() }
  if (args.signal.aborted) return { kind: 'cancelled', update: update() }

  let pool: SweepPool
  try {
    pool = deps.getPool()
  } catch (e) {
    return { kind: 'failed', error: `starting workers: ${message(e)}`, update: update() }
  }
  // Terminating at once drops the work in flight; the finished chunks are already stored.
  // `stop` also ends the scheduling when a checkpoint write fails.
  const stop = new AbortController()
  const onAbort = (): void => {
    stop.abort()
    pool.terminate()
  }
  if (args.signal.aborted) onAbort()
  args.signal.addEventListener('abort', onAbort, { once: true })
  try {
    // Terminated workers never answer: every call before the scheduling races the abort.
    const aborted = new Promise<'aborted'>((resolve) => {
      if (stop.signal.aborted) resolve('aborted')
      else stop.signal.addEventListener('abort', () => resolve('aborted'), { once: true })
    })
    const prepared = await Promise.race([pool.prepare(args.series, args.spec), aborted])
    if (prepared === 'aborted') return { kind: 'cancelled', update: update() }
    sharing = prepared.sharing
    if (prepared.comboCount !== total) throw new Error(`workers planned ${prepared.comboCount} combos, the page ${total}`)
    let classes = identityClasses(0)
    if (prepared.plansClasses) {
      const parts = await Promise.race([
        Promise.all(splitEven(prepared.pointCount, pool.size).map(async (r, w) => ({ start: r.start, ...(await prepared.classKeys(w, r.start, r.end)) }))),
        aborted,
      ])
      if (parts === 'aborted') return { kind: 'cancelled', update: update() }
      classes = mergeClasses(prepared.pointCount, parts)
    } else {
      classes = identityClasses(prepared.pointCount)
    }
    const sims = buildSimPlan(plan, classes)
    const coverage = new ChunkCoverage(sims, chunks, finished, rows)
    planMs = deps.now() - startMs
    // Checkpoint writes run behind the simulations (one transaction per batch, in order, batches
    // collected over checkpointEveryMs), so no worker waits for IndexedDB; a chunk counts as done
    // once its write has finished.
    let writes: Promise<void> = Promise.resolve()
    let writeError: string | undefined
    const complete = (indices: readonly number[]): void => {
      if (indices.length === 0) return
      const recs = indices.map((k) => {
        const c = chunks[k]!
        return { sweepId, chunkIndex: k, startCombo: c.start, endCombo: c.end, rows: rows.slice(c.start * METRIC_COUNT, c.end * METRIC_COUNT) }
      })
      writes = writes.then(async () => {
        if (writeError !== undefined) return
        try {
          await deps.store.putChunks(recs)
        } catch (e) {
          writeError = `checkpoint of chunks ${indices.join(', ')}: ${message(e)}`
          stop.abort()
          return
        }
        for (const r of recs) {
          finished[r.chunkIndex] = 1
          doneCombos += r.endCombo - r.startCombo
          doneChunks++
        }
        copied = Math.max(0, doneCombos - resumedCombos - simulated)
        args.onUpdate?.(update())
      })
    }
    const everyMs = args.checkpointEveryMs ?? 250
    let batch: number[] = []
    let lastFlushMs = deps.now()
    const flush = (): void => {
      complete(batch)
      batch = []
      lastFlushMs = deps.now()
    }
    const collect = (indices: readonly number[]): void => {
      batch.push(...indices)
      if (batch.length > 0 && deps.now() - lastFlushMs >= everyMs) flush()
    }
    collect(coverage.readyChunks)
    const reps = coverage.pendingSims.map((s) => sims.repOf[s]!)
    // Guided sizes: large work chunks first (few round trips), small last (no one waits long).
    const work: ChunkRange[] = []
    for (let a = 0; a < reps.length; ) {
      const b = a + guidedChunkSize(reps.length - a, pool.size, 1, 256)
      work.push({ index: work.length, start: a, end: b })
      a = b
    }
    const outcome = await scheduleChunks({
      chunks: work,
      executors: Array.from({ length: pool.size }, (_, w) => ({
        run: async (c: ChunkRange) => {
          const r = await prepared.runSims(w, reps.slice(c.start, c.end))
          return { rows: r.rows, simulated: c.end - c.start, copied: 0 }
        },
      })),
      signal: stop.signal,
      onChunkDone: (c, result) => {
        if (result.rows.length !== (c.end - c.start) * METRIC_COUNT) throw new Error(`work chunk ${c.index}: ${result.rows.length} numbers`)
        simulated += result.simulated
        collect(coverage.add(c.start, result.rows))
      },
    })
    // Cancelled or failed work still keeps what finished.
    flush()
    await writes
    if (writeError !== undefined) {
      pool.terminate()
      return { kind: 'failed', error: writeError, update: update() }
    }
    if (outcome.kind === 'completed') {
      if (doneChunks !== chunks.length) throw new Error(`${chunks.length - doneChunks} chunks left incomplete`)
      await saveMeta(true)
    }
    if (outcome.kind === 'failed') {
      pool.terminate()
      return { kind: 'failed', error: `work chunk ${outcome.chunkIndex}: ${outcome.error}`, update: update() }
    }
    return { kind: outcome.kind, update: update() }
  } catch (e) {
    if (args.signal.aborted) return { kind: 'cancelled', update: update() }
    pool.terminate()
    return { kind: 'failed', error: message(e), update: update() }
  } finally {
    args.signal.removeEventListener('abort', onAbort)
  }
}
