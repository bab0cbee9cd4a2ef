// The venues edge talks to. Each has exactly one Upbit client, created here once: every caller
// (candle proxy today, runners later) shares its rate limiter, so edge as a whole stays under the
// venue's limits however many browser tabs download at once.
import { createUpbitClient, type BlockStore, type FetchLike, type UpbitClient } from '../upbit/index.ts'
import { abortableFetch } from './request-signal.ts'

export const VENUE_IDS = ['upbit', 'sim'] as const
export type VenueId = (typeof VENUE_IDS)[number]

export interface Venue {
  readonly id: VenueId
  readonly client: UpbitClient
  /** The venue's clock (the sim's may be accelerated): clips downloads to closed bars. */
  readonly nowMs: () => number
  /** True when edge holds API keys for it (orders possible); quotation works either way. */
  readonly hasKeys: boolean
}

export type Venues = ReadonlyMap<VenueId, Venue>

export interface VenueSpec {
  readonly id: VenueId
  readonly baseUrl: string
  readonly keys?: { readonly accessKey: string; readonly secretKey: string }
  readonly fetch?: FetchLike
  readonly nowMs?: () => number
  readonly blockStore?: BlockStore
}

export function createVenue(spec: VenueSpec): Venue {
  const inner: FetchLike = spec.fetch ?? ((url, init) => fetch(url, init))
  const client = createUpbitClient({
    baseUrl: spec.baseUrl,
    ...(spec.keys ? { accessKey: spec.keys.accessKey, secretKey: spec.keys.secretKey } : {}),
    fetch: abortableFetch(inner),
    ...(spec.blockStore ? { blockStore: spec.blockStore } : {}),
  })
  return { id: spec.id, client, nowMs: spec.nowMs ?? Date.now, hasKeys: spec.keys !== undefined }
}

export function createVenues(specs: readonly VenueSpec[]): Venues {
  return new Map(specs.map((s) => [s.id, createVenue(s)]))
}
