// What the exchange routes (exchange-routes.ts, cancel-and-new.ts) are given: its own module so the
// two route files need not import each other.
import type { JwtVerifier } from './auth.ts'
import type { Exchange } from './exchange.ts'
import type { Markets } from './market-data.ts'

export interface ExchangeDeps {
  markets: Markets
  exchange: Exchange
  verifier: JwtVerifier
  nowMs(): number
}
