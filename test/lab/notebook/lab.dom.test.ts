// The notebook state over fake-indexeddb: first start, editing cells, saving and reopening,
// running a data cell into the candle store, stale marking, import/export, storage failures.
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { NotebookLab } from '../../../lab/notebook/state/lab.svelte.ts'
import { NotebookSession } from '../../../lab/notebook/state/session.svelte.ts'
import type { NotebookDoc } from '../../../lab/notebook/model/types.ts'
import type { NotebookStore } from '../../../lab/notebook/store.ts'
import { fakeServices, NOW, withCount } from './fixtures.ts'

let n = 0
const openLab = (dbName = `nb-${n++}`): Promise<NotebookLab> =>
  NotebookLab.open({ services: fakeServices(`${dbName}-candles`), dbName, saveDelayMs: 5, now: () => NOW })
const kinds = (lab: NotebookLab): string[] => lab.session!.doc.cells.map((c) => c.kind)

describe('NotebookLab', () => {
  it('first start opens the example notebook: a note, a sim KRW-BTC 1m data cell, a note, an ensemble backtest, a note', async () => {
    const lab = await openLab()
    expect(lab.notebooks).toHaveLength(1)
    expect(kinds(lab)).toEqual(['note', 'data', 'note', 'backtest', 'note'])
    expect(lab.session!.doc.cells[3]!.params).toMatchObject({ strategy: 'ensemble', values: {} })
    expect((lab.session!.doc.cells[4]!.params as { source: string }).source).toMatch(/What the numbers mean/)
    expect(lab.session!.doc.cells[1]!.params).toEqual({
      venue: 'sim',
      market: 'KRW-BTC',
      timeframe: '1m',
      range: { mode: 'last', days: 2 },
    })
  })

  it('adds, moves, duplicates, collapses and deletes cells, saves as you type and reopens identically', async () => {
    const name = `nb-${n++}`
    const lab = await openLab(name)
    const s = lab.session!
    s.selectedId = s.doc.cells[0]!.id
    const added = s.addCell('data')!
    expect(kinds(lab)).toEqual(['note', 'data', 'data', 'note', 'backtest', 'note'])
    s.moveCell(added.id, -1)
    expect(s.doc.cells[0]!.id).toBe(added.id)
    s.duplicateCell(added.id)
    expect(kinds(lab)).toEqual(['data', 'data', 'note', 'data', 'note', 'backtest', 'note'])
    s.toggleCollapsed(added.id)
    s.setParams(s.doc.cells[2]!.id, { source: '# typed' })
    s.setCellTitle(added.id, 'mine')
    s.deleteCell(s.doc.cells[1]!.id)
    expect(lab.saveState).toBe('pending')
    await lab.flush()
    expect(lab.saveState).toBe('saved')
    const before = JSON.parse(JSON.stringify(s.doc)) as NotebookDoc

    const reopened = await openLab(name)
    expect(JSON.parse(JSON.stringify(reopened.session!.doc))).toEqual(before)
    expect(reopened.session!.doc.cells[0]).toMatchObject({ title: 'mine', collapsed: true })
  })

  it('saves after a pause in typing without an explicit flush', async () => {
    const name = `nb-${n++}`
    const lab = await openLab(name)
    lab.session!.setTitle('Renamed by typing')
    await new Promise((r) => setTimeout(r, 50))
    const again = await openLab(name)
    expect(again.session!.doc.title).toBe('Renamed by typing')
    expect(again.notebooks[0]!.title).toBe('Renamed by typing')
  })

  it('creates, duplicates, renames and deletes notebooks; deleting the example never brings it back', async () => {
    const name = `nb-${n++}`
    const lab = await openLab(name)
    const example = lab.session!.doc.id
    await lab.create()
    expect(lab.notebooks).toHaveLength(2)
    await lab.duplicate(example)
    expect(lab.notebooks.map((x) => x.title)).toContain('Getting started: sim KRW-BTC (copy)')
    await lab.rename(example, 'Renamed')
    expect(lab.notebooks.find((x) => x.id === example)!.title).toBe('Renamed')
    for (const nb of [...lab.notebooks]) await lab.remove(nb.id)
    expect(lab.notebooks).toHaveLength(1)
    expect(lab.notebooks[0]!.title).toBe('Untitled notebook')
    const again = await openLab(name)
    expect(again.notebooks.map((x) => x.title)).toEqual(['Untitled notebook'])
  })

  it('exports and imports a notebook that reopens identically; a bad file changes nothing', async () => {
    const name = `nb-${n++}`
    const lab = await openLab(name)
    lab.session!.toggleCollapsed(lab.session!.doc.cells[0]!.id)
    const file = lab.exportOpen()!
    expect(file.name).toBe('Getting-started-sim-KRW-BTC.notebook.json')
    const original = JSON.parse(JSON.stringify(lab.session!.doc)) as NotebookDoc

    const listBefore = lab.notebooks
    expect(await lab.importText('{"format":"upbit-lab-notebook","version":1}')).toBe(false)
    expect(lab.importError).toMatch(/damaged/)
    expect(lab.notebooks).toBe(listBefore)
    expect(lab.session!.doc.id).toBe(original.id)
    expect((await openLab(name)).notebooks).toHaveLength(1)

    expect(await lab.importText(file.text)).toBe(true)
    expect(lab.importError).toBeNull()
    expect(lab.notebooks).toHaveLength(2)
    const imported = lab.session!.doc
    expect(imported.id).not.toBe(original.id)
    expect(imported.title).toBe(original.title)
    expect(JSON.parse(JSON.stringify(imported.cells))).toEqual(original.cells)
  })

  it('keeps working in memory and says so when IndexedDB cannot be opened', async () => {
    const failing = async (): Promise<NotebookStore> => {
      throw new DOMException('denied', 'SecurityError')
    }
    const lab = await NotebookLab.open({ services: fakeServices('nb-mem'), openStore: failing, now: () => NOW })
    expect(lab.storageError?.code).toBe('unavailable')
    expect(kinds(lab)).toEqual(['note', 'data', 'note', 'backtest', 'note'])
  })

  it('shows a failed save in plain words (quota)', async () => {
    const lab = await openLab()
    const store = (lab as unknown as { store: NotebookStore }).store
    store.put = async () => {
      throw new DOMException('quota', 'QuotaExceededError')
    }
    lab.session!.setTitle('x')
    await lab.flush()
    expect(lab.saveState).toBe('error')
    expect(lab.storageError?.code).toBe('quota')
  })
})

describe('reload', () => {
  it('re-runs the cells that had outputs (data, then backtest), keeps view settings, and a view change is not an edit', async () => {
    const name = `nb-${n++}`
    const lab = await openLab(name)
    const s = lab.session!
    const [, data, , bt] = s.doc.cells
    // Not run before: nothing runs on open.
    expect(s.runOf(bt!.id).status).toBe('idle')
    await s.run(data!.id)
    await s.run(bt!.id)
    expect(s.runOf(bt!.id).status).toBe('done')
    expect(s.doc.restore).toEqual([data!.id, bt!.id])
    const updated = s.doc.updatedMs
    s.setCellUi(bt!.id, { tab: 'params', selected: 2 })
    expect(s.doc.updatedMs).toBe(updated)
    expect(s.freshness.get(bt!.id)!.state).toBe('fresh')
    const metrics = (s.runOf(bt!.id).output as { result: { metrics: unknown } }).result.metrics
    await lab.flush()

    const again = await openLab(name)
    const r = again.session!
    await vi.waitFor(() => expect(r.runOf(bt!.id).status).toBe('done'))
    expect(r.runOf(data!.id).status).toBe('done')
    expect((r.runOf(bt!.id).output as { result: { metrics: unknown } }).result.metrics).toEqual(metrics)
    expect(r.doc.cells[3]!.ui).toEqual({ tab: 'params', selected: 2 })
    // The view settings travel in an export; the restore list stays in this browser.
    const file = JSON.parse(again.exportOpen()!.text) as { notebook: { cells: { ui?: unknown }[] } } & Record<string, unknown>
    expect(file.notebook.cells[3]!.ui).toEqual({ tab: 'params', selected: 2 })
    expect(JSON.stringify(file)).not.toContain('restore')
  })

  it('that a cell ran is saved at once, not after the typing pause (a reload right after finds it marked)', async () => {
    const name = `nb-${n++}`
    // A typing pause of a minute: only an immediate write can put the mark in the store in time.
    const lab = await NotebookLab.open({ services: fakeServices(`${name}-candles`), dbName: name, saveDelayMs: 60_000, now: () => NOW })
    const s = lab.session!
    const data = s.doc.cells[1]!
    await s.run(data.id)
    await vi.waitFor(() => expect(lab.saveState).toBe('saved'))
    // Another lab on the same database (a reload) finds the mark and runs the cell again.
    const again = await NotebookLab.open({ services: fakeServices(`${name}-candles`), dbName: name, saveDelayMs: 60_000, now: () => NOW })
    expect(again.session!.doc.restore).toEqual([data.id])
    await vi.waitFor(() => expect(again.session!.runOf(data.id).status).toBe('done'))
  })

  it('a failed run takes a cell off the restore list; deleting it too', async () => {
    const lab = await openLab()
    const s = lab.session!
    const [, data, , bt] = s.doc.cells
    await s.run(data!.id)
    await s.run(bt!.id)
    s.setParams(bt!.id, { ...(s.doc.cells[3]!.params as object), strategy: 'no-such-strategy' })
    await s.run(bt!.id)
    expect(s.runOf(bt!.id).status).toBe('error')
    expect(s.doc.restore).toEqual([data!.id])
    s.deleteCell(data!.id)
    expect(s.doc.restore).toEqual([])
  })
})

describe('NotebookSession runs', () => {
  const doc = (): NotebookDoc => ({
    id: 'nb',
    title: 't',
    createdMs: NOW,
    updatedMs: NOW,
    cells: [
      {
        id: 'd',
        kind: 'data',
        title: '',
        collapsed: false,
        params: { venue: 'sim', market: 'KRW-BTC', timeframe: '1m', range: { mode: 'last', days: 1 } },
      },
      { id: 'c', kind: 'count', title: '', collapsed: false, params: { label: '' } },
      { id: 'n', kind: 'note', title: '', collapsed: false, params: { source: 'hi' } },
    ],
  })

  it('a data cell downloads into the store and feeds the cell below; changing it marks both stale', async () => {
    const services = fakeServices(`run-${n++}`)
    const s = new NotebookSession(doc(), { services, onChange: () => {}, kindOf: withCount, now: () => NOW })
    expect(s.freshness.get('d')!.state).toBe('never')
    await s.runAll()
    expect(s.runOf('d').status).toBe('done')
    expect(s.runOf('c').output).toEqual({ bars: 1440 })
    expect(s.freshness.get('d')!.state).toBe('fresh')
    expect(s.freshness.get('c')!.state).toBe('fresh')
    expect(services.stream.requests).toHaveLength(1)

    s.setParams('d', { venue: 'sim', market: 'KRW-BTC', timeframe: '1m', range: { mode: 'last', days: 2 } })
    expect(s.freshness.get('d')).toMatchObject({ state: 'stale' })
    expect(s.freshness.get('c')).toMatchObject({ state: 'stale', reason: 'the data above is stale' })

    await s.run('d')
    expect(s.freshness.get('d')!.state).toBe('fresh')
    expect(s.freshness.get('c')).toMatchObject({ state: 'stale', reason: 'the data above changed' })
    // Only the day before the stored one was fetched (resume from coverage).
    expect(services.stream.requests).toHaveLength(2)
    await s.run('c')
    expect(s.runOf('c').output).toEqual({ bars: 2880 })
    expect(s.freshness.get('c')!.state).toBe('fresh')

    s.moveCell('c', -1)
    expect(s.freshness.get('c')).toMatchObject({ state: 'stale', reason: 'the cell it read from is gone' })
  })

  it('a consumer without data above fails with its message; run all stops there', async () => {
    const s = new NotebookSession(
      { ...doc(), cells: doc().cells.slice(1) },
      { services: fakeServices(`run-${n++}`), onChange: () => {}, kindOf: withCount },
    )
    await s.runAll()
    expect(s.runOf('c').status).toBe('error')
    expect(s.runOf('c').error?.message).toBe('run the data cell above first')
    expect(s.runOf('n').status).toBe('idle')
  })

  it('Shift+Enter semantics: run and select the next cell', async () => {
    const s = new NotebookSession(doc(), { services: fakeServices(`run-${n++}`), onChange: () => {}, kindOf: withCount })
    s.selectedId = 'd'
    await s.runAndAdvance('d')
    expect(s.selectedId).toBe('c')
  })
})
