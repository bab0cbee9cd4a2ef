// The one validation path for a new order, shared by POST /v1/orders, POST /v1/orders/test and the
// new order of POST /v1/orders/cancel_and_new: identifier (length, reuse), parameters, exact
// precision, tick, totals and funds. Only the real routes claim the identifier; the test route
// checks it the same way and leaves it free.
import { exchangeError } from './errors.ts'
import type { Exchange, Placement } from './exchange.ts'
import { parseOrderRequest } from './order-params.ts'
import type { OrderRequest } from './order-params.ts'

export interface IntakeOptions {
  /** Claim the identifier for good (real orders) or only check it (the test route). */
  readonly claimIdentifier: boolean
  /** Funds a cancel would release before this order is placed (cancel_and_new). */
  readonly freed?: number
}

export interface Intake {
  readonly req: OrderRequest
  readonly placement: Placement
}

function identifierOf(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null
  if (typeof v !== 'string') throw exchangeError(400, 'validation_error', 'identifier does not have a valid value')
  return v
}

/** Throws the Upbit error the order earns; changes nothing but the identifier claim. */
export function intakeOrder(
  ex: Exchange,
  knownMarkets: ReadonlySet<string>,
  params: Readonly<Record<string, unknown>>,
  nowMs: number,
  opts: IntakeOptions,
): Intake {
  const identifier = identifierOf(params.identifier)
  // Claimed before the other checks: Upbit refuses an identifier forever, even after a failure.
  if (identifier !== null) {
    if (opts.claimIdentifier) ex.claimIdentifier(identifier)
    else ex.checkIdentifier(identifier)
  }
  const req = parseOrderRequest(params, knownMarkets)
  return { req, placement: ex.prepare(req, nowMs, opts.freed ?? 0) }
}
