// The promotions table: immutable, numbered configs (the triggers of migration 1 refuse changes).
// The journal stores what it is given; validation, the canonical JSON and its hash are
// edge/promotions' job. Numbering: `id` is global (1, 2, 3, … in promotion order, never reused);
// `version` counts within a lineage, the (strategy id, market) pair, so "ensemble on KRW-BTC v3"
// reads as the third config promoted for that pair.
import type Database from 'better-sqlite3'

export interface NewPromotion {
  readonly strategyId: string
  readonly strategyVersion: number
  readonly market: string
  readonly timeframe: string
  /** Canonical JSON of the whole config (sorted keys). */
  readonly configJson: string
  /** SHA-256 of configJson, hex. */
  readonly contentHash: string
}

export interface PromotionRow extends NewPromotion {
  readonly id: number
  readonly version: number
  readonly createdAtMs: number
  readonly retiredAtMs: number | null
}

export interface PromotionRepo {
  /** Stores a new version, or returns the one with the same content hash (created: false). */
  insertOrGet(p: NewPromotion, nowMs: number): { readonly row: PromotionRow; readonly created: boolean }
  get(id: number): PromotionRow | undefined
  /** Newest first. */
  list(): PromotionRow[]
  /** Marks it retired (once: a second call keeps the first time); undefined when there is no such id. */
  retire(id: number, nowMs: number): PromotionRow | undefined
}

const COLUMNS = `id, version, strategy_id AS strategyId, strategy_version AS strategyVersion, market, timeframe,
  config_json AS configJson, content_hash AS contentHash, created_at_ms AS createdAtMs, retired_at_ms AS retiredAtMs`

export function promotionRepo(db: Database.Database): PromotionRepo {
  const byId = db.prepare<[number], PromotionRow>(`SELECT ${COLUMNS} FROM promotions WHERE id = ?`)
  const byHash = db.prepare<[string], PromotionRow>(`SELECT ${COLUMNS} FROM promotions WHERE content_hash = ?`)
  const all = db.prepare<[], PromotionRow>(`SELECT ${COLUMNS} FROM promotions ORDER BY id DESC`)
  const nextVersion = db.prepare<[string, string], { v: number }>(
    'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM promotions WHERE strategy_id = ? AND market = ?',
  )
  const insert = db.prepare(
    `INSERT INTO promotions (strategy_id, strategy_version, market, timeframe, version, config_json, content_hash, created_at_ms)
     VALUES (@strategyId, @strategyVersion, @market, @timeframe, @version, @configJson, @contentHash, @createdAtMs)`,
  )
  const markRetired = db.prepare('UPDATE promotions SET retired_at_ms = ? WHERE id = ? AND retired_at_ms IS NULL')

  // IMMEDIATE: the hash lookup, the version count and the insert see one state of the table.
  const insertOrGet = db.transaction((p: NewPromotion, nowMs: number) => {
    const existing = byHash.get(p.contentHash)
    if (existing) return { row: existing, created: false }
    const version = nextVersion.get(p.strategyId, p.market)!.v
    const id = Number(insert.run({ ...p, version, createdAtMs: nowMs }).lastInsertRowid)
    return { row: byId.get(id)!, created: true }
  })
  const retire = db.transaction((id: number, nowMs: number) => {
    markRetired.run(nowMs, id)
    return byId.get(id)
  })

  return {
    insertOrGet: (p, nowMs) => insertOrGet.immediate(p, nowMs),
    get: (id) => byId.get(id),
    list: () => all.all(),
    retire: (id, nowMs) => retire.immediate(id, nowMs),
  }
}
