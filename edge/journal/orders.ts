// Orders and fills: the two tables that make "never send an order twice, never lose a fill"
// checkable. An intent row is written (and committed) BEFORE its request is sent; its id is the
// engine's deterministic intent id, so a runner that decides the same bar again after a crash
// finds the row instead of adding one. A fill is keyed by the venue's trade uuid, so the same
// trade reported by the WebSocket and by REST reconciliation is stored once.
//
// Both use `INSERT … ON CONFLICT (key) DO NOTHING`, not `INSERT OR IGNORE`: OR IGNORE would also
// swallow CHECK and NOT NULL violations and report a malformed row as "already there".
import type Database from 'better-sqlite3'
import type { Intent } from '../../shared/engine/intents.ts'

export type OrderState = 'pending_submit' | 'open' | 'unknown' | 'rejected' | 'not_placed' | 'filled' | 'cancelled' | 'done'

export interface OrderRow {
  readonly id: string
  readonly runId: string
  readonly kind: Intent['kind']
  readonly state: OrderState
  readonly barTimeMs: number
  /** The intent as decided (JSON; NaN fields, "not applicable", are null). */
  readonly intentJson: string
  readonly venueUuid: string | null
  /** Live runs: open time of the bar at whose settle the order's fills were booked (null: not yet). */
  readonly bookedBarMs: number | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

export interface RecordedIntent {
  readonly order: OrderRow
  /** False when a row with this id was already there (a replay). */
  readonly created: boolean
  /**
   * Whether the stored intent equals this one. A replay that decides differently under the same
   * id means the decision is not deterministic: the runner must halt, not send either.
   */
  readonly sameIntent: boolean
}

export interface OrderRepo {
  recordOrderIntent(runId: string, intent: Intent, nowMs: number): RecordedIntent
  getOrder(id: string): OrderRow | undefined
  /** Moves an order to `state` (the runner's bookkeeping; no transition rules here). */
  setOrderState(id: string, state: OrderState, nowMs: number): void
  /** The run's orders by bar time. */
  ordersOfRun(runId: string): OrderRow[]
  /** Place orders of the run whose outcome is not known yet (pending_submit, open, unknown). */
  unresolvedOfRun(runId: string): OrderRow[]
  /** Records the venue's uuid of an order (once; the column is unique). */
  setVenueUuid(id: string, uuid: string, nowMs: number): void
  /** Records the bar at which a live order's fills were booked. */
  setBookedBar(id: string, barMs: number, nowMs: number): void
}

/** NaN marks "not applicable" in intents; the database says NULL. */
const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x)

function intentColumns(intent: Intent) {
  if (intent.kind === 'cancel') return { side: null, type: null, price: null, qtyBase: null, quoteAmount: null, targetId: intent.targetId }
  return {
    side: intent.side,
    type: intent.type,
    price: orNull(intent.price),
    qtyBase: orNull(intent.qtyBase),
    quoteAmount: orNull(intent.quoteAmount),
    targetId: null,
  }
}

export function orderRepo(db: Database.Database): OrderRepo {
  const insert = db.prepare(
    `INSERT INTO orders (id, run_id, kind, side, type, price, qty_base, quote_amount, target_id, bar_time_ms, intent_json, created_at_ms, updated_at_ms)
     VALUES (@id, @runId, @kind, @side, @type, @price, @qtyBase, @quoteAmount, @targetId, @barTimeMs, @intentJson, @nowMs, @nowMs)
     ON CONFLICT (id) DO NOTHING`,
  )
  const byId = db.prepare<[string], OrderRow>(
    `SELECT id, run_id AS runId, kind, state, bar_time_ms AS barTimeMs, intent_json AS intentJson, venue_uuid AS venueUuid,
       booked_bar_ms AS bookedBarMs, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs FROM orders WHERE id = ?`,
  )
  const record = db.transaction((runId: string, intent: Intent, nowMs: number): RecordedIntent => {
    // The engine builds intents with a fixed key order, so equal intents give equal JSON.
    const intentJson = JSON.stringify(intent)
    const { changes } = insert.run({
      id: intent.id,
      runId,
      kind: intent.kind,
      barTimeMs: intent.barTimeMs,
      intentJson,
      nowMs,
      ...intentColumns(intent),
    })
    const order = byId.get(intent.id)!
    return { order, created: changes === 1, sameIntent: order.intentJson === intentJson }
  })
  const setState = db.prepare('UPDATE orders SET state = ?, updated_at_ms = ? WHERE id = ?')
  const ofRun = db.prepare<[string], OrderRow>(
    `SELECT id, run_id AS runId, kind, state, bar_time_ms AS barTimeMs, intent_json AS intentJson, venue_uuid AS venueUuid,
       booked_bar_ms AS bookedBarMs, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs FROM orders WHERE run_id = ? ORDER BY bar_time_ms, id`,
  )
  const unresolved = db.prepare<[string], OrderRow>(
    `SELECT id, run_id AS runId, kind, state, bar_time_ms AS barTimeMs, intent_json AS intentJson, venue_uuid AS venueUuid,
       booked_bar_ms AS bookedBarMs, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs FROM orders
     WHERE run_id = ? AND kind = 'place' AND state IN ('pending_submit', 'open', 'unknown') ORDER BY bar_time_ms, id`,
  )
  const setUuid = db.prepare('UPDATE orders SET venue_uuid = ?, updated_at_ms = ? WHERE id = ? AND venue_uuid IS NULL')
  const setBooked = db.prepare('UPDATE orders SET booked_bar_ms = ?, updated_at_ms = ? WHERE id = ?')
  return {
    recordOrderIntent: (runId, intent, nowMs) => record.immediate(runId, intent, nowMs),
    unresolvedOfRun: (runId) => unresolved.all(runId),
    setVenueUuid: (id, uuid, nowMs) => void setUuid.run(uuid, nowMs, id),
    setBookedBar: (id, barMs, nowMs) => void setBooked.run(barMs, nowMs, id),
    getOrder: (id) => byId.get(id),
    setOrderState: (id, state, nowMs) => void setState.run(state, nowMs, id),
    ordersOfRun: (runId) => ofRun.all(runId),
  }
}

export type FillSource = 'ws' | 'rest' | 'paper'

export interface NewFill {
  /** The venue's trade uuid (paper fills: a deterministic id of the simulated trade). */
  readonly tradeUuid: string
  readonly orderId: string
  readonly runId: string
  readonly side: 'buy' | 'sell'
  readonly price: number
  readonly volume: number
  readonly feeQuote: number
  readonly timeMs: number
  readonly source: FillSource
}

export interface FillRow extends NewFill {
  readonly recordedAtMs: number
}

export interface FillRepo {
  /** True when the fill is new; false when this trade uuid is already recorded (nothing changes). */
  recordFill(fill: NewFill, nowMs: number): boolean
  fillsOfOrder(orderId: string): FillRow[]
  /** The run's fills in time order. */
  fillsOfRun(runId: string): FillRow[]
}

export function fillRepo(db: Database.Database): FillRepo {
  const insert = db.prepare(
    `INSERT INTO fills (trade_uuid, order_id, run_id, side, price, volume, fee_quote, time_ms, source, recorded_at_ms)
     VALUES (@tradeUuid, @orderId, @runId, @side, @price, @volume, @feeQuote, @timeMs, @source, @nowMs)
     ON CONFLICT (trade_uuid) DO NOTHING`,
  )
  const ofOrder = db.prepare<[string], FillRow>(
    `SELECT trade_uuid AS tradeUuid, order_id AS orderId, run_id AS runId, side, price, volume, fee_quote AS feeQuote,
       time_ms AS timeMs, source, recorded_at_ms AS recordedAtMs FROM fills WHERE order_id = ? ORDER BY time_ms, trade_uuid`,
  )
  const ofRun = db.prepare<[string], FillRow>(
    `SELECT trade_uuid AS tradeUuid, order_id AS orderId, run_id AS runId, side, price, volume, fee_quote AS feeQuote,
       time_ms AS timeMs, source, recorded_at_ms AS recordedAtMs FROM fills WHERE run_id = ? ORDER BY time_ms, recorded_at_ms, trade_uuid`,
  )
  return {
    recordFill: (fill, nowMs) => insert.run({ ...fill, nowMs }).changes === 1,
    fillsOfOrder: (orderId) => ofOrder.all(orderId),
    fillsOfRun: (runId) => ofRun.all(runId),
  }
}
