// The persisted shape of a notebook: what IndexedDB holds and what an export file carries.
// Runtime state (status, progress, outputs) is not here: outputs are recomputed by running.

export interface CellDoc<P = unknown> {
  /** Unique within its notebook. */
  readonly id: string
  readonly kind: string
  title: string
  collapsed: boolean
  /** Kind-specific inputs, validated by the kind's schema on import. */
  params: P
}

export interface NotebookDoc {
  readonly id: string
  title: string
  readonly createdMs: number
  updatedMs: number
  cells: CellDoc[]
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
