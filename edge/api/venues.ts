// GET /api/venues: which venues this edge serves and whether it holds keys for them (the keys
// themselves never leave edge).
import { Hono } from 'hono'
import type { Venues } from '../server/venues.ts'

export function venueRoutes(venues: Venues): Hono {
  return new Hono().get('/', (c) => c.json({ venues: [...venues.values()].map((v) => ({ id: v.id, keys: v.hasKeys })) }))
}
