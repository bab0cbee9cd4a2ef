// Per-series memo of the expensive, spec-independent parts of sweeps (ensemble member codes per
// member-param set, RSI per period, …: whatever a strategy's sweep source chooses to keep). A
// worker keeps one per candle series between sweeps, so a second sweep on the same data ("warm")
// skips them. Entries are keyed by a string that names the computation and its params; least
// recently used entries are dropped beyond a byte budget.

export class SeriesCache<S = unknown> {
  readonly series: S
  private readonly entries = new Map<string, { value: unknown; bytes: number }>()
  private bytes = 0
  private readonly budgetBytes: number
  private builds = 0

  constructor(series: S, budgetBytes = 256 * 1024 * 1024) {
    this.series = series
    this.budgetBytes = budgetBytes
  }

  /** Entries built so far (a warm sweep builds none). */
  get built(): number {
    return this.builds
  }

  /** The cached value of `key`, built (and kept when it fits) on a miss; `size` in bytes. */
  memo<T>(key: string, size: number | ((value: T) => number), build: () => T): T {
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      // Re-insert: Map order is then least recently used first.
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit.value as T
    }
    const value = build()
    this.builds++
    const bytes = typeof size === 'number' ? size : size(value)
    if (bytes <= this.budgetBytes) {
      while (this.bytes + bytes > this.budgetBytes) {
        const [oldKey, old] = this.entries.entries().next().value!
        this.entries.delete(oldKey)
        this.bytes -= old.bytes
      }
      this.entries.set(key, { value, bytes })
      this.bytes += bytes
    }
    return value
  }
}
