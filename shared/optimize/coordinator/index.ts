// Front door of the sweep coordinator (one for the lab and the CLI): the worker API and its one
// implementation, the transport-agnostic worker pool, the chunk scheduler, the checkpoint
// interface and the coordinator that ties them together. Transports (comlink over Web Workers or
// worker_threads) and checkpoint stores (IndexedDB, a file) live in lab/ and edge/.
export { createCanceller } from './cancel.ts'
export type { Canceller, CancelSignal } from './cancel.ts'
export { packCandles, unpackCandles } from './candle-payload.ts'
export type { CandlePayload } from './candle-payload.ts'
export type { CheckpointStore, ChunkRecord, SweepMeta } from './checkpoint.ts'
export { ChunkCoverage } from './chunk-coverage.ts'
export { runCoordinatedSweep } from './coordinator.ts'
export type { CoordinatorDeps, SweepArgs, SweepOutcome, SweepProgress, SweepUpdate } from './coordinator.ts'
export { guidedChunks, scheduleChunks } from './scheduler.ts'
export type { ChunkExecutor, ChunkRange, ScheduleOptions, ScheduleOutcome } from './scheduler.ts'
export { hashSeries, hashString, stableStringify, sweepIdOf } from './sweep-id.ts'
export type { SweepIdInput } from './sweep-id.ts'
export { poolCscv, poolRobustness } from './robustness.ts'
export type { FinishedSweep } from './robustness.ts'
export { createSweepWorker } from './sweep-worker.ts'
export type { SweepWorkerOptions, TransferMarker } from './sweep-worker.ts'
export type {
  ClassesResult,
  CscvTask,
  LoadResult,
  PrepareResult,
  RemoteSweepWorker,
  SimsResult,
  SimulateResult,
  SimulateWants,
  SweepWorkerApi,
} from './worker-api.ts'
export { createWorkerPool } from './worker-pool.ts'
export type { PreparedSweep, WorkerFactory, WorkerHandle, WorkerPool, WorkerPoolOptions } from './worker-pool.ts'
