// Journals for tests: a fresh file in a private temporary folder (the real thing: WAL, modes) or
// an in-memory one, a pinned clock, and a valid promotion and run to hang orders and fills on.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { intentId, type PlaceIntent } from '../../../shared/engine/intents.ts'
import { IN_MEMORY, openJournal, type Journal, type NewPromotion } from '../../../edge/journal/index.ts'

export const NOW = 1_750_000_000_000

/** A path in a new 0700 temporary folder (mkdtemp's mode); the file does not exist yet. */
export function tempJournalPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'edge-journal-')), 'journal.sqlite')
}

export function memoryJournal(): Journal {
  return openJournal(IN_MEMORY, { nowMs: () => NOW })
}

export function newPromotion(n: number, over: Partial<NewPromotion> = {}): NewPromotion {
  const configJson = JSON.stringify({ n })
  return {
    strategyId: 'rsi',
    strategyVersion: 1,
    market: 'KRW-BTC',
    timeframe: '15m',
    configJson,
    contentHash: n.toString(16).padStart(64, '0'),
    ...over,
  }
}

/** A journal holding promotion 1 and run `r1` (paper, sim, KRW-BTC). */
export function journalWithRun(j: Journal = memoryJournal()): Journal {
  const { row } = j.promotions.insertOrGet(newPromotion(1), NOW)
  j.runs.createRun({ id: 'r1', promotionId: row.id, venue: 'sim', mode: 'paper', market: 'KRW-BTC' }, NOW)
  return j
}

export function buyIntent(barTimeMs: number, over: Partial<PlaceIntent> = {}): PlaceIntent {
  return {
    kind: 'place',
    id: intentId('r1', barTimeMs, 0),
    side: 'buy',
    type: 'limit',
    price: 100_000_000,
    qtyBase: 0.001,
    quoteAmount: Number.NaN,
    barTimeMs,
    ttlBars: 1,
    stopLossRate: 0,
    takeProfitRate: 0,
    trailingStopRate: 0,
    stopLossPrice: Number.NaN,
    takeProfitPrice: Number.NaN,
    ...over,
  }
}
