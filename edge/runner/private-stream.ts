// The venues' private WebSockets (myOrder) for live runs: one connection per venue, opened when
// its first live run starts. A trade event goes to the run whose identifier prefix it carries
// (`<runId>-…`, the engine's intent ids) and is journaled at once; after every reconnect each live
// run of that venue asks the venue over REST (a gap may have hidden trades: reliability REC-6).
import { parseMyOrder, type MyOrderEvent } from '../../shared/upbit/my-order.ts'
import { connectUpbitWs, type UpbitWsClient } from '../upbit/index.ts'
import type { Logger } from '../server/logger.ts'
import type { VenueId } from '../server/venues.ts'

export interface PrivateStreamTarget {
  onMyOrder(ev: MyOrderEvent): boolean
  sync(): Promise<void>
}

export interface PrivateStreams {
  subscribe(venue: VenueId, runId: string, run: PrivateStreamTarget): void
  unsubscribe(runId: string): void
  /** Connection state per venue (for the run view and tests). */
  state(venue: VenueId): string
  close(): Promise<void>
}

export interface PrivateEndpoint {
  readonly url: string
  readonly accessKey: string
  readonly secretKey: string
}

/** `https://api.upbit.com` → `wss://api.upbit.com/websocket/v1/private` (http → ws for a local venue). */
export function privateWsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/websocket/v1/private`
}

export function createPrivateStreams(endpointOf: (venue: VenueId) => PrivateEndpoint | undefined, logger: Logger): PrivateStreams {
  const conns = new Map<VenueId, UpbitWsClient>()
  const runs = new Map<string, { venue: VenueId; run: PrivateStreamTarget }>()

  const dispatch = (venue: VenueId, msg: Record<string, unknown>): void => {
    if (msg.type !== 'myOrder') return
    const ev = parseMyOrder(msg)
    if (!ev.ok) return logger.warn(`private stream ${venue}: ${ev.error.message}`)
    const runId = ev.value.identifier?.split('-')[0]
    const target = runId !== undefined ? runs.get(runId) : undefined
    if (target !== undefined && target.venue === venue) {
      try {
        target.run.onMyOrder(ev.value)
      } catch (e) {
        logger.error(`private stream ${venue}: run ${runId}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
  }

  const connect = (venue: VenueId): void => {
    if (conns.has(venue)) return
    const ep = endpointOf(venue)
    if (ep === undefined) return
    conns.set(
      venue,
      connectUpbitWs({
        url: ep.url,
        auth: { accessKey: ep.accessKey, secretKey: ep.secretKey },
        subscriptions: [{ type: 'myOrder' }],
        onMessage: (m) => dispatch(venue, m),
        onReconnect: () => {
          for (const [id, r] of runs) {
            if (r.venue === venue)
              r.run
                .sync()
                .catch((e: unknown) =>
                  logger.warn(`private stream ${venue}: sync of run ${id}: ${e instanceof Error ? e.message : String(e)}`),
                )
          }
        },
        onError: (e) => logger.warn(`private stream ${venue}: ${e.message}`),
      }),
    )
  }

  return {
    subscribe(venue, runId, run) {
      runs.set(runId, { venue, run })
      connect(venue)
    },
    unsubscribe(runId) {
      runs.delete(runId)
    },
    state: (venue) => conns.get(venue)?.state() ?? 'none',
    async close() {
      await Promise.all([...conns.values()].map((c) => c.close()))
      conns.clear()
    },
  }
}
