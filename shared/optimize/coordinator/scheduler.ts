// Dynamic distribution of work chunks over worker slots: every slot pulls the next pending chunk as
// soon as its previous one is finished and handed over, so fast and slow workers stay busy and no
// chunk is run twice. Cancellation is cooperative between chunks; the caller may also terminate the
// workers to drop the chunks in flight (their slot promises then reject and are reported as
// cancelled, not failed).
import { guidedChunkSize } from '../sim-plan.ts'
import { unlessAborted } from './cancel.ts'
import type { CancelSignal } from './cancel.ts'

export interface ChunkRange {
  readonly index: number
  /** First item (inclusive). */
  readonly start: number
  /** Last item (exclusive). */
  readonly end: number
}

/** One worker slot: runs items [start, end) of a chunk. */
export interface ChunkExecutor<R> {
  run(chunk: ChunkRange): Promise<R>
}

export type ScheduleOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: string; readonly chunkIndex: number }

export interface ScheduleOptions<R> {
  readonly chunks: readonly ChunkRange[]
  readonly executors: readonly ChunkExecutor<R>[]
  readonly signal: CancelSignal
  /** Called once per finished chunk, before the slot pulls its next chunk. */
  readonly onChunkDone: (chunk: ChunkRange, result: R) => Promise<void> | void
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export async function scheduleChunks<R>(opts: ScheduleOptions<R>): Promise<ScheduleOutcome> {
  if (opts.executors.length === 0) throw new Error('scheduleChunks: no executors')
  let next = 0
  let failure: { error: string; chunkIndex: number } | undefined
  const { signal } = opts
  const stopped = (): boolean => failure !== undefined || signal.aborted

  const slot = async (exec: ChunkExecutor<R>): Promise<void> => {
    while (!stopped() && next < opts.chunks.length) {
      const chunk = opts.chunks[next++]!
      let result: R | 'aborted'
      try {
        result = await unlessAborted(exec.run(chunk), signal)
      } catch (e) {
        // A call rejected after the abort is the abort's doing, not a failure.
        if (!signal.aborted && failure === undefined) failure = { error: errorMessage(e), chunkIndex: chunk.index }
        return
      }
      if (result === 'aborted' || signal.aborted) return
      try {
        await opts.onChunkDone(chunk, result)
      } catch (e) {
        if (failure === undefined) failure = { error: `chunk ${chunk.index}: ${errorMessage(e)}`, chunkIndex: chunk.index }
        return
      }
    }
  }

  await Promise.all(opts.executors.map(slot))
  if (failure) return { kind: 'failed', ...failure }
  if (signal.aborted) return { kind: 'cancelled' }
  return { kind: 'completed' }
}

/**
 * Guided self-scheduling: chunks of a share of what is left, so they start large (few round
 * trips) and end small (no worker waits long for the last one); `fixedSize` overrides it.
 */
export function guidedChunks(count: number, workers: number, fixedSize?: number, maxSize = 256): ChunkRange[] {
  const out: ChunkRange[] = []
  for (let a = 0; a < count;) {
    const b = Math.min(count, a + (fixedSize ?? guidedChunkSize(count - a, workers, 1, maxSize)))
    out.push({ index: out.length, start: a, end: b })
    a = b
  }
  return out
}
