// GET /api/markets?venue=: the venue's market list (through its shared client and limiter).
import { Hono } from 'hono'
import * as v from 'valibot'
import { ApiError } from '../server/errors.ts'
import type { Venues } from '../server/venues.ts'
import { readQuery } from './query.ts'
import { pickVenue, VenueParam } from './venue-param.ts'

const MarketsQuery = v.strictObject({ venue: VenueParam })

export function marketRoutes(venues: Venues): Hono {
  return new Hono().get('/', async (c) => {
    const q = readQuery(c, MarketsQuery)
    const r = await pickVenue(venues, q.venue).client.getMarkets()
    if (!r.ok) throw new ApiError(502, 'venue_error', `${q.venue}: ${r.error.kind}: ${r.error.message}`)
    return c.json({
      venue: q.venue,
      markets: r.value.map((m) => ({ market: m.market, koreanName: m.koreanName, englishName: m.englishName })),
    })
  })
}
