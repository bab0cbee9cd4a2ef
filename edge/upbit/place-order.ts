// Placing an order without ever creating two (reliability.md ORD-3, ORD-4, RL-3, RL-5).
//
// Every order carries a caller-chosen `identifier` (unique forever at Upbit, even for failed
// attempts). The POST is sent ONCE. Its outcome is:
// - definitive: 201 with a valid order → done; a 4xx with a known Upbit error name (insufficient
//   funds, under minimum, bad tick, auth…) → rejected, nothing at the venue;
// - not sent: a 418 block active before sending → `blocked`, nothing at the venue;
// - ambiguous: timeout, connection reset, 5xx, 429, 418 on this request, malformed or non-JSON body,
//   or `duplicated_identifier` (an earlier attempt with this identifier may have landed).
// An ambiguous outcome is resolved by GET /v1/order?identifier=… (a few tries with jittered backoff):
// found → that order is the result. Only when EVERY lookup answers 404 `order_not_found` (the venue
// provably never got it) is the POST re-sent, under the SAME identifier and at most once: if the
// first attempt did land after all, Upbit refuses the repeat as `duplicated_identifier`, so a second
// order can never appear. An order is never re-sent under a new identifier; a replacement is a new
// intent decided by the caller. When lookups fail (network, block) the result is `ambiguous` and the
// caller keeps the intent UNKNOWN and reconciles it by identifier later.
import type { UpbitOrder } from '../../shared/upbit/types.ts'
import { fail, ok, type UpbitError, type UpbitResult } from './result.ts'

export type ResolvedBy = 'response' | 'lookup' | 'resubmit'

export interface PlacedOrder {
  readonly order: UpbitOrder
  /** How the order became known: the POST's own answer, a lookup by identifier, or the single resubmission. */
  readonly resolvedBy: ResolvedBy
}

export interface PlaceOrderDeps {
  /** Sends the POST once (no retries) and parses the order. */
  readonly post: () => Promise<UpbitResult<UpbitOrder>>
  /** GET /v1/order?identifier=… (may itself retry as a read). */
  readonly lookup: () => Promise<UpbitResult<UpbitOrder>>
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  readonly identifier: string
  /** Lookups per resolution (default 3); all must say order_not_found before a resubmission. */
  readonly lookupAttempts?: number
  /** Base delay between lookups (default 500 ms), doubled each time, jittered ×[0.5, 1). */
  readonly lookupDelayMs?: number
}

type Outcome =
  | { kind: 'placed'; order: UpbitOrder }
  | { kind: 'rejected'; error: UpbitError }
  | { kind: 'ambiguous'; error: UpbitError; duplicate: boolean }

function classify(r: UpbitResult<UpbitOrder>): Outcome {
  if (r.ok) return { kind: 'placed', order: r.value }
  const e = r.error
  if (e.kind === 'blocked' && e.status === undefined) return { kind: 'rejected', error: e }
  if (e.kind === 'upbit' && e.name === 'duplicated_identifier') return { kind: 'ambiguous', error: e, duplicate: true }
  if (e.kind === 'upbit' && e.status !== undefined && e.status < 500 && e.status !== 429 && e.status !== 418)
    return { kind: 'rejected', error: e }
  if (e.kind === 'upbit' && e.name === 'no_credentials') return { kind: 'rejected', error: e }
  return { kind: 'ambiguous', error: e, duplicate: false }
}

type Lookup = { kind: 'found'; order: UpbitOrder } | { kind: 'absent' } | { kind: 'unknown'; error: UpbitError }

async function lookUp(d: PlaceOrderDeps): Promise<Lookup> {
  const attempts = d.lookupAttempts ?? 3
  const base = d.lookupDelayMs ?? 500
  let lastError: UpbitError | undefined
  let notFound = 0
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await d.sleep(base * 2 ** (i - 1) * (0.5 + d.random() / 2))
    const r = await d.lookup()
    if (r.ok) return { kind: 'found', order: r.value }
    if (r.error.kind === 'upbit' && r.error.name === 'order_not_found') notFound++
    else lastError = r.error
    // A block will not lift within a few hundred ms: stop asking.
    if (r.error.kind === 'blocked') break
  }
  if (notFound === attempts) return { kind: 'absent' }
  return { kind: 'unknown', error: lastError ?? { kind: 'ambiguous', message: 'lookup inconclusive' } }
}

function ambiguous(d: PlaceOrderDeps, why: string, cause: UpbitError): UpbitResult<PlacedOrder> {
  return fail({
    kind: 'ambiguous',
    message: `order ${d.identifier}: outcome unknown (${why}; ${cause.message}); reconcile by identifier`,
    ...(cause.status !== undefined ? { status: cause.status } : {}),
    ...(cause.retryAtMs !== undefined ? { retryAtMs: cause.retryAtMs } : {}),
  })
}

export async function placeOrderOnce(d: PlaceOrderDeps): Promise<UpbitResult<PlacedOrder>> {
  const first = classify(await d.post())
  if (first.kind === 'placed') return ok({ order: first.order, resolvedBy: 'response' })
  if (first.kind === 'rejected') return fail(first.error)

  const found = await lookUp(d)
  if (found.kind === 'found') return ok({ order: found.order, resolvedBy: 'lookup' })
  if (found.kind === 'unknown') return ambiguous(d, 'lookup by identifier failed', found.error)
  // The venue has no order with this identifier.
  if (first.duplicate) {
    return fail({
      kind: 'upbit',
      status: first.error.status ?? 400,
      name: 'duplicated_identifier',
      message: `order ${d.identifier}: identifier already used and no such order exists: not placed`,
    })
  }

  const second = classify(await d.post())
  if (second.kind === 'placed') return ok({ order: second.order, resolvedBy: 'resubmit' })
  if (second.kind === 'rejected') return fail(second.error)
  const again = await lookUp(d)
  if (again.kind === 'found') return ok({ order: again.order, resolvedBy: 'lookup' })
  if (again.kind === 'absent' && second.duplicate) {
    return fail({
      kind: 'upbit',
      status: second.error.status ?? 400,
      name: 'duplicated_identifier',
      message: `order ${d.identifier}: refused as duplicate and not found: not placed`,
    })
  }
  return ambiguous(
    d,
    again.kind === 'absent' ? 'resubmission unanswered and order not found' : 'lookup after resubmission failed',
    again.kind === 'unknown' ? again.error : second.error,
  )
}
