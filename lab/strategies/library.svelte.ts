// The lab's user-strategy registry: every source a strategy cell has loaded, by content hash
// (store.ts), and the newest version of each strategy id, which the backtest cell's picker (and
// the optimize cell's, through userStrategies()) lists beside the built-ins. Reactive: `heads`
// is replaced whole when a strategy cell saves a new version, and `entry(hash)` is read through a
// revision counter, so a component showing a strategy's form updates when its record arrives.
import { toStorageError } from '../candles/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import { memorySourceStore, openSourceStore, type AuditSummary, type SourceRecord, type SourceStore } from './store.ts'

/** A user strategy as the pickers see it: its identity (id, declared version, source hash) and schema. */
export interface UserStrategyEntry {
  readonly id: string
  readonly version: number
  readonly hash: string
  readonly meta: UserStrategyMeta
  readonly source: string
  readonly savedMs: number
  readonly audit?: AuditSummary
}

const toEntry = (r: SourceRecord): UserStrategyEntry => r

export class UserStrategyLibrary {
  /** The newest version of each user strategy id, sorted by name. */
  heads = $state.raw<readonly UserStrategyEntry[]>([])
  /** Set when IndexedDB could not be used (the library then lives in memory). */
  storageProblem = $state<string | null>(null)
  private rev = $state(0)
  // A cache, not rendered state: reads go through `rev`.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly cache = new Map<string, UserStrategyEntry>()
  private readonly started: Promise<SourceStore>

  constructor(open: () => Promise<SourceStore>) {
    this.started = open()
      .catch((e: unknown) => {
        this.storageProblem = toStorageError(e).message
        return memorySourceStore()
      })
      .then(async (store) => {
        await this.refreshHeads(store).catch(() => undefined)
        return store
      })
  }

  /** Resolves once the stored heads are loaded. */
  async ready(): Promise<void> {
    await this.started
  }

  private async refreshHeads(store: SourceStore): Promise<void> {
    const heads = await store.heads()
    const entries: UserStrategyEntry[] = []
    for (const h of heads) {
      const r = this.cache.get(h.hash) ?? (await store.get(h.hash))
      if (r === undefined) continue
      this.remember(toEntry(r))
      entries.push({ ...r, savedMs: h.savedMs })
    }
    // A save() while the store was opening set its head already (and may not be stored yet): keep it.
    // A local lookup, not state: a plain Map.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byId = new Map(entries.map((e) => [e.id, e]))
    for (const h of this.heads) {
      const stored = byId.get(h.id)
      if (stored === undefined || h.savedMs >= stored.savedMs) byId.set(h.id, h)
    }
    this.heads = [...byId.values()].sort((a, b) => a.meta.name.localeCompare(b.meta.name) || a.id.localeCompare(b.id))
  }

  private remember(e: UserStrategyEntry): void {
    this.cache.set(e.hash, e)
    this.rev++
  }

  /** A known version by hash (reactive; undefined until loaded: call load()). */
  entry(hash: string): UserStrategyEntry | undefined {
    void this.rev
    return this.cache.get(hash)
  }

  /** A version by hash, from memory or IndexedDB. */
  async load(hash: string): Promise<UserStrategyEntry | undefined> {
    const hit = this.cache.get(hash)
    if (hit !== undefined) return hit
    const store = await this.started
    const r = await store.get(hash)
    if (r !== undefined) this.remember(toEntry(r))
    return r
  }

  /** The newest version of an id (reactive). */
  latest(id: string): UserStrategyEntry | undefined {
    return this.heads.find((h) => h.id === id)
  }

  /** Saves a source that loaded (its meta known) and makes it its id's newest version. */
  async save(source: string, hash: string, meta: UserStrategyMeta, savedMs: number): Promise<UserStrategyEntry> {
    const entry: UserStrategyEntry = this.cache.get(hash) ?? { id: meta.id, version: meta.version, hash, meta, source, savedMs }
    this.remember(entry)
    const others = this.heads.filter((h) => h.id !== meta.id)
    this.heads = [...others, { ...entry, savedMs }].sort((a, b) => a.meta.name.localeCompare(b.meta.name) || a.id.localeCompare(b.id))
    const store = await this.started
    await store.save({ ...entry, savedMs: entry.savedMs }).catch((e: unknown) => {
      this.storageProblem = toStorageError(e).message
    })
    return entry
  }

  /** Keeps the latest audit verdict of a version (the promote checklist shows it). */
  async setAudit(hash: string, audit: AuditSummary): Promise<void> {
    const e = this.cache.get(hash)
    if (e !== undefined) {
      this.remember({ ...e, audit })
      if (this.heads.some((h) => h.hash === hash)) this.heads = this.heads.map((h) => (h.hash === hash ? { ...h, audit } : h))
    }
    const store = await this.started
    await store.setAudit(hash, audit).catch(() => undefined)
  }

  /** Every stored version of an id, newest first. */
  async history(id: string): Promise<UserStrategyEntry[]> {
    return (await (await this.started).history(id)).map(toEntry)
  }
}

let shared: UserStrategyLibrary | null = null

/** The lab's library (IndexedDB `upbit-lab-strategies`), opened on first use. */
export function userStrategyLibrary(): UserStrategyLibrary {
  shared ??= new UserStrategyLibrary(() => openSourceStore())
  return shared
}

/** Tests: replace the lab's library (e.g. one over a memory store). */
export function setUserStrategyLibrary(lib: UserStrategyLibrary | null): void {
  shared = lib
}

/**
 * The user strategies a picker lists: the newest version of each id, with its identity, schema
 * and source. Reactive when read in a component or $derived. (The optimize cell's picker can list
 * these beside the built-ins and run a version by hash: see lab/strategies/index.ts.)
 */
export function userStrategies(): readonly UserStrategyEntry[] {
  return userStrategyLibrary().heads
}
