// Edge's promotions API (README "Promotions") as the lab calls it: list, promote, diff.
import { EdgeApiError, edgeFetch, edgeJson } from '../api/client.ts'
import type { ChecklistItem } from './checklist.ts'
import type { PromotionBody, RiskLimits } from './body.ts'

/** A promotion as edge returns it. */
export interface Promotion {
  readonly id: number
  /** Number within the lineage (strategy id, market). */
  readonly version: number
  readonly strategy: { readonly id: string; readonly version: number }
  readonly market: string
  readonly timeframe: string
  /** SHA-256 of the config's canonical JSON. */
  readonly hash: string
  readonly createdAtMs: number
  readonly retired: boolean
  readonly retiredAtMs: number | null
  readonly config: {
    readonly strategy: {
      readonly id: string
      readonly version: number
      readonly sourceHash?: string
      readonly audits?: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail: string }>
      readonly lookaheadOverride?: { readonly reason: string }
    }
    readonly params: Readonly<Record<string, number>>
    readonly risk: RiskLimits
    readonly backtest: PromotionBody['backtest']
    readonly checklist?: { readonly items: readonly ChecklistItem[]; readonly confirmation: string | null }
    readonly [k: string]: unknown
  }
}

export interface ConfigChange {
  readonly path: string
  readonly before?: unknown
  readonly after?: unknown
}

export interface PromotionDiff {
  readonly from: number
  readonly to: number
  readonly changes: readonly ConfigChange[]
}

export interface PromotionsApi {
  list(): Promise<Promotion[]>
  /** Resolves with the promotion and whether it is new (201) or the same content already stored (200). */
  promote(body: PromotionBody): Promise<{ promotion: Promotion; created: boolean }>
  diff(from: number, to: number): Promise<PromotionDiff>
}

export const edgePromotions: PromotionsApi = {
  list: async () => (await edgeJson<{ promotions: Promotion[] }>('/api/promotions')).promotions,
  promote: async (body) => {
    const res = await edgeFetch('/api/promotions', { method: 'POST', body: JSON.stringify(body) })
    return { promotion: (await res.json()) as Promotion, created: res.status === 201 }
  },
  diff: (from, to) => edgeJson<PromotionDiff>(`/api/promotions/${from}/diff/${to}`),
}

/** An API failure in words for the dialog. */
export function apiErrorText(e: unknown): string {
  if (e instanceof EdgeApiError) {
    if (e.status === 401) return 'Edge refused the token: open the lab from the link `npm start` prints.'
    return `Edge refused it: ${e.message}`
  }
  if (e instanceof TypeError) return 'Edge cannot be reached: is `npm start` running?'
  return e instanceof Error ? e.message : String(e)
}

/** The promotion just before `p` in its lineage (same strategy and market), if any. */
export function previousInLineage(p: Promotion, all: readonly Promotion[]): Promotion | undefined {
  return all.find((x) => x.strategy.id === p.strategy.id && x.market === p.market && x.version === p.version - 1)
}

let api: PromotionsApi = edgePromotions

/** The lab's promotions API (tests swap it). */
export const promotionsApi = (): PromotionsApi => api
export function setPromotionsApi(a: PromotionsApi | null): void {
  api = a ?? edgePromotions
}
