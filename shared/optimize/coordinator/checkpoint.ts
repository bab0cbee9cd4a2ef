// The checkpoint interface of sweeps: one record per finished chunk of combos (its rows), plus one
// meta record per sweep, so a sweep can be resumed after a reload, a crash or a cancel. The lab
// keeps them in IndexedDB (lab/optimizer/checkpoint-store.ts), the CLI in a file
// (edge/optimize/checkpoint-file.ts); the coordinator only sees this interface.

export interface ChunkRecord {
  readonly sweepId: string
  readonly chunkIndex: number
  readonly startCombo: number
  readonly endCombo: number
  /** (endCombo − startCombo) × METRIC_COUNT metrics, NaN and ±Infinity included. */
  readonly rows: Float64Array
}

export interface SweepMeta {
  readonly sweepId: string
  /** Whatever the caller needs to rebuild the sweep (spec, data source, chunk size): plain JSON. */
  readonly request: unknown
  readonly comboCount: number
  readonly chunkCount: number
  readonly createdMs: number
  readonly updatedMs: number
  readonly finished: boolean
}

export interface CheckpointStore {
  putMeta(meta: SweepMeta): Promise<void>
  getMeta(sweepId: string): Promise<SweepMeta | undefined>
  /** Newest first. */
  listSweeps(): Promise<SweepMeta[]>
  /** Several chunks in one write. */
  putChunks(recs: readonly ChunkRecord[]): Promise<void>
  /** All finished chunks of a sweep, in chunk order. */
  loadChunks(sweepId: string): Promise<ChunkRecord[]>
  deleteSweep(sweepId: string): Promise<void>
  close(): void
}
