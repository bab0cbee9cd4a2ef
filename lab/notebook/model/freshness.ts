// When is a cell's output stale? The dependency rule: a cell that consumes a channel (today only
// 'series') reads it from the nearest cell ABOVE that produces it. A run records a stamp: the
// cell's own parameters and, per consumed channel, which provider cell and which output revision
// it read. The output is stale when the parameters differ from the stamp, when the nearest
// provider is now another cell or has a newer revision, or when that provider is itself stale or
// never ran (its output will change when it does).
import { stableJson } from './stable-json.ts'

export type Channel = 'series'

export interface InputStamp {
  readonly cellId: string
  readonly rev: number
}

export interface RunStamp {
  readonly paramsKey: string
  readonly inputs: Partial<Record<Channel, InputStamp>>
}

export interface FreshnessCell {
  readonly id: string
  readonly params: unknown
  readonly produces?: Channel
  readonly consumes: readonly Channel[]
  /** Outputs derived from the parameters alone as you type (notes): never stale. */
  readonly live: boolean
  /** Revision of its current output (0 = none yet). */
  readonly rev: number
  /** Stamp of the run that made the current output; null when it never ran. */
  readonly stamp: RunStamp | null
}

export type Freshness = { readonly state: 'never' } | { readonly state: 'fresh' } | { readonly state: 'stale'; readonly reason: string }

export const paramsKeyOf = (params: unknown): string => stableJson(params)

/** The provider each cell would read now, per channel (nearest producer above). */
export function currentInputs(cells: readonly FreshnessCell[], index: number): Partial<Record<Channel, InputStamp>> {
  const cell = cells[index]
  const out: Partial<Record<Channel, InputStamp>> = {}
  if (cell === undefined) return out
  for (const ch of cell.consumes) {
    for (let i = index - 1; i >= 0; i--) {
      const c = cells[i]!
      if (c.produces === ch) {
        out[ch] = { cellId: c.id, rev: c.rev }
        break
      }
    }
  }
  return out
}

export function freshnessOf(cells: readonly FreshnessCell[]): Map<string, Freshness> {
  const result = new Map<string, Freshness>()
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!
    if (c.live) {
      result.set(c.id, { state: 'fresh' })
      continue
    }
    if (c.stamp === null) {
      result.set(c.id, { state: 'never' })
      continue
    }
    let f: Freshness = { state: 'fresh' }
    if (c.stamp.paramsKey !== paramsKeyOf(c.params)) f = { state: 'stale', reason: 'its inputs changed since it ran' }
    else {
      const now = currentInputs(cells, i)
      for (const ch of c.consumes) {
        const was = c.stamp.inputs[ch]
        const is = now[ch]
        if (is === undefined) {
          if (was !== undefined) f = { state: 'stale', reason: 'the cell it read from is gone' }
        } else if (was === undefined || was.cellId !== is.cellId || was.rev !== is.rev) {
          f = { state: 'stale', reason: 'the data above changed' }
        } else if (result.get(is.cellId)?.state !== 'fresh') {
          f = { state: 'stale', reason: 'the data above is stale' }
        }
        if (f.state === 'stale') break
      }
    }
    result.set(c.id, f)
  }
  return result
}
