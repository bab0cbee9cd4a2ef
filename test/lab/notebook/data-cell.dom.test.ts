// The data cell in happy-dom: the "stored" figure is read again after a cancelled download, and
// its boxes save as you type (no download starts; a draft that is not a value yet is left in
// its box while the params keep the last valid one).
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import type { CandleStreamFn } from '../../../lab/candles/index.ts'
import type { DataParams } from '../../../lab/notebook/cells/data/params.ts'
import { NotebookLab } from '../../../lab/notebook/state/lab.svelte.ts'
import NotebookApp from '../../../lab/notebook/ui/NotebookApp.svelte'
import { fakeStream, fullMinutes, type FakeStream } from '../candles/fixtures.ts'
import { fakeServices, NOW } from './fixtures.ts'

let n = 0
const setup = async (stream?: FakeStream): Promise<NotebookLab> => {
  const lab = await NotebookLab.open({
    services: fakeServices(`datacell-${n}-candles`, stream),
    dbName: `datacell-${n++}`,
    saveDelayMs: 5,
    now: () => NOW,
  })
  render(NotebookApp, { props: { lab } })
  return lab
}
const dataCell = (): HTMLElement => screen.getAllByTestId('cell').find((c) => c.dataset.kind === 'data')!
const paramsOf = (lab: NotebookLab): DataParams => lab.session!.doc.cells.find((c) => c.kind === 'data')!.params as DataParams

/** Edge's stream that sends one window of bars, then waits until the download is cancelled. */
function stallAfterFirstChunk(): FakeStream {
  const inner = fakeStream(fullMinutes())
  const fn: CandleStreamFn = async function* (key, from, to, signal) {
    for await (const line of inner.fn(key, from, to, signal)) {
      yield line
      if (line.kind === 'chunk') {
        await new Promise((_, reject) => {
          if (signal.aborted) reject(signal.reason)
          signal.addEventListener('abort', () => reject(signal.reason), { once: true })
        })
      }
    }
  }
  return { fn, requests: inner.requests }
}

describe('data cell', () => {
  it('reads what is stored again after a cancelled download', async () => {
    const stream = stallAfterFirstChunk()
    await setup(stream)
    await waitFor(() => expect(screen.getByTestId('data-stored-fraction').textContent).toBe('0.0%'))
    await fireEvent.click(dataCell().querySelector('[data-testid=cell-run]')!)
    // The first window (200 of the 2,880 minutes) is in the store once the progress counts it.
    await waitFor(() => expect(screen.getByTestId('data-progress').textContent).toMatch(/200 bars received/))
    await fireEvent.click(screen.getByTestId('data-cancel'))
    await waitFor(() => expect(dataCell().dataset.status).toBe('cancelled'))
    await waitFor(() => expect(screen.getByTestId('data-stored-fraction').textContent).toBe('6.9%'))
    expect(screen.getByTestId('coverage-timeline')).toBeTruthy()
  })

  it('saves the days, market and dates as you type, keeping the last valid value and starting no download', async () => {
    const stream = fakeStream(fullMinutes())
    const lab = await setup(stream)
    const days = screen.getByTestId('data-days') as HTMLInputElement
    await fireEvent.input(days, { target: { value: '5' } })
    expect(paramsOf(lab).range).toEqual({ mode: 'last', days: 5 })
    // Cleared while typing, then a 0: the params keep 5; the box keeps the draft.
    await fireEvent.input(days, { target: { value: '' } })
    await fireEvent.input(days, { target: { value: '0' } })
    expect(paramsOf(lab).range).toEqual({ mode: 'last', days: 5 })
    expect(days.value).toBe('0')
    // Leaving the box puts a whole number in it (as before).
    await fireEvent.change(days)
    expect(paramsOf(lab).range).toEqual({ mode: 'last', days: 1 })
    expect(days.value).toBe('1')

    const market = screen.getByTestId('data-market') as HTMLInputElement
    await fireEvent.input(market, { target: { value: 'krw-eth' } })
    expect(paramsOf(lab).market).toBe('KRW-ETH')
    expect(market.value).toBe('KRW-ETH')
    await fireEvent.input(market, { target: { value: 'KRW-' } })
    expect(paramsOf(lab).market).toBe('KRW-ETH')
    expect(screen.queryByTestId('data-market-invalid')).toBeNull()
    await fireEvent.change(market)
    expect(screen.getByTestId('data-market-invalid').textContent).toMatch(/“KRW-” is not a market code yet .* keeps KRW-ETH/)
    expect(market.getAttribute('aria-invalid')).toBe('true')
    await fireEvent.input(market, { target: { value: 'KRW-XRP' } })
    expect(paramsOf(lab).market).toBe('KRW-XRP')
    expect(screen.queryByTestId('data-market-invalid')).toBeNull()

    await fireEvent.change(screen.getByTestId('data-range-mode'), { target: { value: 'between' } })
    const from = screen.getByTestId('data-from') as HTMLInputElement
    const before = paramsOf(lab).range
    expect(before.mode).toBe('between')
    // A date box reports year 0002 while the first digit of the year is typed: not saved.
    await fireEvent.input(from, { target: { value: '0002-06-20' } })
    expect(paramsOf(lab).range).toEqual(before)
    await fireEvent.input(from, { target: { value: '2024-06-20' } })
    expect(paramsOf(lab).range).toEqual({ ...before, from: '2024-06-20' })
    await fireEvent.input(screen.getByTestId('data-to'), { target: { value: '2024-06-21' } })
    expect(paramsOf(lab).range).toEqual({ mode: 'between', from: '2024-06-20', to: '2024-06-21' })
    // Cleared: the params keep the date; leaving the box shows it again.
    await fireEvent.input(from, { target: { value: '' } })
    await fireEvent.change(from)
    expect(paramsOf(lab).range).toEqual({ mode: 'between', from: '2024-06-20', to: '2024-06-21' })
    expect(from.value).toBe('2024-06-20')

    // Saved to the notebook store, and nothing was downloaded.
    await waitFor(() => expect(screen.getByTestId('save-state').textContent).toMatch(/Saved/))
    expect(stream.requests).toEqual([])
    expect(dataCell().dataset.status).toBe('idle')
  })

  it('typing marks a cell that has run stale, and typing the value it ran with makes it fresh again', async () => {
    const lab = await setup()
    await fireEvent.click(dataCell().querySelector('[data-testid=cell-run]')!)
    await waitFor(() => expect(dataCell().dataset.status).toBe('done'))
    expect(screen.getByTestId('data-chart').getAttribute('aria-label')).toMatch(/2880 loaded 1m bars of KRW-BTC/)
    const days = screen.getByTestId('data-days') as HTMLInputElement
    await fireEvent.input(days, { target: { value: '3' } })
    expect(dataCell().dataset.status).toBe('stale')
    await fireEvent.input(days, { target: { value: '2' } })
    expect(dataCell().dataset.status).toBe('done')
    expect(paramsOf(lab).range).toEqual({ mode: 'last', days: 2 })
  })
})
