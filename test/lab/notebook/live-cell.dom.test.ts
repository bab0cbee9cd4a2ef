// The live cell's start form: edge's promotions to pick from, paper by default, live only with
// the market typed out (and the venue's keys), edge's refusal shown in its words, and a started
// run handed to the cell (its params) to follow. Without a promotion it says how to get one.
import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_EXEC_CONFIG } from '../../../shared/engine/index.ts'
import type { LiveApi, Promotion, RunView, StartRunBody } from '../../../lab/notebook/cells/live/api.ts'
import LiveCell from '../../../lab/notebook/cells/live/LiveCell.svelte'
import { defaultLiveParams, type LiveParams } from '../../../lab/notebook/cells/live/params.ts'
import { liveKind } from '../../../lab/notebook/cells/live/index.ts'
import type { CellRunView } from '../../../lab/notebook/cells/types.ts'
import type { LiveOutput } from '../../../lab/notebook/cells/live/run.ts'
import { fakeServices } from './fixtures.ts'

const promo = (id: number): Promotion => ({
  id,
  version: 1,
  strategy: { id: 'momentum', version: 1 },
  market: 'KRW-BTC',
  timeframe: '1m',
  hash: 'h',
  createdAtMs: 0,
  retired: false,
  config: {
    strategy: { id: 'momentum', version: 1 },
    params: { period: 3 },
    market: 'KRW-BTC',
    timeframe: '1m',
    exec: DEFAULT_EXEC_CONFIG,
    risk: { maxPositionQuote: 1e6, dailyLossLimitRate: 0.1, maxDrawdownRate: 0.2 },
    backtest: { range: { source: 'sim', fromMs: 0, toMs: 86_400_000, bars: 1440 }, metrics: {} },
  },
})

function api(promotions: Promotion[], start: (b: StartRunBody) => Promise<RunView>): LiveApi {
  return {
    promotions: async () => promotions,
    promotion: async (id) => promo(id),
    venues: async () => [
      { id: 'sim', keys: true },
      { id: 'upbit', keys: false },
    ],
    startRun: start,
    run: async () => {
      throw new Error('unused')
    },
    activity: async () => {
      throw new Error('unused')
    },
    stop: async () => {
      throw new Error('unused')
    },
    kill: async () => {
      throw new Error('unused')
    },
    killAll: async () => [],
    promotionSource: async () => {
      throw new Error('unused')
    },
  }
}

const idle: CellRunView<LiveOutput> = { status: 'idle', progress: null, output: undefined, error: null, rev: 0 }

function mount(a: LiveApi, params: LiveParams = defaultLiveParams()) {
  const state = { params }
  const setParams = vi.fn((p: LiveParams) => {
    state.params = p
    r.rerender({ cell: { id: 'l1', kind: 'live', title: '', collapsed: false, params: p } })
  })
  const requestRun = vi.fn()
  const r = render(LiveCell, {
    cell: { id: 'l1', kind: 'live', title: '', collapsed: false, params },
    run: idle,
    services: fakeServices('live-cell'),
    setParams,
    setUi: () => {},
    requestRun,
    cancelRun: () => {},
    api: a,
  })
  return { setParams, requestRun, state }
}

describe('live cell start form', () => {
  it('picks the first promotion, starts paper at once, live only with the market typed out', async () => {
    const starts: StartRunBody[] = []
    const { setParams, requestRun, state } = mount(
      api([promo(4), promo(2)], async (b) => {
        starts.push(b)
        if (b.mode === 'live' && b.confirm !== 'KRW-BTC') throw new Error('type the market name')
        return { id: 'p123' } as RunView
      }),
    )
    const select = (await screen.findByTestId('live-promotion')) as HTMLSelectElement
    expect(state.params.promotionId).toBe(4)
    expect([...select.options].map((o) => o.textContent)).toEqual([
      '#4 · momentum v1 · KRW-BTC 1m · config v1',
      '#2 · momentum v1 · KRW-BTC 1m · config v1',
    ])
    const start = screen.getByTestId('live-start') as HTMLButtonElement
    expect(start.textContent).toContain('Start paper run')
    await fireEvent.click(screen.getByTestId('live-mode-live'))
    expect(state.params.mode).toBe('live')
    expect(start.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('live-confirm'), { target: { value: 'KRW-ETH' } })
    expect(start.disabled).toBe(true)
    await fireEvent.input(screen.getByTestId('live-confirm'), { target: { value: 'KRW-BTC' } })
    expect(start.disabled).toBe(false)
    // The venue without keys: live is not offered.
    await fireEvent.change(screen.getByTestId('live-venue'), { target: { value: 'upbit' } })
    expect((screen.getByTestId('live-start') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByText(/holds no keys for upbit/)).toBeTruthy()
    await fireEvent.change(screen.getByTestId('live-venue'), { target: { value: 'sim' } })
    await fireEvent.click(screen.getByTestId('live-start'))
    await vi.waitFor(() => expect(requestRun).toHaveBeenCalled())
    expect(starts).toEqual([{ promotionId: 4, venue: 'sim', mode: 'live', confirm: 'KRW-BTC' }])
    expect(setParams).toHaveBeenLastCalledWith({ promotionId: 4, venue: 'sim', mode: 'live', runId: 'p123' })
  })

  it("shows edge's refusal in its words", async () => {
    mount(
      api([promo(1)], async () => {
        throw new Error('promotion 1 is retired: it cannot be started')
      }),
    )
    await fireEvent.click(await screen.findByTestId('live-start'))
    expect((await screen.findByTestId('live-start-error')).textContent).toBe('promotion 1 is retired: it cannot be started')
  })

  it('without a promotion it says how to get one; the kind follows, never starts', async () => {
    mount(api([], async () => ({}) as RunView))
    expect((await screen.findByText('No promotion yet.')).textContent).toBe('No promotion yet.')
    expect(liveKind.def.live).toBe(true)
    const out = await liveKind.def.run({
      cellId: 'x',
      params: defaultLiveParams(),
      inputs: {},
      signal: new AbortController().signal,
      progress: () => {},
      services: fakeServices('live-kind'),
    })
    expect(out).toEqual({ follower: null })
  })
})
