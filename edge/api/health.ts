// GET /api/health: public and data-free (no token needed), so a monitor or the lab's first paint
// can tell edge is up without holding the token.
import { Hono } from 'hono'

export const EDGE_VERSION = '0.1.0'

export function healthRoutes(): Hono {
  return new Hono().get('/', (c) => c.json({ ok: true, version: EDGE_VERSION }))
}
