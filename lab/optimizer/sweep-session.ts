// One optimizer sweep from the page's side, without any UI: validate, identify (sweep id), load
// the checkpointed chunks, run the rest over a worker pool, checkpoint each finished chunk, and
// report progress and the best-so-far rows. Plain TypeScript so node tests can drive it with a
// fake pool; SweepController (sweep-controller.svelte.ts) turns its updates into $state.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { planChunks, validateSweep } from '../../shared/optimize/index.ts'
import type { SweepPlan, SweepSpec } from '../../shared/optimize/index.ts'
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
  readonly simulated: number
  readonly copied: number
}

export interface SweepUpdate {
  readonly sweepId: string
  readonly plan: SweepPlan
  readonly progress: SweepProgress
  /** comboCount × METRIC_COUNT; rows of unfinished combos are NaN (they never rank). */
  readonly rows: Float64Array
  readonly sharing: SweepPool['sharing'] | 'none'
}

export type SweepOutcome =
  | { readonly kind: 'invalid'; readonly errors: string[] }
  | { readonly kind: 'completed' | 'cancelled'; readonly update: SweepUpdate }
  | { readonly kind: 'failed'; readonly error: string; readonly update: SweepUpdate | undefined }

export interface SweepDeps {
  readonly store: CheckpointStore
  readonly makePool: (series: CandleSeries, spec: SweepSpec) => Promise<SweepPool>
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
}

/** About 64 chunks per sweep (dynamic balancing, fine-grained checkpoints), at most 256 combos each. */
export function defaultChunkSize(comboCount: number): number {
  return Math.max(1, Math.min(256, Math.ceil(comboCount / 64)))
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
  const sweepId = sweepIdOf({ spec: args.spec, chunkSize, dataHash: hashSeries(args.series) })
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
  let simulated = 0
  let copied = 0
  let sharing: SweepUpdate['sharing'] = 'none'
  const update = (): SweepUpdate => {
    const elapsedMs = deps.now() - startMs
    const ran = doneCombos - resumedCombos
    const combosPerSec = ran > 0 && elapsedMs > 0 ? (ran / elapsedMs) * 1000 : 0
    const etaMs = doneCombos === total ? 0 : combosPerSec > 0 ? ((total - doneCombos) / combosPerSec) * 1000 : Number.NaN
    const progress = { doneCombos, totalCombos: total, doneChunks, totalChunks: chunks.length, resumedCombos, combosPerSec, etaMs, elapsedMs, simulated, copied }
    return { sweepId, plan, progress, rows, sharing }
  }
  args.onUpdate?.(update())

  const pending = chunks.filter((c) => finished[c.index] === 0)
  if (pending.length === 0) return { kind: 'completed', update: update() }
  if (args.signal.aborted) return { kind: 'cancelled', update: update() }

  let pool: SweepPool
  try {
    pool = await deps.makePool(args.series, args.spec)
  } catch (e) {
    return { kind: 'failed', error: `starting workers: ${message(e)}`, update: update() }
  }
  sharing = pool.sharing
  // Terminating at once drops the chunks in flight; the finished ones are already stored.
  const onAbort = (): void => pool.terminate()
  args.signal.addEventListener('abort', onAbort, { once: true })
  try {
    if (pool.comboCount !== total) throw new Error(`workers planned ${pool.comboCount} combos, the page ${total}`)
    const outcome = await scheduleChunks({
      chunks: pending,
      executors: pool.executors,
      signal: args.signal,
      onChunkDone: async (c, result) => {
        if (result.rows.length !== (c.end - c.start) * METRIC_COUNT) throw new Error(`chunk ${c.index}: ${result.rows.length} numbers`)
        await deps.store.putChunk({ sweepId, chunkIndex: c.index, startCombo: c.start, endCombo: c.end, rows: result.rows })
        rows.set(result.rows, c.start * METRIC_COUNT)
        finished[c.index] = 1
        doneCombos += c.end - c.start
        doneChunks++
        simulated += result.simulated
        copied += result.copied
        args.onUpdate?.(update())
      },
    })
    if (outcome.kind === 'completed') await saveMeta(true)
    if (outcome.kind === 'failed') return { kind: 'failed', error: `chunk ${outcome.chunkIndex}: ${outcome.error}`, update: update() }
    return { kind: outcome.kind, update: update() }
  } catch (e) {
    return { kind: 'failed', error: message(e), update: update() }
  } finally {
    args.signal.removeEventListener('abort', onAbort)
    pool.terminate()
  }
}
