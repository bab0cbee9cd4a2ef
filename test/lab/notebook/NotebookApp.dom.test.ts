// The notebook screen in happy-dom: the example renders, keyboard habits (b, a, Shift+Enter,
// Ctrl+Enter, Esc) act on the selected cell, and a bad import shows its error and changes nothing.
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import NotebookApp from '../../../lab/notebook/ui/NotebookApp.svelte'
import { NotebookLab } from '../../../lab/notebook/state/lab.svelte.ts'
import { fakeServices, NOW } from './fixtures.ts'

let n = 0
const setup = async (): Promise<NotebookLab> => {
  const lab = await NotebookLab.open({ services: fakeServices(`app-${n}-candles`), dbName: `app-${n++}`, saveDelayMs: 5, now: () => NOW })
  render(NotebookApp, { props: { lab } })
  return lab
}
const cells = (): HTMLElement[] => screen.getAllByTestId('cell')

describe('NotebookApp', () => {
  it('renders the example notebook with its rendered notes and the data cell inputs', async () => {
    await setup()
    expect(cells().map((c) => c.dataset.kind)).toEqual(['note', 'data', 'note', 'backtest', 'note'])
    expect(screen.getByTestId('bt-state').textContent).toMatch(/add or run a data cell above/)
    expect(screen.getAllByTestId('note-rendered')[0]!.querySelector('h2')!.textContent).toBe('Welcome to the lab')
    expect((screen.getByTestId('data-market') as HTMLInputElement).value).toBe('KRW-BTC')
    await waitFor(() => expect(screen.getByTestId('data-stored-fraction').textContent).toBe('0.0%'))
  })

  it('keyboard: b adds below, a above, Shift+Enter runs and moves on, Ctrl+Enter runs in place, Esc leaves a field', async () => {
    const lab = await setup()
    const s = lab.session!
    const first = cells()[0]!
    first.focus()
    await fireEvent.focusIn(first)
    await fireEvent.keyDown(first, { key: 'b' })
    expect(cells().map((c) => c.dataset.kind)).toEqual(['note', 'note', 'data', 'note', 'backtest', 'note'])
    const added = s.doc.cells[1]!.id
    // The new note is open for typing; Esc leaves the field, then "a" adds above it.
    const textarea = await waitFor(() => cells()[1]!.querySelector('textarea')!)
    await fireEvent.input(textarea, { target: { value: '**hi** <script>x()</script>' } })
    await fireEvent.keyDown(textarea, { key: 'Escape' })
    expect(s.selectedId).toBe(added)
    await fireEvent.keyDown(cells()[1]!, { key: 'a' })
    expect(s.doc.cells).toHaveLength(7)
    expect(s.doc.cells[2]!.id).toBe(added)
    // Shift+Enter in the data cell starts its download and selects the next cell.
    s.selectedId = s.doc.cells[3]!.id
    await fireEvent.keyDown(cells()[3]!.querySelector('select')!, { key: 'Enter', shiftKey: true })
    expect(s.selectedId).toBe(s.doc.cells[4]!.id)
    await waitFor(() => expect(cells()[3]!.dataset.status).toBe('done'))
    expect(screen.getByTestId('data-summary').textContent).toContain('2,880')
    // Ctrl+Enter re-runs in place.
    s.selectedId = s.doc.cells[3]!.id
    await fireEvent.keyDown(cells()[3]!, { key: 'Enter', ctrlKey: true })
    expect(s.selectedId).toBe(s.doc.cells[3]!.id)
    await waitFor(() => expect(cells()[3]!.dataset.status).toBe('done'))
    // Changing an input marks it stale.
    await fireEvent.change(screen.getByTestId('data-days'), { target: { value: '3' } })
    expect(cells()[3]!.dataset.status).toBe('stale')
  })

  it('a new note stays open while it is typed one key at a time; Shift+Enter renders it', async () => {
    const lab = await setup()
    const s = lab.session!
    const first = cells()[0]!
    first.focus()
    await fireEvent.focusIn(first)
    await fireEvent.keyDown(first, { key: 'b' })
    const id = s.doc.cells[1]!.id
    let text = ''
    for (const ch of 'Hello **world**') {
      text += ch
      // The same textarea takes every key: the editor never closes under the typist.
      const area = cells()[1]!.querySelector<HTMLTextAreaElement>('[data-testid=note-source]')
      expect(area, `after ${JSON.stringify(text.slice(0, -1))}`).not.toBeNull()
      await fireEvent.input(area!, { target: { value: text } })
    }
    expect(s.doc.cells[1]!.params).toEqual({ source: 'Hello **world**' })
    await fireEvent.keyDown(cells()[1]!.querySelector('textarea')!, { key: 'Enter', shiftKey: true })
    await waitFor(() => expect(cells()[1]!.querySelector('[data-testid=note-rendered] strong')?.textContent).toBe('world'))
    expect(s.doc.cells[1]!.id).toBe(id)
  })

  it('Enter on a focused button presses it; Enter on the cell itself goes into it', async () => {
    const lab = await setup()
    const s = lab.session!
    const before = s.doc.cells.length
    const first = cells()[0]!
    first.focus()
    await fireEvent.focusIn(first)
    const dup = first.querySelector<HTMLButtonElement>('button[aria-label="Duplicate cell"]')!
    // The browser turns Enter on a button into a click unless the key event was cancelled.
    const ev = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })
    dup.dispatchEvent(ev)
    expect(ev.defaultPrevented).toBe(false)
    expect(s.doc.cells).toHaveLength(before)
    const onCell = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })
    first.dispatchEvent(onCell)
    expect(onCell.defaultPrevented).toBe(true)
  })

  it('a quick run does not flicker the header: its chip and Stop show only once it takes 150 ms; data-status is the truth', async () => {
    const lab = await setup()
    const s = lab.session!
    const i = s.doc.cells.findIndex((c) => c.kind === 'data')
    const cell = (): HTMLElement => cells()[i]!
    const chipText = (): string | null | undefined => cell().querySelector('[data-testid=cell-status]')?.textContent
    const before = chipText()
    const run = s.runOf(s.doc.cells[i]!.id)
    const signal = run.begin()
    await waitFor(() => expect(cell().dataset.status).toBe('running'))
    expect(cell().querySelector('[aria-label="Stop the run"]')).toBeNull()
    expect(chipText()).toBe(before)
    await waitFor(() => expect(cell().querySelector('[aria-label="Stop the run"]')).not.toBeNull())
    expect(chipText()).toBe('running')
    run.fail(signal, new Error('stopped by the test'))
    await waitFor(() => expect(cell().querySelector('[aria-label="Stop the run"]')).toBeNull())
    expect(cell().dataset.status).toBe('error')
  })

  it('a bad import shows a plain error and leaves the notebooks alone', async () => {
    const lab = await setup()
    const before = lab.notebooks
    await lab.importText(
      '{"format":"upbit-lab-notebook","version":1,"exportedAt":"x","notebook":{"title":"t","cells":[{"id":"a","kind":"nope","title":"","collapsed":false,"params":{}}]}}',
    )
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toMatch(/kind "nope".*Nothing was changed/))
    expect(lab.notebooks).toBe(before)
    expect(screen.getByTestId('notebook-list').querySelectorAll('li')).toHaveLength(1)
  })
})
