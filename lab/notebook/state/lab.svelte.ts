// The lab's notebooks: the list, the open notebook (a NotebookSession), saving as you type
// (debounced), import and export, and storage trouble in plain words. When IndexedDB cannot be
// opened the lab keeps working in memory and says that nothing will be kept.
import { toStorageError, type StorageError } from '../../candles/index.ts'
import { paramsSchemaOf } from '../cells/registry.ts'
import { blankNotebook, exampleNotebook } from '../model/example.ts'
import { fileName, parseNotebookFile, toNotebookFile } from '../model/file.ts'
import { newId } from '../model/ids.ts'
import { summaryOf, type NotebookDoc, type NotebookSummary } from '../model/types.ts'
import type { LabServices } from '../services.ts'
import { memoryNotebookStore, openNotebookStore, type NotebookStore } from '../store.ts'
import { NotebookSession } from './session.svelte.ts'

export type SaveState = 'saved' | 'pending' | 'saving' | 'error'

export interface LabOptions {
  readonly services: LabServices
  readonly dbName?: string
  readonly saveDelayMs?: number
  readonly now?: () => number
  /** Opens the store (tests inject failures); default IndexedDB. */
  readonly openStore?: (dbName?: string) => Promise<NotebookStore>
}

export class NotebookLab {
  notebooks = $state.raw<NotebookSummary[]>([])
  session = $state.raw<NotebookSession | null>(null)
  saveState = $state<SaveState>('saved')
  storageError = $state.raw<StorageError | null>(null)
  importError = $state<string | null>(null)
  private timer: ReturnType<typeof setTimeout> | null = null
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private store: NotebookStore,
    private readonly opts: LabOptions,
  ) {}

  static async open(opts: LabOptions): Promise<NotebookLab> {
    let store: NotebookStore
    let failure: StorageError | null = null
    try {
      store = await (opts.openStore ?? openNotebookStore)(opts.dbName)
    } catch (e) {
      failure = toStorageError(e)
      store = memoryNotebookStore()
    }
    const lab = new NotebookLab(store, opts)
    lab.storageError = failure
    await lab.start()
    return lab
  }

  private now(): number {
    return (this.opts.now ?? Date.now)()
  }

  private async start(): Promise<void> {
    try {
      const meta = await this.store.getMeta()
      let docs = await this.store.list()
      if (docs.length === 0) {
        const first = meta.seeded ? blankNotebook(this.now()) : exampleNotebook(this.now())
        await this.store.put(first)
        await this.store.setMeta({ ...meta, seeded: true, lastOpenedId: first.id })
        docs = [first]
      }
      this.notebooks = docs.map(summaryOf)
      const open = docs.find((d) => d.id === meta.lastOpenedId) ?? docs[0]!
      this.session = this.makeSession(open)
    } catch (e) {
      this.storageError = toStorageError(e)
      const doc = exampleNotebook(this.now())
      this.notebooks = [summaryOf(doc)]
      this.session = this.makeSession(doc)
    }
  }

  /** A session on `doc`; the cells that had outputs before run again in the background. */
  private makeSession(doc: NotebookDoc): NotebookSession {
    const s = new NotebookSession(doc, {
      services: this.opts.services,
      onChange: (now) => {
        this.scheduleSave()
        if (now === true) void this.flush()
      },
      now: this.opts.now,
    })
    void s.restore()
    return s
  }

  /** Saves after a pause in typing (default 400 ms), not on every keystroke. */
  private scheduleSave(): void {
    this.saveState = 'pending'
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.flush(), this.opts.saveDelayMs ?? 400)
    const s = this.session
    if (s !== null) this.notebooks = this.notebooks.map((n) => (n.id === s.doc.id ? summaryOf(s.doc) : n))
  }

  /** Writes the open notebook now (also on page hide, so nothing typed is lost). */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const s = this.session
    if (s === null || this.saveState === 'saved') return this.saving
    const doc = $state.snapshot(s.doc) as NotebookDoc
    this.saveState = 'saving'
    this.saving = this.saving.then(async () => {
      try {
        await this.store.put(doc)
        if (this.saveState === 'saving') this.saveState = 'saved'
      } catch (e) {
        this.saveState = 'error'
        this.storageError = toStorageError(e)
      }
    })
    return this.saving
  }

  private async refreshList(): Promise<void> {
    this.notebooks = (await this.store.list()).map(summaryOf)
  }

  private async guard(op: () => Promise<void>): Promise<void> {
    try {
      await op()
    } catch (e) {
      this.storageError = toStorageError(e)
    }
  }

  async select(id: string): Promise<void> {
    if (this.session?.doc.id === id) return
    await this.flush()
    await this.guard(async () => {
      const doc = await this.store.get(id)
      if (doc === undefined) return
      this.session?.dispose()
      this.session = this.makeSession(doc)
      await this.store.setMeta({ ...(await this.store.getMeta()), lastOpenedId: id })
    })
  }

  private async addAndOpen(doc: NotebookDoc): Promise<void> {
    await this.flush()
    await this.guard(async () => {
      await this.store.put(doc)
      await this.refreshList()
      await this.select(doc.id)
    })
  }

  create(): Promise<void> {
    return this.addAndOpen(blankNotebook(this.now()))
  }

  async duplicate(id: string): Promise<void> {
    await this.flush()
    const src = await this.store.get(id)
    if (src === undefined) return
    const now = this.now()
    return this.addAndOpen({ ...structuredClone(src), id: newId(), title: `${src.title} (copy)`, createdMs: now, updatedMs: now })
  }

  async rename(id: string, title: string): Promise<void> {
    const t = title.trim() || 'Untitled notebook'
    if (this.session?.doc.id === id) {
      this.session.setTitle(t)
      return this.flush()
    }
    await this.guard(async () => {
      const doc = await this.store.get(id)
      if (doc === undefined) return
      await this.store.put({ ...doc, title: t, updatedMs: this.now() })
      await this.refreshList()
    })
  }

  async remove(id: string): Promise<void> {
    await this.flush()
    await this.guard(async () => {
      await this.store.delete(id)
      let docs = await this.store.list()
      if (docs.length === 0) {
        const blank = blankNotebook(this.now())
        await this.store.put(blank)
        docs = [blank]
      }
      this.notebooks = docs.map(summaryOf)
      if (this.session?.doc.id === id) {
        this.session.dispose()
        this.session = null
        await this.select(docs[0]!.id)
      }
    })
  }

  /** The open notebook as an export file: its name and JSON text. */
  exportOpen(): { name: string; text: string } | null {
    const s = this.session
    if (s === null) return null
    const doc = $state.snapshot(s.doc) as NotebookDoc
    return { name: fileName(doc), text: `${JSON.stringify(toNotebookFile(doc, this.now()), null, 2)}\n` }
  }

  /** Imports a file's text as a new notebook and opens it; a bad file sets importError and changes nothing. */
  async importText(text: string): Promise<boolean> {
    const parsed = parseNotebookFile(text, paramsSchemaOf)
    if (!parsed.ok) {
      this.importError = parsed.error.message
      return false
    }
    this.importError = null
    const now = this.now()
    await this.addAndOpen({ id: newId(), title: parsed.value.title, createdMs: now, updatedMs: now, cells: parsed.value.cells })
    return true
  }
}
