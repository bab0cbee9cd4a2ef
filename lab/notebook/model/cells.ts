// Pure operations on a notebook's cell list. Each returns a new array (the session assigns it), so
// they are trivial to test and an edit is one assignment for the rune state.
import type { CellDoc } from './types.ts'

const indexOf = (cells: readonly CellDoc[], id: string): number => cells.findIndex((c) => c.id === id)

/** Inserts at `index` (clamped to 0..length). */
export function insertCell(cells: readonly CellDoc[], index: number, cell: CellDoc): CellDoc[] {
  const at = Math.max(0, Math.min(cells.length, index))
  return [...cells.slice(0, at), cell, ...cells.slice(at)]
}

/** Moves a cell by `delta` places (−1 up, +1 down); at an edge nothing changes. */
export function moveCell(cells: readonly CellDoc[], id: string, delta: number): CellDoc[] {
  const i = indexOf(cells, id)
  const j = i + delta
  if (i < 0 || j < 0 || j >= cells.length) return [...cells]
  const out = [...cells]
  const [cell] = out.splice(i, 1)
  out.splice(j, 0, cell!)
  return out
}

/**
 * A deep copy (new id, params cloned) placed right below the original. Params are JSON by
 * contract (they go into export files), and a JSON copy also works on reactive proxies, which
 * structuredClone refuses.
 */
export function duplicateCell(cells: readonly CellDoc[], id: string, newId: string): CellDoc[] {
  const i = indexOf(cells, id)
  if (i < 0) return [...cells]
  const src = cells[i]!
  const copy: CellDoc = {
    id: newId,
    kind: src.kind,
    title: src.title,
    collapsed: src.collapsed,
    params: JSON.parse(JSON.stringify(src.params)) as unknown,
    ...(src.ui === undefined ? {} : { ui: { ...src.ui } }),
  }
  return insertCell(cells, i + 1, copy)
}

export function removeCell(cells: readonly CellDoc[], id: string): CellDoc[] {
  return cells.filter((c) => c.id !== id)
}

export function updateCell(cells: readonly CellDoc[], id: string, patch: Partial<Omit<CellDoc, 'id' | 'kind'>>): CellDoc[] {
  return cells.map((c) => (c.id === id ? { ...c, ...patch } : c))
}
