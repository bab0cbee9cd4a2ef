// The optimizer panel rendered in happy-dom over a controller with in-process workers: the form
// runs a sweep, the status, progress and top table follow the controller's state, errors show.
import 'fake-indexeddb/auto'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import OptimizerPanel from '../../../lab/optimizer/OptimizerPanel.svelte'
import { SweepController } from '../../../lab/optimizer/sweep-controller.svelte.ts'
import { directFactory, newLog } from '../../shared/optimize/coordinator/fixtures.ts'

const statusOf = (): string | null => screen.getByTestId('status').getAttribute('data-status')
/** The Run button submits the form (happy-dom does not submit on a button click). */
const run = (): Promise<boolean> => fireEvent.submit(screen.getByTestId('run').closest('form')!)

describe('OptimizerPanel', () => {
  it('runs a sweep from the form and renders progress, the top table and the downloads', async () => {
    const controller = new SweepController({ workers: 2, dbName: 'panel-dom-a', factory: directFactory(newLog()), shareMemory: false })
    render(OptimizerPanel, { props: { controller } })
    expect(statusOf()).toBe('idle')
    await fireEvent.input(screen.getByTestId('grid'), { target: { value: JSON.stringify({ 'w.trend': [0, 1], threshold: [0.2, 0.4] }) } })
    await fireEvent.input(screen.getByTestId('days'), { target: { value: '2' } })
    await run()
    await waitFor(() => expect(statusOf()).toBe('completed'), { timeout: 20_000 })
    expect(screen.getByTestId('status').textContent).toContain('2 workers')
    expect(screen.getByTestId('progress').getAttribute('data-done')).toBe('4')
    expect(screen.getByTestId('top').querySelectorAll('tbody tr').length).toBeGreaterThan(0)
    expect(screen.getByTestId('export-csv')).toBeTruthy()
    await waitFor(() => expect(screen.getByTestId('robustness').getAttribute('data-state')).toBe('done'), { timeout: 20_000 })
  }, 30_000)

  it('shows a bad grid and an invalid spec as errors', async () => {
    const controller = new SweepController({ workers: 1, dbName: 'panel-dom-b', factory: directFactory(newLog()), shareMemory: false })
    render(OptimizerPanel, { props: { controller } })
    await fireEvent.input(screen.getByTestId('grid'), { target: { value: '{ not json' } })
    await run()
    expect(screen.getByRole('alert').textContent).toMatch(/not valid JSON/)
    await fireEvent.input(screen.getByTestId('grid'), { target: { value: JSON.stringify({ 'w.nope': [1] }) } })
    await run()
    await waitFor(() => expect(statusOf()).toBe('invalid'))
    expect(screen.getByRole('alert').textContent).toMatch(/w\.nope/)
  })
})
