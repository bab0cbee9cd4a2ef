// Edge's run and promotion routes as the live cell uses them (README "Edge API": Promotions, Runs).
// The shapes are edge's HTTP contract, written out here because the lab never imports edge/.
// Behind one interface so the cell's state classes can be tested with a fake edge.
import { edgeJson } from '../../../api/client.ts'
import type { ExecConfig } from '../../../../shared/engine/index.ts'

export type RunMode = 'paper' | 'live'
export type RunStatus = 'starting' | 'running' | 'halted' | 'stopped'

export interface PromotionConfig {
  readonly strategy: { readonly id: string; readonly version: number; readonly sourceHash?: string }
  readonly params: Readonly<Record<string, number>>
  readonly market: string
  readonly timeframe: string
  readonly exec: ExecConfig
  readonly risk: { readonly maxPositionQuote: number; readonly dailyLossLimitRate: number; readonly maxDrawdownRate: number }
  readonly backtest: {
    readonly range: { readonly source: string; readonly fromMs: number; readonly toMs: number; readonly bars: number }
    readonly metrics: Readonly<Record<string, number | null>>
  }
}

export interface Promotion {
  readonly id: number
  readonly version: number
  readonly strategy: { readonly id: string; readonly version: number }
  readonly market: string
  readonly timeframe: string
  readonly hash: string
  readonly createdAtMs: number
  readonly retired: boolean
  readonly config: PromotionConfig
}

export interface RunView {
  readonly id: string
  readonly promotionId: number
  readonly venue: string
  readonly mode: RunMode
  readonly market: string
  readonly status: RunStatus
  readonly haltReason: string | null
  readonly startBarMs: number | null
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly timeframe: string
  readonly position: {
    readonly qtyBase: number
    readonly entryPrice: number
    readonly entryBarTimeMs: number | null
    readonly cashQuote: number
  } | null
  readonly pendingOrder: {
    readonly id: string
    readonly side: 'buy' | 'sell'
    readonly type: 'market' | 'limit'
    readonly price: number | null
    readonly placedBarTimeMs: number
  } | null
  readonly equity: number | null
  readonly lastDecision: { readonly barTimeMs: number; readonly signal: number; readonly intents: readonly string[] } | null
  readonly lastError: string | null
  readonly openOrders: readonly string[]
  readonly lastCancel: { readonly cancelled: number; readonly stillOpen: readonly string[] } | null
}

export interface ActivityOrder {
  readonly id: string
  readonly kind: 'place' | 'cancel'
  readonly state: string
  readonly barTimeMs: number
  readonly bookedBarMs: number | null
  readonly venueUuid: string | null
  readonly intent: {
    readonly side?: 'buy' | 'sell'
    readonly type?: 'market' | 'limit'
    readonly price?: number | null
    readonly qtyBase?: number | null
    readonly quoteAmount?: number | null
  } | null
}

export interface ActivityFill {
  readonly tradeUuid: string
  readonly orderId: string
  readonly side: 'buy' | 'sell'
  readonly price: number
  readonly volume: number
  readonly feeQuote: number
  readonly timeMs: number
  readonly source: string
}

export interface RunActivity {
  readonly runId: string
  readonly promotionId: number
  readonly mode: RunMode
  readonly timeframe: string
  readonly startBarMs: number | null
  readonly orders: readonly ActivityOrder[]
  readonly fills: readonly ActivityFill[]
  readonly equity: readonly {
    readonly timeMs: number
    readonly equityQuote: number
    readonly cashQuote: number
    readonly positionBase: number
  }[]
}

export interface StartRunBody {
  readonly promotionId: number
  readonly venue: string
  readonly mode: RunMode
  readonly confirm?: string
}

export interface LiveApi {
  promotions(): Promise<Promotion[]>
  promotion(id: number): Promise<Promotion>
  venues(): Promise<{ id: string; keys: boolean }[]>
  startRun(body: StartRunBody): Promise<RunView>
  run(id: string): Promise<RunView>
  activity(id: string): Promise<RunActivity>
  stop(id: string): Promise<RunView>
  kill(id: string): Promise<RunView>
  killAll(): Promise<RunView[]>
  /** A user-strategy promotion's source, exactly as edge stores and runs it. */
  promotionSource(id: number): Promise<PromotionSource>
}

export interface PromotionSource {
  readonly hash: string
  readonly strategyId: string
  readonly version: number
  readonly source: string
}

const post = <T>(path: string, body: unknown): Promise<T> => edgeJson<T>(path, { method: 'POST', body: JSON.stringify(body) })
const runPath = (id: string): string => `/api/runs/${encodeURIComponent(id)}`

export const edgeLiveApi: LiveApi = {
  promotions: async () => (await edgeJson<{ promotions: Promotion[] }>('/api/promotions')).promotions,
  promotion: (id) => edgeJson<Promotion>(`/api/promotions/${id}`),
  venues: async () => (await edgeJson<{ venues: { id: string; keys: boolean }[] }>('/api/venues')).venues,
  startRun: (body) => post<RunView>('/api/runs', body),
  run: (id) => edgeJson<RunView>(runPath(id)),
  activity: (id) => edgeJson<RunActivity>(`${runPath(id)}/activity`),
  stop: (id) => post<RunView>(`${runPath(id)}/stop`, {}),
  kill: (id) => post<RunView>(`${runPath(id)}/kill`, {}),
  killAll: async () => (await post<{ runs: RunView[] }>('/api/kill', {})).runs,
  promotionSource: (id) => edgeJson<PromotionSource>(`/api/promotions/${id}/source`),
}
