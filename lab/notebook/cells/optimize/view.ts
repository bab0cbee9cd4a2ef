// The optimize cell's view settings (kept in the cell's `ui`, across reloads, never making a
// result stale): the open tab, the table's sort and length, the selected combo, the heatmap's axes.
import type { UiValue } from '../../model/types.ts'
import type { SortKey } from './table.ts'

export const TABS = ['top', 'heatmap', 'oos', 'robust'] as const
export type Tab = (typeof TABS)[number]
export const TOP_SIZES = [20, 50, 100, 500] as const

export interface OptimizeView {
  readonly tab: Tab
  readonly sortKey: SortKey
  readonly sortDir: 'asc' | 'desc'
  readonly topN: number
  /** The selected combo (index in the grid), or null. */
  readonly selected: number | null
  /** The sweep the selection belongs to (a selection never carries over to another sweep). */
  readonly selSweep: string
  /** Heatmap dimensions (indices into the plan's dims). */
  readonly hx: number
  readonly hy: number
}

const SORT = /^(rank|combo|dim:\d+|m:[a-zA-Z]+|oos:(totalReturn|sharpe))$/

export function readView(ui: Readonly<Record<string, UiValue>> | undefined): OptimizeView {
  const u = ui ?? {}
  const tab = TABS.includes(u.tab as Tab) ? (u.tab as Tab) : 'top'
  const sortKey = typeof u.sortKey === 'string' && SORT.test(u.sortKey) ? (u.sortKey as SortKey) : 'rank'
  const n = (k: string, d: number): number =>
    typeof u[k] === 'number' && Number.isInteger(u[k]) && (u[k] as number) >= 0 ? (u[k] as number) : d
  return {
    tab,
    sortKey,
    sortDir: u.sortDir === 'desc' ? 'desc' : 'asc',
    topN: (TOP_SIZES as readonly number[]).includes(u.topN as number) ? (u.topN as number) : 50,
    selected: typeof u.selected === 'number' && Number.isInteger(u.selected) && u.selected >= 0 ? u.selected : null,
    selSweep: typeof u.selSweep === 'string' ? u.selSweep : '',
    hx: n('hx', 0),
    hy: n('hy', 1),
  }
}
