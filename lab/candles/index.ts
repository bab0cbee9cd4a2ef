// Front door of the lab's candle store: columnar day chunks in IndexedDB, a coverage index, the
// edge NDJSON client and the resumable range sync; storage failures in plain words.
export type { TimeRange } from './ranges.ts'
export { unionRanges, subtractRanges, clipRanges, totalLength } from './ranges.ts'
export { StorageError, toStorageError, type StorageErrorCode } from './errors.ts'
export { openLabDb, type LabDb } from './open.ts'
export { splitByDay, dayOf } from './days.ts'
export {
  CandleStore,
  CANDLE_DB,
  CANDLE_DB_VERSION,
  type SeriesKey,
  type LoadedRange,
  type DayRecord,
  type CoverageRecord,
  type StoredSeries,
  type StorageUsage,
  storageEstimate,
} from './store.ts'
export { edgeCandleStream, parseNdjson, type CandleStreamFn, type CandleLine, type ChunkLine } from './stream.ts'
export { syncRange, CandleStreamError, type SyncProgress, type SyncResult, type SyncOptions } from './sync.ts'
