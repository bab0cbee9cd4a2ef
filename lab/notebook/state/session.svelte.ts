// One open notebook: its document (persisted by the owner through onChange), the runtime state of
// each cell, which cell is selected, and the operations of the notebook UI. Freshness is derived
// from the cells' parameters and run stamps (model/freshness.ts).
import { insertCell, moveCell, duplicateCell, removeCell, updateCell } from '../model/cells.ts'
import { currentInputs, freshnessOf, paramsKeyOf, type Freshness, type FreshnessCell } from '../model/freshness.ts'
import { newId } from '../model/ids.ts'
import type { CellDoc, NotebookDoc, UiValue } from '../model/types.ts'
import { kindOf as registryKindOf } from '../cells/registry.ts'
import type { AnyCellKind, CellAbove, ChannelValues } from '../cells/types.ts'
import type { LabServices } from '../services.ts'
import { CellRun } from './cell-run.svelte.ts'

export interface SessionDeps {
  readonly services: LabServices
  /** Called after every change to the document (the owner saves, debounced). */
  /** `now`: write at once instead of after the typing pause (a run's outcome, not an edit). */
  readonly onChange: (now?: boolean) => void
  readonly kindOf?: (kind: string) => AnyCellKind | undefined
  readonly now?: () => number
}

export class NotebookSession {
  doc = $state<NotebookDoc>() as NotebookDoc
  selectedId = $state<string | null>(null)
  // Deliberately not a SvelteMap: runOf() may add an entry while the freshness $derived reads it
  // (a state write inside a derived is refused); each CellRun's own fields are the reactive part.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly runs = new Map<string, CellRun>()
  readonly kindOf: (kind: string) => AnyCellKind | undefined
  private readonly deps: SessionDeps
  private disposed = false

  constructor(doc: NotebookDoc, deps: SessionDeps) {
    this.doc = doc
    this.deps = deps
    this.kindOf = deps.kindOf ?? registryKindOf
    for (const c of doc.cells) this.runs.set(c.id, new CellRun())
    this.selectedId = doc.cells[0]?.id ?? null
  }

  get services(): LabServices {
    return this.deps.services
  }

  runOf(id: string): CellRun {
    let r = this.runs.get(id)
    if (r === undefined) {
      r = new CellRun()
      this.runs.set(id, r)
    }
    return r
  }

  private freshnessCells(): FreshnessCell[] {
    return this.doc.cells.map((c) => {
      const def = this.kindOf(c.kind)?.def
      const run = this.runOf(c.id)
      return {
        id: c.id,
        params: c.params,
        produces: def?.produces,
        consumes: def?.consumes ?? [],
        live: def?.live ?? true,
        rev: run.rev,
        stamp: run.stamp,
      }
    })
  }

  readonly freshness: Map<string, Freshness> = $derived(freshnessOf(this.freshnessCells()))

  /** `touch`: an edit (moves the notebook up the list); view settings and run marks are not. */
  private changed(touch = true, now = false): void {
    if (touch) this.doc.updatedMs = (this.deps.now ?? Date.now)()
    this.deps.onChange(now)
  }

  setTitle(title: string): void {
    this.doc.title = title
    this.changed()
  }

  /** Adds a cell of `kind` at `index` (default: below the selected cell, else at the end). */
  addCell(kind: string, index?: number): CellDoc | null {
    const k = this.kindOf(kind)
    if (k === undefined) return null
    const cell: CellDoc = { id: newId(), kind, title: '', collapsed: false, params: k.def.defaultParams() }
    const sel = this.selectedId === null ? -1 : this.indexOf(this.selectedId)
    const at = index ?? (sel >= 0 ? sel + 1 : this.doc.cells.length)
    this.runs.set(cell.id, new CellRun())
    this.doc.cells = insertCell(this.doc.cells, at, cell)
    this.selectedId = cell.id
    this.changed()
    return cell
  }

  indexOf(id: string): number {
    return this.doc.cells.findIndex((c) => c.id === id)
  }

  moveCell(id: string, delta: number): void {
    this.doc.cells = moveCell(this.doc.cells, id, delta)
    this.changed()
  }

  duplicateCell(id: string): void {
    const copyId = newId()
    this.runs.set(copyId, new CellRun())
    this.doc.cells = duplicateCell(this.doc.cells, id, copyId)
    this.selectedId = copyId
    this.changed()
  }

  deleteCell(id: string): void {
    const i = this.indexOf(id)
    this.runs.get(id)?.cancel()
    this.runs.delete(id)
    this.doc.cells = removeCell(this.doc.cells, id)
    if (this.doc.restore?.includes(id)) this.doc.restore = this.doc.restore.filter((x) => x !== id)
    if (this.selectedId === id) this.selectedId = this.doc.cells[Math.min(i, this.doc.cells.length - 1)]?.id ?? null
    this.changed()
  }

  toggleCollapsed(id: string): void {
    const c = this.doc.cells.find((x) => x.id === id)
    if (c === undefined) return
    this.doc.cells = updateCell(this.doc.cells, id, { collapsed: !c.collapsed })
    this.changed()
  }

  setCellTitle(id: string, title: string): void {
    this.doc.cells = updateCell(this.doc.cells, id, { title })
    this.changed()
  }

  setParams(id: string, params: unknown): void {
    this.doc.cells = updateCell(this.doc.cells, id, { params })
    this.changed()
  }

  /** Merges view settings of a cell's output (saved, but not an edit: nothing turns stale). */
  setCellUi(id: string, patch: Readonly<Record<string, UiValue>>): void {
    const c = this.doc.cells.find((x) => x.id === id)
    if (c === undefined) return
    if (Object.entries(patch).every(([k, v]) => c.ui?.[k] === v)) return
    this.doc.cells = updateCell(this.doc.cells, id, { ui: { ...c.ui, ...patch } })
    this.changed(false)
  }

  /** Marks whether a cell re-runs when the notebook opens (saved only when it changes). */
  private markRestore(id: string, on: boolean): void {
    const list = this.doc.restore ?? []
    if (list.includes(id) === on) return
    this.doc.restore = on ? [...list, id] : list.filter((x) => x !== id)
    // Saved at once: a reload right after a run must find the cell marked to run again.
    this.changed(false, true)
  }

  /**
   * Re-runs, top to bottom, the cells whose last run succeeded before the notebook was closed,
   * so a reload finds their outputs again; stops at the first that fails. A cell the user runs
   * meanwhile is left to that run.
   */
  async restore(): Promise<void> {
    // A snapshot of the list as it was on open, not state: a plain Set.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const ids = new Set(this.doc.restore ?? [])
    for (const c of [...this.doc.cells]) {
      if (!ids.has(c.id) || this.indexOf(c.id) < 0) continue
      const r = this.runOf(c.id)
      if (r.status !== 'idle') continue
      // A failure here (edge not up yet) keeps the mark: the next open tries again.
      await this.run(c.id, false)
      if (this.runOf(c.id).status === 'error' || this.disposed) return
    }
  }

  /**
   * Runs one cell with the outputs of the providers above it; resolves when it has finished.
   * `unmarkOnFailure`: a failed or cancelled run takes the cell off the restore list.
   */
  async run(id: string, unmarkOnFailure = true): Promise<void> {
    const i = this.indexOf(id)
    const cell = this.doc.cells[i]
    const kind = cell === undefined ? undefined : this.kindOf(cell.kind)
    if (cell === undefined || kind === undefined) return
    const run = this.runOf(id)
    const stampInputs = currentInputs(this.freshnessCells(), i)
    const inputs: Partial<ChannelValues> = {}
    for (const src of Object.values(stampInputs)) {
      const provider = this.doc.cells.find((c) => c.id === src.cellId)
      const out = this.runOf(src.cellId).output
      const value = provider === undefined || out === undefined ? undefined : this.kindOf(provider.kind)?.def.provide?.(out)
      if (value !== undefined) Object.assign(inputs, value)
    }
    // $state.snapshot: the kind gets plain data, not the document's reactive proxies.
    const params = $state.snapshot(cell.params)
    const stamp = { paramsKey: paramsKeyOf(params), inputs: stampInputs }
    // What a code cell reads of the cells above it (their outputs as they are now).
    const above: CellAbove[] = this.doc.cells.slice(0, i).map((c) => {
      const output = this.runOf(c.id).output
      const def = this.kindOf(c.kind)?.def
      return { id: c.id, kind: c.kind, title: c.title, output, exports: () => (output === undefined ? undefined : def?.exports?.(output)) }
    })
    const signal = run.begin()
    try {
      const output = await kind.def.run({
        cellId: id,
        params,
        inputs,
        signal,
        services: this.deps.services,
        above,
        progress: (p) => {
          if (!signal.aborted) run.progress = p
        },
      })
      run.finish(signal, output, stamp)
    } catch (e) {
      run.fail(signal, e)
    }
    // Only the run that is still current decides (a superseded one leaves the status alone).
    if (run.status === 'done') this.markRestore(id, true)
    else if (unmarkOnFailure && (run.status === 'error' || run.status === 'cancelled')) this.markRestore(id, false)
  }

  /** Shift+Enter: run, then select the next cell. */
  runAndAdvance(id: string): Promise<void> {
    const next = this.doc.cells[this.indexOf(id) + 1]
    if (next !== undefined) this.selectedId = next.id
    return this.run(id)
  }

  /** Runs every cell top to bottom; stops at the first one that fails or is cancelled. */
  async runAll(): Promise<void> {
    for (const c of [...this.doc.cells]) {
      await this.run(c.id)
      const s = this.runs.get(c.id)?.status
      if (s === 'error' || s === 'cancelled') return
    }
  }

  cancel(id: string): void {
    this.runs.get(id)?.cancel()
  }

  /** Cancels every run (closing or switching notebooks). */
  dispose(): void {
    this.disposed = true
    for (const r of this.runs.values()) r.cancel()
  }
}
