// The stored-candles manager's state: what the candle store holds, series by series (no candle
// data is loaded), the browser's usage and quota, and deleting a series after an inline
// confirmation. Every failure is a StorageError in plain words. A data cell whose candles were
// deleted downloads them again on its next run.
import {
  storageEstimate,
  toStorageError,
  type CandleStore,
  type StorageError,
  type StorageUsage,
  type StoredSeries,
} from '../candles/index.ts'
import { plural, seriesId } from './format.ts'

export interface StoredCandlesOptions {
  /** The lab's shared candle store (opened on first use); rejects with a StorageError. */
  readonly openStore: () => Promise<CandleStore>
  /** The browser's estimate; tests hand in their own. */
  readonly estimate?: () => Promise<StorageUsage | null>
}

export class StoredCandles {
  /** The stored series, or null before the first read finished. */
  series = $state.raw<StoredSeries[] | null>(null)
  usage = $state.raw<StorageUsage | null>(null)
  loading = $state(false)
  error = $state.raw<StorageError | null>(null)
  /** The series whose deletion waits for "Delete" or "Keep". */
  confirming = $state<string | null>(null)
  /** The series being deleted right now. */
  deleting = $state<string | null>(null)
  /** What the last delete did, in words (announced politely). */
  notice = $state<string | null>(null)
  private generation = 0

  constructor(private readonly opts: StoredCandlesOptions) {}

  get totalBytes(): number {
    return (this.series ?? []).reduce((n, s) => n + s.bytes, 0)
  }

  get totalDays(): number {
    return (this.series ?? []).reduce((n, s) => n + s.dayCount, 0)
  }

  find(id: string): StoredSeries | undefined {
    return this.series?.find((s) => seriesId(s) === id)
  }

  /** Reads the list and the browser's estimate again; the previous list stays until then. */
  async refresh(): Promise<void> {
    const gen = ++this.generation
    this.loading = true
    const estimate = (this.opts.estimate ?? storageEstimate)().catch(() => null)
    try {
      const store = await this.opts.openStore()
      const list = await store.summary()
      if (gen !== this.generation) return
      this.series = list
      this.error = null
      if (this.confirming !== null && this.find(this.confirming) === undefined) this.confirming = null
    } catch (e) {
      if (gen !== this.generation) return
      this.error = toStorageError(e)
    } finally {
      const usage = await estimate
      if (gen === this.generation) {
        this.usage = usage
        this.loading = false
      }
    }
  }

  /** Asks for confirmation before deleting a series. */
  ask(id: string): void {
    this.confirming = id
    this.notice = null
  }

  cancel(): void {
    this.confirming = null
  }

  /** Deletes a series (its day records and coverage), then reads the list again. */
  async remove(id: string): Promise<boolean> {
    const s = this.find(id)
    if (s === undefined || this.deleting !== null) return false
    this.deleting = id
    this.notice = null
    let failure: StorageError | null = null
    try {
      const store = await this.opts.openStore()
      await store.clear({ venue: s.venue, market: s.market, timeframe: s.timeframe })
    } catch (e) {
      failure = toStorageError(e)
    }
    await this.refresh()
    this.deleting = null
    this.confirming = null
    // After the refresh, so a successful read does not hide why the delete failed.
    if (failure !== null) this.error = failure
    else
      this.notice = `Deleted ${plural(s.dayCount, 'day')} of ${s.market} ${s.timeframe} (${s.venue}). A data cell downloads them again on its next run.`
    return failure === null
  }
}
