// Quotation REST (no auth): market/all, candles (seconds/minutes/days/weeks/months/years), ticker, orderbook,
// trades/ticks. Errors use numeric names like Upbit's quotation API.
import type { Hono } from 'hono'
import { CODE_NOT_FOUND, INVALID_PARAM, MISSING_PARAM, quotationError } from './errors.ts'
import { parseUpbitTime } from './format.ts'
import { bucketStart, DAY_MS } from './market-data.ts'
import type { CandleKind, Markets } from './market-data.ts'
import { all, decodePairs, first, rawQuery } from './request.ts'

export const MINUTE_UNITS = [1, 3, 5, 10, 15, 30, 60, 240] as const

export interface QuotationDeps {
  markets: Markets
  nowMs(): number
}

function parseCount(text: string | undefined, max: number, fallback: number): number {
  if (text === undefined || text === '') return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw quotationError(400, INVALID_PARAM)
  return Math.min(n, max)
}

export function registerQuotationRoutes(app: Hono, d: QuotationDeps): void {
  const pairsOf = (url: string): Array<[string, string]> => decodePairs(rawQuery(url))

  app.get('/v1/market/all', (c) => {
    const q = pairsOf(c.req.url)
    const details = first(q, 'is_details', 'isDetails') === 'true'
    const caution = {
      PRICE_FLUCTUATIONS: false,
      TRADING_VOLUME_SOARING: false,
      DEPOSIT_AMOUNT_SOARING: false,
      GLOBAL_PRICE_DIFFERENCES: false,
      CONCENTRATION_OF_SMALL_ACCOUNTS: false,
    }
    return c.json(
      d.markets.specs().map((s) => ({
        market: s.market,
        korean_name: s.koreanName,
        english_name: s.englishName,
        ...(details ? { market_event: { warning: false, caution } } : {}),
      })),
    )
  })

  const candles = (kind: CandleKind, url: string): Record<string, unknown>[] => {
    const q = pairsOf(url)
    const market = first(q, 'market')
    if (!market) throw quotationError(400, MISSING_PARAM)
    if (!d.markets.get(market)) throw quotationError(404, CODE_NOT_FOUND)
    const toText = first(q, 'to')
    let toMs: number | null = null
    if (toText !== undefined && toText !== '') {
      toMs = parseUpbitTime(toText)
      if (Number.isNaN(toMs)) throw quotationError(400, INVALID_PARAM)
    }
    return d.markets.candles(market, kind, toMs, parseCount(first(q, 'count'), 200, 1), d.nowMs())
  }

  app.get('/v1/candles/seconds', (c) => c.json(candles({ kind: 'seconds' }, c.req.url)))
  app.get('/v1/candles/minutes/:unit', (c) => {
    const unit = Number(c.req.param('unit'))
    if (!(MINUTE_UNITS as readonly number[]).includes(unit)) throw quotationError(400, 'specified unit is not valid.')
    return c.json(candles({ kind: 'minutes', unit }, c.req.url))
  })
  app.get('/v1/candles/days', (c) => c.json(candles({ kind: 'days' }, c.req.url)))
  app.get('/v1/candles/weeks', (c) => c.json(candles({ kind: 'weeks' }, c.req.url)))
  app.get('/v1/candles/months', (c) => c.json(candles({ kind: 'months' }, c.req.url)))
  app.get('/v1/candles/years', (c) => c.json(candles({ kind: 'years' }, c.req.url)))

  const marketList = (url: string): string[] => {
    // A repeated key (`markets=A&markets=B`, what Python requests makes of a list) reads as
    // 'A,B', as Upbit's servlet binding does.
    const text = all(pairsOf(url), 'markets').join(',')
    if (!text) throw quotationError(400, MISSING_PARAM)
    // De-duplicated: a ticker costs a scan of the market's year, and a 16 KB URL holds ~1,800 codes.
    const list = [
      ...new Set(
        text
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== ''),
      ),
    ]
    if (list.length === 0 || list.some((m) => !d.markets.get(m))) throw quotationError(404, CODE_NOT_FOUND)
    return list
  }

  const tickers = (list: string[]): Record<string, unknown>[] =>
    list.flatMap((m) => {
      const t = d.markets.ticker(m, d.nowMs())
      if (!t) return []
      delete t.ask_bid
      return [t]
    })

  app.get('/v1/ticker', (c) => c.json(tickers(marketList(c.req.url))))
  app.get('/v1/ticker/all', (c) => {
    const quotes = (first(pairsOf(c.req.url), 'quote_currencies') ?? 'KRW').split(',')
    return c.json(tickers(d.markets.codes().filter((m) => quotes.includes(m.split('-')[0]!))))
  })

  app.get('/v1/orderbook', (c) => {
    const list = marketList(c.req.url)
    const q = pairsOf(c.req.url)
    const level = first(q, 'level')
    if (level !== undefined && level !== '' && Number(level) !== 0) return c.json([])
    const countText = first(q, 'count')
    const n = countText === undefined ? 30 : Number(countText)
    const depth = Number.isInteger(n) && n >= 1 && n <= 30 ? n : 30
    return c.json(list.flatMap((m) => d.markets.orderbookJson(m, d.nowMs(), depth) ?? []))
  })

  app.get('/v1/trades/ticks', (c) => {
    const q = pairsOf(c.req.url)
    const market = first(q, 'market')
    if (!market) throw quotationError(400, MISSING_PARAM)
    if (!d.markets.get(market)) throw quotationError(404, CODE_NOT_FOUND)
    const now = d.nowMs()
    const daysAgoText = first(q, 'days_ago')
    const daysAgo = daysAgoText === undefined || daysAgoText === '' ? 0 : Number(daysAgoText)
    if (!Number.isInteger(daysAgo) || daysAgo < 0 || daysAgo > 7) throw quotationError(400, INVALID_PARAM)
    const dayStart = bucketStart(now, { kind: 'days' }) - daysAgo * DAY_MS
    let before = dayStart + DAY_MS
    const to = first(q, 'to')
    if (to !== undefined && to !== '') {
      const m = /^([01]\d|2[0-3]):?([0-5]\d):?([0-5]\d)$/.exec(to)
      if (!m) throw quotationError(400, INVALID_PARAM)
      before = dayStart + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000
    }
    const cursorText = first(q, 'cursor')
    const cursor = cursorText === undefined || cursorText === '' ? null : Number(cursorText)
    if (cursor !== null && !(Number.isSafeInteger(cursor) && cursor >= 0)) throw quotationError(400, INVALID_PARAM)
    return c.json(d.markets.ticks(market, now, dayStart, before, parseCount(first(q, 'count'), 500, 1), cursor))
  })
}
