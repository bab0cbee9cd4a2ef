// Promotions as the API shows them, on top of the journal's promotions table: a validated config
// becomes its canonical JSON and content hash and is stored once; the same content posted again
// is the same promotion.
import type { PromotionRepo, PromotionRow } from '../journal/index.ts'
import { canonicalJson, contentHash } from './canonical.ts'
import type { PromotionConfig } from './validate.ts'

export interface PromotionView {
  /** Global promotion number (1, 2, 3, … in promotion order). */
  readonly id: number
  /** Number within the lineage (strategy id, market). */
  readonly version: number
  readonly strategy: { readonly id: string; readonly version: number }
  readonly market: string
  readonly timeframe: string
  /** SHA-256 (hex) of the config's canonical JSON. */
  readonly hash: string
  readonly createdAtMs: number
  readonly retired: boolean
  readonly retiredAtMs: number | null
  readonly config: PromotionConfig
}

export function toView(row: PromotionRow): PromotionView {
  return {
    id: row.id,
    version: row.version,
    strategy: { id: row.strategyId, version: row.strategyVersion },
    market: row.market,
    timeframe: row.timeframe,
    hash: row.contentHash,
    createdAtMs: row.createdAtMs,
    retired: row.retiredAtMs !== null,
    retiredAtMs: row.retiredAtMs,
    config: JSON.parse(row.configJson) as PromotionConfig,
  }
}

export function storePromotion(
  repo: PromotionRepo,
  config: PromotionConfig,
  nowMs: number,
): { promotion: PromotionView; created: boolean } {
  const configJson = canonicalJson(config)
  const { row, created } = repo.insertOrGet(
    {
      strategyId: config.strategy.id,
      strategyVersion: config.strategy.version,
      market: config.market,
      timeframe: config.timeframe,
      configJson,
      contentHash: contentHash(configJson),
    },
    nowMs,
  )
  return { promotion: toView(row), created }
}
