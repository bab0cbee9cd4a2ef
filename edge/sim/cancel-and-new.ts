// POST /v1/orders/cancel_and_new (Upbit, since 2025-02-05; ccxt's editOrder): cancels a waiting
// order, then places a new one on the same market and side. JSON body params prev_order_uuid |
// prev_order_identifier, new_ord_type, new_price, new_volume (a decimal or 'remain_only' = the
// previous order's remaining volume), new_time_in_force, new_smp_type, new_identifier. Answers
// 201 with the cancelled order as it was before the cancel plus new_order_uuid (and
// new_order_identifier when one was given). The new order goes through the same checks as
// POST /v1/orders (order-intake.ts: combination, precision, tick, min/max total and funds,
// counting the funds the cancel will release) BEFORE anything is cancelled, so a rejected request
// leaves the previous order as it was; the cancel and the placement then run without a gap.
import type { Context, Hono } from 'hono'
import { exchangeError } from './errors.ts'
import { remainingVolume } from './exchange.ts'
import type { ExchangeDeps } from './exchange-deps.ts'
import { dec } from './format.ts'
import { orderJson } from './order-json.ts'
import { intakeOrder } from './order-intake.ts'

type ReadParams = (c: Context, d: ExchangeDeps) => Promise<Record<string, unknown>>

function text(v: unknown): string | null {
  if (typeof v === 'number') return String(v)
  return typeof v === 'string' && v !== '' ? v : null
}

export function registerCancelAndNew(app: Hono, d: ExchangeDeps, readParams: ReadParams): void {
  app.post('/v1/orders/cancel_and_new', async (c) => {
    const p = await readParams(c, d)
    const prevUuid = text(p.prev_order_uuid)
    const prevIdentifier = text(p.prev_order_identifier)
    if (prevUuid === null && prevIdentifier === null) {
      throw exchangeError(400, 'validation_error', 'prev_order_uuid or prev_order_identifier is missing')
    }
    const prev = d.exchange.find(prevUuid, prevIdentifier)
    if (!prev || (prev.state !== 'wait' && prev.state !== 'watch')) throw exchangeError(404, 'order_not_found')
    const newIdentifier = text(p.new_identifier)
    const volume = p.new_volume === 'remain_only' ? dec(remainingVolume(prev)) : p.new_volume
    const params = {
      market: prev.market,
      side: prev.side,
      ord_type: p.new_ord_type,
      price: p.new_price,
      volume,
      time_in_force: p.new_time_in_force,
      smp_type: p.new_smp_type,
      identifier: newIdentifier ?? undefined,
    }
    const nowMs = d.nowMs()
    // The identifier is claimed first, like POST /v1/orders (the previous order's is a duplicate).
    const { req } = intakeOrder(d.exchange, new Set(d.markets.codes()), params, nowMs, { claimIdentifier: true, freed: prev.locked })
    const before = orderJson(prev, false)
    d.exchange.cancel(prev, nowMs)
    const placed = d.exchange.place(req, nowMs)
    return c.json(
      { ...before, new_order_uuid: placed.uuid, ...(placed.identifier !== null ? { new_order_identifier: placed.identifier } : {}) },
      201,
    )
  })
}
