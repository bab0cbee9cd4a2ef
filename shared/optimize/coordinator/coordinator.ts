// The sweep coordinator, the same for the lab and the CLI: validate; identify the sweep and load
// its checkpointed chunks (when a checkpoint store is given); de-duplicate globally (workers label
// strategy points with exact class keys, this side merges them into the simulation plan,
// sim-plan.ts); hand out only the DISTINCT simulations still needed to the pool's workers in
// guided chunks; mark each chunk of combos complete as soon as all its simulations are known
// (chunk-coverage.ts) and checkpoint it; report progress, ETA and the partial rows; stop on a
// cancel, keeping what finished. Asked for block sums (blockSums), the workers also reduce each
// simulation's daily returns to the CSCV's per-block numbers while they run it, and the update
// carries them (SimBlockStats) for the robustness report, which then re-runs no simulation.
// Pure: workers come through the WorkerPool interface, time through injected clocks, storage
// through CheckpointStore; it imports no transport, no platform API.
import type { CandleSeries } from '../../candles/types.ts'
import { METRIC_COUNT } from '../../metrics/types.ts'
import { planChunks } from '../grid.ts'
import { blocksFor, MAX_PBO_BLOCKS, PBO_STATS } from '../robust/pbo.ts'
import type { SimBlockStats } from '../robust/report.ts'
import { buildSimPlan, identityClasses, mergeClasses, splitEven } from '../sim-plan.ts'
import type { SimPlan } from '../sim-plan.ts'
import { validateSweep } from '../validate.ts'
import type { StrategyResolver, SweepPlan, SweepSpec } from '../validate.ts'
import { createCanceller, NEVER_CANCELLED, unlessAborted } from './cancel.ts'
import type { CancelSignal } from './cancel.ts'
import type { CandlePayload } from './candle-payload.ts'
import type { CheckpointStore } from './checkpoint.ts'
import { ChunkCoverage } from './chunk-coverage.ts'
import { errorMessage, guidedChunks, scheduleChunks } from './scheduler.ts'
import type { ChunkRange } from './scheduler.ts'
import { hashSeries, sweepIdOf } from './sweep-id.ts'
import type { WorkerPool } from './worker-pool.ts'

export interface SweepProgress {
  readonly doneCombos: number
  readonly totalCombos: number
  readonly doneChunks: number
  readonly totalChunks: number
  /** Combos found finished in the checkpoint store when the run began. */
  readonly resumedCombos: number
  /** Combos per second computed by this run (resumed ones excluded); 0 until the first chunk. */
  readonly combosPerSec: number
  /** Estimated ms left at the current rate; NaN while unknown, 0 when done. */
  readonly etaMs: number
  readonly elapsedMs: number
  /** Time from the start of this run to the simulation plan (workers prepared, classes merged); NaN before. */
  readonly planMs: number
  /** Distinct simulations run by this run. */
  readonly simulated: number
  /** Combos finished by this run without a simulation of their own (row copies). */
  readonly copied: number
  /** Distinct simulations of the whole sweep; NaN until planned (never planned when all was resumed). */
  readonly simCount: number
  /** Series-cache entries the workers built in this run (0 when warm); NaN until planned. */
  readonly cacheBuilds: number
}

export interface SweepUpdate {
  /** Checkpoint identity of the sweep; '' when run without a checkpoint store. */
  readonly sweepId: string
  readonly plan: SweepPlan
  /** Bars of the candle series. */
  readonly bars: number
  readonly progress: SweepProgress
  /** comboCount × METRIC_COUNT; rows of unfinished combos are NaN (they never rank). */
  readonly rows: Float64Array
  /** The simulation plan, once made (undefined when every chunk came from the store). */
  readonly sims: SimPlan | undefined
  readonly sharing: CandlePayload['kind'] | 'none'
  /**
   * With SweepArgs.blockSums: the CSCV block numbers of the simulations run so far (known[s] = 1);
   * simulations resumed from a checkpoint have none (the report re-runs the ones it needs).
   * Undefined when not asked, not planned, too many simulations, or too few days for CSCV.
   */
  readonly blockSums: SimBlockStats | undefined
}

export type SweepOutcome =
  | { readonly kind: 'invalid'; readonly errors: string[] }
  | { readonly kind: 'completed' | 'cancelled'; readonly update: SweepUpdate }
  | { readonly kind: 'failed'; readonly error: string; readonly update: SweepUpdate | undefined }

export interface CoordinatorDeps {
  /** The long-lived pool (called only when work is left; a dead pool is the caller's to replace). */
  readonly getPool: () => WorkerPool
  /** Monotonic ms clock (performance.now). */
  readonly now: () => number
  /** Checkpoints: finished chunks are stored and found again by a later run of the same sweep. */
  readonly store?: CheckpointStore
  /** Wall clock for the stored meta (Date.now); needed with a store. */
  readonly wallNow?: () => number
  /**
   * How the spec's strategy is found on this side (default: the built-in registry). A user
   * strategy's code never runs here: a definition with its schema is enough to plan the sweep.
   */
  readonly resolveStrategy?: StrategyResolver
}

export interface SweepArgs {
  readonly series: CandleSeries
  readonly spec: SweepSpec
  /**
   * Combos per chunk of progress, checkpoint and resume; default defaultChunkSize(comboCount).
   * Part of the sweep id.
   */
  readonly chunkSize?: number
  /** Distinct simulations per worker call; default guided (large first, small last, ≤ 256). */
  readonly workSize?: number
  /** Plain JSON stored with the sweep's meta so the caller can rebuild it (e.g. after a reload). */
  readonly request?: unknown
  readonly signal?: CancelSignal
  readonly onUpdate?: (u: SweepUpdate) => void
  /**
   * With a store, completed chunks are written at most this often (default 250 ms) and at the
   * end: a crash loses at most that much work, and short sweeps write once instead of competing
   * with the workers for the CPU with many small writes.
   */
  readonly checkpointEveryMs?: number
  /**
   * Keep each simulation's CSCV block numbers for the robustness report (blocks × 3 doubles per
   * simulation, 384 bytes at S = 16): `pboBlocks` as the report's (default 16, lowered to fit the
   * days the same way), none when the sweep has more than `maxSims` distinct simulations
   * (default 100,000: the report then re-runs its columns). Not checkpointed.
   */
  readonly blockSums?: { readonly pboBlocks?: number; readonly maxSims?: number }
}

/** Checkpoint chunks: about 64 per sweep (fine-grained resume), at most 256 combos each. */
function defaultChunkSize(comboCount: number): number {
  return Math.max(1, Math.min(256, Math.ceil(comboCount / 64)))
}

/**
 * Candle hashes by series object: hashing 129,600 bars takes ~7 ms, paid once per series. Series
 * given to sweeps are never mutated (callers build them and keep them as they are).
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

export async function runCoordinatedSweep(args: SweepArgs, deps: CoordinatorDeps): Promise<SweepOutcome> {
  const v = validateSweep(args.spec, deps.resolveStrategy)
  if (!v.ok) return { kind: 'invalid', errors: v.errors }
  const plan = v.plan
  const total = plan.comboCount
  const signal = args.signal ?? NEVER_CANCELLED
  const store = deps.store
  const wallNow = deps.wallNow ?? (() => Number.NaN)
  const chunkSize = args.chunkSize ?? defaultChunkSize(total)
  const wantBlocks = args.blockSums?.pboBlocks ?? 16
  if (
    args.blockSums !== undefined &&
    !(Number.isInteger(wantBlocks) && wantBlocks >= 2 && wantBlocks % 2 === 0 && wantBlocks <= MAX_PBO_BLOCKS)
  )
    return { kind: 'invalid', errors: [`blockSums.pboBlocks must be an even integer in [2, ${MAX_PBO_BLOCKS}], got ${wantBlocks}`] }
  const chunks: ChunkRange[] = planChunks(total, chunkSize).map((c, index) => ({ index, ...c }))
  const sweepId = store === undefined ? '' : sweepIdOf({ spec: args.spec, chunkSize, dataHash: dataHashOf(args.series) })
  const rows = new Float64Array(total * METRIC_COUNT).fill(Number.NaN)
  const finished = new Uint8Array(chunks.length)

  let doneCombos = 0
  let doneChunks = 0
  for (const rec of store === undefined ? [] : await store.loadChunks(sweepId)) {
    const c = chunks[rec.chunkIndex]
    // A record that does not match the plan is ignored (recomputed), never trusted.
    if (!c || c.start !== rec.startCombo || c.end !== rec.endCombo || rec.rows.length !== (c.end - c.start) * METRIC_COUNT) continue
    rows.set(rec.rows, c.start * METRIC_COUNT)
    finished[c.index] = 1
    doneCombos += c.end - c.start
    doneChunks++
  }
  const resumedCombos = doneCombos
  const createdMs = store === undefined ? Number.NaN : ((await store.getMeta(sweepId))?.createdMs ?? wallNow())
  const saveMeta = async (isFinished: boolean): Promise<void> => {
    if (store === undefined) return
    await store.putMeta({
      sweepId,
      request: args.request ?? null,
      comboCount: total,
      chunkCount: chunks.length,
      createdMs,
      updatedMs: wallNow(),
      finished: isFinished,
    })
  }
  await saveMeta(doneChunks === chunks.length)

  const startMs = deps.now()
  let planMs = Number.NaN
  let simulated = 0
  let copied = 0
  let sims: SimPlan | undefined
  let cacheBuilds = (): number => Number.NaN
  let sharing: SweepUpdate['sharing'] = 'none'
  let blockSums: SimBlockStats | undefined
  const bars = args.series.close.length
  const update = (): SweepUpdate => {
    const elapsedMs = deps.now() - startMs
    const ran = doneCombos - resumedCombos
    const combosPerSec = ran > 0 && elapsedMs > 0 ? (ran / elapsedMs) * 1000 : 0
    const etaMs = doneCombos === total ? 0 : combosPerSec > 0 ? ((total - doneCombos) / combosPerSec) * 1000 : Number.NaN
    const simCount = sims?.simCount ?? Number.NaN
    const progress = {
      doneCombos,
      totalCombos: total,
      doneChunks,
      totalChunks: chunks.length,
      resumedCombos,
      combosPerSec,
      etaMs,
      elapsedMs,
      planMs,
      simulated,
      copied,
      simCount,
      cacheBuilds: cacheBuilds(),
    }
    return { sweepId, plan, bars, progress, rows, sims, sharing, blockSums }
  }
  args.onUpdate?.(update())

  if (doneChunks === chunks.length) return { kind: 'completed', update: update() }
  if (signal.aborted) return { kind: 'cancelled', update: update() }

  let pool: WorkerPool
  try {
    pool = deps.getPool()
  } catch (e) {
    return { kind: 'failed', error: `starting workers: ${errorMessage(e)}`, update: update() }
  }
  // Terminating at once drops the work in flight; the finished chunks are already stored.
  // `stop` also ends the scheduling when a checkpoint write fails.
  const stop = createCanceller()
  const onAbort = (): void => {
    stop.cancel()
    void pool.terminate()
  }
  if (signal.aborted) onAbort()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    // Terminated workers never answer: every call before the scheduling races the abort.
    const prepared = await unlessAborted(pool.prepare(args.series, args.spec), stop.signal)
    if (prepared === 'aborted') return { kind: 'cancelled', update: update() }
    sharing = prepared.sharing
    if (prepared.comboCount !== total) throw new Error(`workers planned ${prepared.comboCount} combos, the coordinator ${total}`)
    // Each worker labels an even share of the strategy points; without class keys every point is its own class.
    const parts = !prepared.plansClasses
      ? undefined
      : await unlessAborted(
          Promise.all(
            splitEven(prepared.pointCount, pool.size).map(async (r, w) => ({
              start: r.start,
              ...(await prepared.classKeys(w, r.start, r.end)),
            })),
          ),
          stop.signal,
        )
    if (parts === 'aborted') return { kind: 'cancelled', update: update() }
    const plannedSims = buildSimPlan(
      plan,
      parts === undefined ? identityClasses(prepared.pointCount) : mergeClasses(prepared.pointCount, parts),
    )
    sims = plannedSims
    cacheBuilds = () => prepared.cacheBuilds()
    const coverage = new ChunkCoverage(plannedSims, chunks, finished, rows)
    planMs = deps.now() - startMs
    // Block numbers only where the report can use them (≥ 4 blocks) and memory stays bounded.
    const blocks = args.blockSums === undefined ? 0 : blocksFor(prepared.dayCount, wantBlocks)
    if (blocks >= 4 && plannedSims.simCount <= (args.blockSums?.maxSims ?? 100_000)) {
      blockSums = {
        blocks,
        days: prepared.dayCount,
        stats: new Float64Array(plannedSims.simCount * blocks * PBO_STATS),
        known: new Uint8Array(plannedSims.simCount),
      }
    }
    const width = blockSums === undefined ? 0 : blocks * PBO_STATS

    // Checkpoint writes run behind the simulations (one write per batch, in order, batches
    // collected over checkpointEveryMs), so no worker waits for storage; a chunk counts as done
    // once its write has finished. Without a store a chunk is done when its rows are.
    let writes: Promise<void> = Promise.resolve()
    let writeError: string | undefined
    const markDone = (indices: readonly number[]): void => {
      for (const k of indices) {
        const c = chunks[k]!
        finished[k] = 1
        doneCombos += c.end - c.start
        doneChunks++
      }
      copied = Math.max(0, doneCombos - resumedCombos - simulated)
      args.onUpdate?.(update())
    }
    const complete = (indices: readonly number[]): void => {
      if (indices.length === 0) return
      if (store === undefined) return markDone(indices)
      const recs = indices.map((k) => {
        const c = chunks[k]!
        return {
          sweepId,
          chunkIndex: k,
          startCombo: c.start,
          endCombo: c.end,
          rows: rows.slice(c.start * METRIC_COUNT, c.end * METRIC_COUNT),
        }
      })
      writes = writes.then(async () => {
        if (writeError !== undefined) return
        try {
          await store.putChunks(recs)
        } catch (e) {
          writeError = `checkpoint of chunks ${indices.join(', ')}: ${errorMessage(e)}`
          stop.cancel()
          return
        }
        markDone(indices)
      })
    }
    const everyMs = store === undefined ? 0 : (args.checkpointEveryMs ?? 250)
    let batch: number[] = []
    let lastFlushMs = deps.now()
    const flush = (): void => {
      complete(batch)
      batch = []
      lastFlushMs = deps.now()
    }
    const collect = (indices: readonly number[]): void => {
      for (const k of indices) batch.push(k)
      if (batch.length > 0 && deps.now() - lastFlushMs >= everyMs) flush()
    }
    collect(coverage.readyChunks)
    // Representatives of the simulations left (all of them, uncopied, when nothing was resumed).
    const pending = coverage.pendingSims
    const reps = pending.length === plannedSims.simCount ? plannedSims.repOf : Int32Array.from(pending, (s) => plannedSims.repOf[s]!)
    const outcome = await scheduleChunks({
      chunks: guidedChunks(reps.length, pool.size, args.workSize),
      // Two slots per worker: its next chunk is queued while it runs one, so no worker idles
      // through a round trip (it matters when simulations are short).
      executors: Array.from({ length: 2 * pool.size }, (_, k) => ({
        run: (c: ChunkRange) => prepared.runSims(k % pool.size, reps.slice(c.start, c.end), width > 0 ? blocks : 0),
      })),
      signal: stop.signal,
      onChunkDone: (c, result) => {
        if (result.rows.length !== (c.end - c.start) * METRIC_COUNT) throw new Error(`work chunk ${c.index}: ${result.rows.length} numbers`)
        if (blockSums !== undefined) {
          const got = result.blockStats
          if (got?.length !== (c.end - c.start) * width) throw new Error(`work chunk ${c.index}: ${got?.length ?? 0} block numbers`)
          for (let k = c.start; k < c.end; k++) {
            const s = pending[k]!
            blockSums.stats.set(got.subarray((k - c.start) * width, (k - c.start + 1) * width), s * width)
            blockSums.known[s] = 1
          }
        }
        simulated += c.end - c.start
        collect(coverage.add(c.start, result.rows))
      },
    })
    // Cancelled or failed work still keeps what finished.
    flush()
    await writes
    if (writeError !== undefined) {
      await pool.terminate()
      return { kind: 'failed', error: writeError, update: update() }
    }
    if (outcome.kind === 'failed') {
      await pool.terminate()
      return { kind: 'failed', error: `work chunk ${outcome.chunkIndex}: ${outcome.error}`, update: update() }
    }
    if (outcome.kind === 'completed') {
      if (doneChunks !== chunks.length) throw new Error(`${chunks.length - doneChunks} chunks left incomplete`)
      await saveMeta(true)
    }
    return { kind: outcome.kind, update: update() }
  } catch (e) {
    if (signal.aborted) return { kind: 'cancelled', update: update() }
    await pool.terminate()
    return { kind: 'failed', error: errorMessage(e), update: update() }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
