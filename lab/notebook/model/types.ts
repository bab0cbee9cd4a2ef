// The persisted shape of a notebook: what IndexedDB holds and what an export file carries.
// Runtime state (status, progress, outputs) is not here: outputs are recomputed by running (on
// open, for the cells listed in `restore`). How a cell's output is viewed (a tab, a selected row)
// is kept in `ui`, apart from the params, so looking never makes a result stale.

/** A view setting of a cell's output. */
export type UiValue = string | number | boolean | null

export interface CellDoc<P = unknown> {
  /** Unique within its notebook. */
  readonly id: string
  readonly kind: string
  title: string
  collapsed: boolean
  /** Kind-specific inputs, validated by the kind's schema on import. */
  params: P
  /** Kind-specific view of the output (selected tab, sort, selection); absent when never set. */
  ui?: Readonly<Record<string, UiValue>>
}

export interface NotebookDoc {
  readonly id: string
  title: string
  readonly createdMs: number
  updatedMs: number
  cells: CellDoc[]
  /**
   * Cells whose last run succeeded: they run again, top to bottom, when the notebook opens, so a
   * reload shows their outputs. Kept in this browser only (not exported).
   */
  restore?: string[]
}

export interface NotebookSummary {
  readonly id: string
  readonly title: string
  readonly updatedMs: number
  readonly cellCount: number
}

export const summaryOf = (d: NotebookDoc): NotebookSummary => ({
  id: d.id,
  title: d.title,
  updatedMs: d.updatedMs,
  cellCount: d.cells.length,
})
