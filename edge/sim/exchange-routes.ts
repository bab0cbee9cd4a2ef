// Exchange REST (JWT-authenticated): accounts, chance, create/test order, get/list/cancel orders
// (cancel-and-new lives in cancel-and-new.ts).
import type { Context, Hono } from 'hono'
import { canonicalFromBody, canonicalFromRawQuery } from './auth.ts'
import type { AuthenticatedToken } from './auth.ts'
import { parseBodyObject, readBoundedText } from './body.ts'
import { exchangeError } from './errors.ts'
import type { ExchangeDeps } from './exchange-deps.ts'
import { parseOrderTime } from './format.ts'
import { registerCancelAndNew } from './cancel-and-new.ts'
import { accountsJson, chanceJson, orderJson } from './order-json.ts'
import { intakeOrder } from './order-intake.ts'
import { all, decodePairs, first, rawQuery } from './request.ts'
import type { Pairs } from './request.ts'
import type { SimOrder } from './types.ts'

export type { ExchangeDeps } from './exchange-deps.ts'

const WEEK_MS = 7 * 86_400_000

/** Checks an authenticated token's hash against the query string and returns the decoded pairs. */
async function queryOf(c: Context, d: ExchangeDeps, token: AuthenticatedToken): Promise<Pairs> {
  const raw = rawQuery(c.req.url)
  await d.verifier.complete(token, canonicalFromRawQuery(raw))
  return decodePairs(raw)
}

/** Verifies the JWT (token first, then the query hash) and returns the decoded pairs. */
async function authQuery(c: Context, d: ExchangeDeps): Promise<Pairs> {
  return queryOf(c, d, await d.verifier.authenticate(c.req.header('authorization')))
}

/**
 * Order params from a JSON body (canonical = body order) or, with an empty body, the query. The
 * token is authenticated before the body is read, and the body is bounded (body.ts).
 */
export async function authOrderParams(c: Context, d: ExchangeDeps): Promise<Record<string, unknown>> {
  const token = await d.verifier.authenticate(c.req.header('authorization'))
  const text = await readBoundedText(c.req.raw)
  if (text.trim() === '') return Object.fromEntries(await queryOf(c, d, token))
  const params = parseBodyObject(text)
  await d.verifier.complete(token, canonicalFromBody(params))
  return params
}

function lookup(d: ExchangeDeps, pairs: Pairs): SimOrder {
  const uuid = first(pairs, 'uuid') ?? null
  const identifier = first(pairs, 'identifier') ?? null
  if (uuid === null && identifier === null) throw exchangeError(400, 'validation_error', 'uuid or identifier is missing')
  const o = d.exchange.find(uuid, identifier)
  if (!o) throw exchangeError(404, 'order_not_found')
  return o
}

function statesFilter(pairs: Pairs, allowed: readonly string[], fallback: readonly string[]): string[] {
  const one = first(pairs, 'state')
  const many = all(pairs, 'states[]')
  if (one !== undefined && many.length > 0) throw exchangeError(400, 'invalid_parameter', 'state와 states[]는 함께 사용할 수 없습니다.')
  const states = one !== undefined ? [one] : many.length > 0 ? many : [...fallback]
  if (states.some((s) => !allowed.includes(s))) throw exchangeError(400, 'invalid_parameter', 'state does not have a valid value')
  return states
}

function intParam(pairs: Pairs, key: string, fallback: number, max: number): number {
  const t = first(pairs, key)
  if (t === undefined || t === '') return fallback
  const n = Number(t)
  if (!Number.isInteger(n) || n < 1 || n > max) throw exchangeError(400, 'invalid_parameter', `${key} does not have a valid value`)
  return n
}

/** One of `allowed`, or `fallback` when absent/empty; anything else is a 400 (not silently ignored). */
function choice<T extends string>(pairs: Pairs, key: string, allowed: readonly T[], fallback: T): T {
  const v = first(pairs, key)
  if (v === undefined || v === '') return fallback
  if (!(allowed as readonly string[]).includes(v)) throw exchangeError(400, 'invalid_parameter', `${key} does not have a valid value`)
  return v as T
}

/** A comma list of at most `max` items (Upbit's `pairs`, `excluded_pairs`, `quote_currencies`). */
function commaList(pairs: Pairs, key: string, max: number): string[] {
  const list = (first(pairs, key) ?? '').split(',').filter((x) => x !== '')
  if (list.length > max) throw exchangeError(400, 'invalid_parameter', `${key}: at most ${max} values`)
  return list
}

function sorted(list: SimOrder[], pairs: Pairs): SimOrder[] {
  const asc = choice(pairs, 'order_by', ['asc', 'desc'], 'desc') === 'asc'
  return [...list].sort((a, b) => (asc ? a.createdMs - b.createdMs : b.createdMs - a.createdMs))
}

export function registerExchangeRoutes(app: Hono, d: ExchangeDeps): void {
  const ex = d.exchange
  const marketFilter = (pairs: Pairs) => {
    const m = first(pairs, 'market')
    return (o: SimOrder) => m === undefined || m === '' || o.market === m
  }

  app.get('/v1/accounts', async (c) => {
    await authQuery(c, d)
    return c.json(accountsJson(ex.ledger))
  })

  app.get('/v1/orders/chance', async (c) => {
    const pairs = await authQuery(c, d)
    const market = first(pairs, 'market') ?? ''
    if (!d.markets.get(market)) throw exchangeError(400, 'notfoundmarket', `다음 마켓에 없는 종목입니다: ${market}`)
    return c.json(chanceJson(market, ex.ledger))
  })

  const knownMarkets = new Set(d.markets.codes())

  app.post('/v1/orders', async (c) => {
    const params = await authOrderParams(c, d)
    const { req } = intakeOrder(ex, knownMarkets, params, d.nowMs(), { claimIdentifier: true })
    return c.json(orderJson(ex.place(req, d.nowMs()), false), 201)
  })

  // The same checks as a real order (identifier included, left unclaimed); nothing is stored.
  app.post('/v1/orders/test', async (c) => {
    const params = await authOrderParams(c, d)
    const { req, placement } = intakeOrder(ex, knownMarkets, params, d.nowMs(), { claimIdentifier: false })
    const preview: SimOrder = {
      uuid: crypto.randomUUID(),
      identifier: req.identifier,
      market: req.market,
      side: req.side,
      ordType: req.ordType,
      price: req.price,
      volume: req.volume,
      timeInForce: req.timeInForce,
      state: 'wait',
      createdMs: d.nowMs(),
      executedVolume: 0,
      executedFunds: 0,
      paidFee: 0,
      reservedFee: placement.reservedFee,
      locked: placement.lockAmt,
      trades: [],
    }
    return c.json(orderJson(preview, false), 201)
  })

  registerCancelAndNew(app, d, authOrderParams)

  app.get('/v1/order', async (c) => c.json(orderJson(lookup(d, await authQuery(c, d)), true)))

  app.delete('/v1/order', async (c) => {
    const o = lookup(d, await authQuery(c, d))
    const before = orderJson(o, false)
    ex.cancel(o, d.nowMs())
    // Upbit accepts the cancel asynchronously: the answer still shows the previous state.
    return c.json(before)
  })

  app.get('/v1/orders/open', async (c) => {
    const pairs = await authQuery(c, d)
    const states = statesFilter(pairs, ['wait', 'watch'], ['wait', 'watch'])
    const limit = intParam(pairs, 'limit', 100, 100)
    const page = intParam(pairs, 'page', 1, 1_000_000)
    const list = sorted(
      ex.list().filter((o) => states.includes(o.state) && marketFilter(pairs)(o)),
      pairs,
    )
    return c.json(list.slice((page - 1) * limit, page * limit).map((o) => orderJson(o, false)))
  })

  app.get('/v1/orders/closed', async (c) => {
    const pairs = await authQuery(c, d)
    const states = statesFilter(pairs, ['done', 'cancel'], ['done', 'cancel'])
    const limit = intParam(pairs, 'limit', 100, 1000)
    const st = first(pairs, 'start_time')
    const et = first(pairs, 'end_time')
    const startMs = st ? parseOrderTime(st) : Number.NaN
    const endMs = et ? parseOrderTime(et) : Number.NaN
    if ((st && Number.isNaN(startMs)) || (et && Number.isNaN(endMs))) throw exchangeError(400, 'invalid_parameter', 'start_time/end_time')
    const to = et ? endMs : st ? startMs + WEEK_MS : d.nowMs()
    const from = st ? startMs : to - WEEK_MS
    if (to - from > WEEK_MS || to < from) throw exchangeError(400, 'invalid_parameter', '조회 기간은 최대 7일입니다.')
    const list = ex.list().filter((o) => states.includes(o.state) && marketFilter(pairs)(o) && o.createdMs >= from && o.createdMs <= to)
    return c.json(
      sorted(list, pairs)
        .slice(0, limit)
        .map((o) => orderJson(o, false)),
    )
  })

  /** Orders named by `uuids[]` or `identifiers[]` (at most `max` of them, as Upbit documents). */
  const byIds = (pairs: Pairs, max: number): SimOrder[] => {
    const uuids = all(pairs, 'uuids[]')
    const ids = all(pairs, 'identifiers[]')
    if (uuids.length > 0 && ids.length > 0)
      throw exchangeError(400, 'invalid_parameter', 'uuids[]와 identifiers[]는 함께 사용할 수 없습니다.')
    if (uuids.length > max || ids.length > max)
      throw exchangeError(400, 'invalid_parameter', `uuids[]/identifiers[]: at most ${max} values`)
    return uuids.length > 0 ? uuids.flatMap((u) => ex.find(u, null) ?? []) : ids.flatMap((i) => ex.find(null, i) ?? [])
  }

  app.get('/v1/orders/uuids', async (c) => {
    const pairs = await authQuery(c, d)
    return c.json(sorted(byIds(pairs, 100).filter(marketFilter(pairs)), pairs).map((o) => orderJson(o, false)))
  })

  // Deprecated all-in-one list (still used by older clients such as pyupbit's get_order).
  app.get('/v1/orders', async (c) => {
    const pairs = await authQuery(c, d)
    const states = statesFilter(pairs, ['wait', 'watch', 'done', 'cancel'], ['wait'])
    const limit = intParam(pairs, 'limit', 100, 100)
    const page = intParam(pairs, 'page', 1, 1_000_000)
    const ids = all(pairs, 'uuids[]').length + all(pairs, 'identifiers[]').length > 0 ? byIds(pairs, 100) : ex.list()
    const list = sorted(
      ids.filter((o) => states.includes(o.state) && marketFilter(pairs)(o)),
      pairs,
    )
    return c.json(list.slice((page - 1) * limit, page * limit).map((o) => orderJson(o, false)))
  })

  const cancelMany = (list: SimOrder[]) => {
    const ok: Record<string, unknown>[] = []
    const failed: Record<string, unknown>[] = []
    for (const o of list) {
      const row = { uuid: o.uuid, market: o.market, ...(o.identifier !== null ? { identifier: o.identifier } : {}) }
      if (o.state === 'wait' || o.state === 'watch') {
        ex.cancel(o, d.nowMs())
        ok.push(row)
      } else failed.push(row)
    }
    return { success: { count: ok.length, orders: ok }, failed: { count: failed.length, orders: failed } }
  }

  app.delete('/v1/orders/uuids', async (c) => c.json(cancelMany(byIds(await authQuery(c, d), 20))))

  app.delete('/v1/orders/open', async (c) => {
    const pairs = await authQuery(c, d)
    const side = choice(pairs, 'cancel_side', ['all', 'ask', 'bid'], 'all')
    const only = commaList(pairs, 'pairs', 20)
    const excluded = commaList(pairs, 'excluded_pairs', 20)
    const quotes = commaList(pairs, 'quote_currencies', 20)
    const count = intParam(pairs, 'count', 20, 300)
    const list = sorted(
      ex
        .list()
        .filter(
          (o) =>
            (o.state === 'wait' || o.state === 'watch') &&
            (side === 'all' || o.side === side) &&
            (only.length === 0 || only.includes(o.market)) &&
            !excluded.includes(o.market) &&
            (quotes.length === 0 || quotes.includes(o.market.split('-')[0]!)),
        ),
      pairs,
    ).slice(0, count)
    return c.json(cancelMany(list))
  })
}
