// Dynamic distribution of chunks over worker slots: every slot pulls the next pending chunk as
// soon as its previous one is finished and checkpointed, so fast and slow workers stay busy and
// no chunk is run twice. Cancellation is cooperative between chunks; the caller may also
// terminate the workers to drop the chunks in flight (their slot promises then reject and are
// reported as cancelled, not failed).

export interface ChunkRange {
  readonly index: number
  /** First combo index (inclusive). */
  readonly start: number
  /** Last combo index (exclusive). */
  readonly end: number
}

export interface ChunkResult {
  /** (end − start) × METRIC_COUNT metrics, in combo order. */
  readonly rows: Float64Array
  readonly simulated: number
  readonly copied: number
}

/** One worker slot: runs combos [start, end). */
export interface ChunkExecutor {
  run(chunk: ChunkRange): Promise<ChunkResult>
}

export type ScheduleOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: string; readonly chunkIndex: number }

export interface ScheduleOptions {
  readonly chunks: readonly ChunkRange[]
  readonly executors: readonly ChunkExecutor[]
  readonly signal: AbortSignal
  /** Called once per finished chunk, before the slot pulls its next chunk (the checkpoint write). */
  readonly onChunkDone: (chunk: ChunkRange, result: ChunkResult) => Promise<void> | void
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export async function scheduleChunks(opts: ScheduleOptions): Promise<ScheduleOutcome> {
  if (opts.executors.length === 0) throw new Error('scheduleChunks: no executors')
  let next = 0
  let failure: { error: string; chunkIndex: number } | undefined
  const { signal } = opts
  const stopped = (): boolean => failure !== undefined || signal.aborted
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted')
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true })
  })

  const slot = async (exec: ChunkExecutor): Promise<void> => {
    while (!stopped() && next < opts.chunks.length) {
      const chunk = opts.chunks[next++]!
      let result: ChunkResult | 'aborted'
      try {
        result = await Promise.race([exec.run(chunk), aborted])
      } catch (e) {
        // A call rejected after the abort is the abort's doing, not a failure.
        if (!signal.aborted && failure === undefined) failure = { error: message(e), chunkIndex: chunk.index }
        return
      }
      if (result === 'aborted' || signal.aborted) return
      try {
        await opts.onChunkDone(chunk, result)
      } catch (e) {
        if (failure === undefined) failure = { error: `checkpoint of chunk ${chunk.index}: ${message(e)}`, chunkIndex: chunk.index }
        return
      }
    }
  }

  await Promise.all(opts.executors.map(slot))
  if (failure) return { kind: 'failed', ...failure }
  if (signal.aborted) return { kind: 'cancelled' }
  return { kind: 'completed' }
}
