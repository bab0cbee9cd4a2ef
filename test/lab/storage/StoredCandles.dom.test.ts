// The stored-candles manager: the list (venue simulated or real, market, timeframe, span, days,
// size) with the browser's usage line; deleting a series only after "Delete" in the inline
// question (the other series and its candles stay loadable), "Keep" keeps it; failures in plain
// words; the empty state; opened from the rail and from the out-of-space banner.
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { DAY_MS, MINUTE_MS } from '../../../shared/candles/index.ts'
import { CandleStore, StorageError, toStorageError } from '../../../lab/candles/index.ts'
import StoredCandles from '../../../lab/storage/StoredCandles.svelte'
import { storedCandlesDialog } from '../../../lab/storage/dialog.svelte.ts'
import { fmtBytes, fmtSpan } from '../../../lab/storage/format.ts'
import NotebookApp from '../../../lab/notebook/ui/NotebookApp.svelte'
import { NotebookLab } from '../../../lab/notebook/state/lab.svelte.ts'
import { minutes } from '../candles/fixtures.ts'
import { fakeServices, NOW } from '../notebook/fixtures.ts'

const DAY0 = Date.UTC(2024, 6, 1)
const HOUR_MS = 60 * MINUTE_MS
const btc = { venue: 'sim', market: 'KRW-BTC', timeframe: '1m' } as const
const eth = { venue: 'upbit', market: 'KRW-ETH', timeframe: '60m' } as const

let n = 0
const stores: CandleStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
  // One flag for the page: a test that left the dialog open must not open it in the next.
  storedCandlesDialog.open = false
})

/** A store with 3 days of sim KRW-BTC 1m (ending at noon of the third) and 2 days of upbit KRW-ETH 60m. */
async function twoSeries(): Promise<CandleStore> {
  const store = await CandleStore.open(`stored-candles-${n++}`)
  stores.push(store)
  const end = DAY0 + 2 * DAY_MS + 12 * HOUR_MS
  const offs: number[] = []
  for (let m = 0; m < (end - DAY0) / MINUTE_MS; m += 30) offs.push(m)
  await store.putWindow(btc, minutes(DAY0, offs), DAY0, end)
  await store.putWindow(
    eth,
    minutes(
      DAY0 + 10 * DAY_MS,
      Array.from({ length: 48 }, (_, i) => i * 60),
    ),
    DAY0 + 10 * DAY_MS,
    DAY0 + 12 * DAY_MS,
  )
  return store
}

const usage = async (): Promise<{ usage: number; quota: number }> => ({ usage: 12_300_000, quota: 1_200_000_000 })
const rows = (): HTMLElement[] => screen.queryAllByTestId('stored-series')
const row = (market: string): HTMLElement => rows().find((r) => r.textContent!.includes(market))!

describe('StoredCandles dialog', () => {
  it('lists each series with venue, market, timeframe, span, days and size, and the usage line', async () => {
    const store = await twoSeries()
    render(StoredCandles, { props: { openStore: async () => store, estimate: usage, onclose: () => {} } })
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(screen.getByTestId('storage-usage').textContent).toMatch(
      /This site uses\s*12\.3 MB\s*of the\s*1\.2 GB\s*the browser allows\s*\(1\.0%\)/,
    )
    const b = row('KRW-BTC')
    expect(b.textContent).toMatch(/simulated/)
    expect(b.textContent).toContain('sim')
    expect(b.textContent).toContain('1m')
    expect(within(b).getByTestId('stored-span').textContent!.trim()).toBe('2024-07-01 → 07-03')
    expect(within(b).getByTestId('stored-days').textContent).toBe('3')
    const [sb, se] = await store.summary()
    expect(within(b).getByTestId('stored-size').textContent).toBe(fmtBytes(sb!.bytes))
    const e = row('KRW-ETH')
    expect(e.textContent).toMatch(/real/)
    expect(e.textContent).not.toMatch(/simulated/)
    expect(e.textContent).toContain('upbit')
    expect(e.textContent).toContain('60m')
    expect(within(e).getByTestId('stored-span').textContent!.trim()).toBe('2024-07-11 → 07-12')
    expect(within(e).getByTestId('stored-days').textContent).toBe('2')
    expect(within(e).getByTestId('stored-size').textContent).toBe(fmtBytes(se!.bytes))
    expect(fmtSpan({ from: DAY0, to: DAY0 + DAY_MS })).toBe('2024-07-01')
    expect(fmtSpan({ from: Date.UTC(2024, 11, 30), to: Date.UTC(2025, 0, 3) })).toBe('2024-12-30 → 2025-01-02')
  })

  it('deletes a series only after confirming; the other series and its candles stay', async () => {
    const store = await twoSeries()
    render(StoredCandles, { props: { openStore: async () => store, estimate: usage, onclose: () => {} } })
    await waitFor(() => expect(rows()).toHaveLength(2))
    await fireEvent.click(within(row('KRW-BTC')).getByTestId('stored-delete'))
    // Nothing is deleted yet: the question is inline, with the count and the series.
    const ask = screen.getByTestId('stored-confirm')
    expect(ask.textContent).toMatch(/Delete 3 days of KRW-BTC\s+1m \(simulated\)\?/)
    expect(document.activeElement).toBe(screen.getByTestId('stored-confirm-keep'))
    expect(await store.dayCount(btc)).toBe(3)
    await fireEvent.click(screen.getByTestId('stored-confirm-delete'))
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain('KRW-ETH')
    expect(screen.getByTestId('stored-candles-notice').textContent).toMatch(/Deleted 3 days of KRW-BTC 1m \(sim\)/)
    expect(screen.queryByTestId('stored-confirm')).toBeNull()
    // The deleted series is gone (coverage too: a data cell downloads it again), the other loads.
    expect(await store.dayCount(btc)).toBe(0)
    expect(await store.coverage(btc)).toEqual([])
    const other = await store.load(eth, DAY0 + 10 * DAY_MS, DAY0 + 12 * DAY_MS)
    expect(other.series.time.length).toBe(48)
    expect(other.coveredFraction).toBe(1)
  })

  it('"Keep" keeps the series and puts focus back on its Delete button', async () => {
    const store = await twoSeries()
    render(StoredCandles, { props: { openStore: async () => store, estimate: usage, onclose: () => {} } })
    await waitFor(() => expect(rows()).toHaveLength(2))
    const del = within(row('KRW-ETH')).getByTestId('stored-delete')
    await fireEvent.click(del)
    expect(screen.getByTestId('stored-confirm').textContent).toMatch(/Delete 2 days of KRW-ETH\s+60m\?/)
    await fireEvent.click(screen.getByTestId('stored-confirm-keep'))
    expect(screen.queryByTestId('stored-confirm')).toBeNull()
    await waitFor(() => expect(document.activeElement).toBe(del))
    expect(rows()).toHaveLength(2)
    expect(await store.dayCount(eth)).toBe(2)
    // Esc inside the question backs out of it too (without closing the dialog).
    await fireEvent.click(del)
    await fireEvent.keyDown(screen.getByTestId('stored-confirm-keep'), { key: 'Escape' })
    expect(screen.queryByTestId('stored-confirm')).toBeNull()
    expect(screen.getByTestId('stored-candles')).toBeTruthy()
    expect(await store.dayCount(eth)).toBe(2)
  })

  it('says in words when the store cannot be opened, and tries again', async () => {
    let fail = true
    const store = await twoSeries()
    const blocked = new StorageError(
      'blocked',
      'Another tab of the lab is holding an older version of the saved data open.',
      'Close the other lab tabs (or reload them), then reload this one.',
    )
    render(StoredCandles, {
      props: { openStore: async () => (fail ? Promise.reject(blocked) : store), estimate: async () => null, onclose: () => {} },
    })
    const err = await screen.findByTestId('stored-candles-error')
    expect(err.getAttribute('role')).toBe('alert')
    expect(err.textContent).toMatch(/Another tab of the lab is holding an older version.*Close the other lab tabs/)
    expect(rows()).toHaveLength(0)
    fail = false
    await fireEvent.click(within(err).getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(screen.queryByTestId('stored-candles-error')).toBeNull()
    expect(screen.getByTestId('storage-usage').textContent).toMatch(/does not say how much space/)
  })

  it('a failed delete says why and keeps the series listed', async () => {
    const store = await twoSeries()
    const broken = Object.create(store) as CandleStore
    broken.clear = () => Promise.reject(toStorageError(Object.assign(new Error('disk I/O'), { name: 'UnknownError' })))
    render(StoredCandles, { props: { openStore: async () => broken, estimate: usage, onclose: () => {} } })
    await waitFor(() => expect(rows()).toHaveLength(2))
    await fireEvent.click(within(row('KRW-BTC')).getByTestId('stored-delete'))
    await fireEvent.click(screen.getByTestId('stored-confirm-delete'))
    const err = await screen.findByTestId('stored-candles-error')
    expect(err.textContent).toMatch(/This browser does not let the lab save data here/)
    expect(rows()).toHaveLength(2)
    expect(screen.queryByTestId('stored-candles-notice')).toBeNull()
  })

  it('has an empty state', async () => {
    const store = await CandleStore.open(`stored-candles-${n++}`)
    stores.push(store)
    render(StoredCandles, { props: { openStore: async () => store, estimate: usage, onclose: () => {} } })
    expect((await screen.findByTestId('stored-candles-empty')).textContent).toBe('No candles stored yet: a data cell downloads them.')
    expect(screen.queryByTestId('stored-candles-table')).toBeNull()
  })
})

describe('opening the manager', () => {
  const setup = async (): Promise<NotebookLab> => {
    const services = fakeServices(`storage-app-${n}-candles`)
    const lab = await NotebookLab.open({ services, dbName: `storage-app-${n++}`, saveDelayMs: 5, now: () => NOW })
    const store = await services.candleStore()
    stores.push(store)
    await store.putWindow(btc, minutes(DAY0, [0, 1, 2]), DAY0, DAY0 + 3 * MINUTE_MS)
    render(NotebookApp, { props: { lab } })
    return lab
  }

  it('from the rail, over the lab’s own candle store; the close button closes it', async () => {
    await setup()
    await fireEvent.click(screen.getByTestId('open-storage'))
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(rows()[0]!.textContent).toContain('KRW-BTC')
    await fireEvent.click(within(screen.getByTestId('stored-candles')).getByRole('button', { name: 'Close' }))
    await waitFor(() => expect(screen.queryByTestId('stored-candles')).toBeNull())
  })

  it('from the out-of-space banner (and only for that error)', async () => {
    const lab = await setup()
    lab.storageError = toStorageError(Object.assign(new Error('x'), { name: 'VersionError' }))
    await waitFor(() => expect(screen.getByTestId('storage-error')).toBeTruthy())
    expect(screen.queryByTestId('manage-storage')).toBeNull()
    lab.storageError = toStorageError(Object.assign(new Error('full'), { name: 'QuotaExceededError' }))
    const button = await screen.findByTestId('manage-storage')
    expect(button.textContent).toBe('Manage stored candles…')
    await fireEvent.click(button)
    await waitFor(() => expect(rows()).toHaveLength(1))
  })

  it('from a cell whose run ran out of space (and only for that error)', async () => {
    const lab = await setup()
    const s = lab.session!
    const data = s.doc.cells.find((c) => c.kind === 'data')!
    const run = s.runOf(data.id)
    run.fail(run.begin(), toStorageError(Object.assign(new Error('x'), { name: 'VersionError' })))
    await waitFor(() => expect(screen.getAllByTestId('cell-error')).toHaveLength(1))
    expect(screen.queryByTestId('cell-manage-storage')).toBeNull()
    run.fail(run.begin(), toStorageError(Object.assign(new Error('full'), { name: 'QuotaExceededError' })))
    await fireEvent.click(await screen.findByTestId('cell-manage-storage'))
    await waitFor(() => expect(rows()).toHaveLength(1))
  })
})
