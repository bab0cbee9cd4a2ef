// Fakes for notebook tests: services over fake-indexeddb, a fake edge stream and the backtest
// engine in process (no Web Worker in happy-dom), and a consumer cell kind (the backtest cell's
// stand-in) to exercise the "data above changed" rule.
import * as v from 'valibot'
import { CandleStore } from '../../../lab/candles/index.ts'
import { createBacktestEngine } from '../../../lab/notebook/cells/backtest/engine.ts'
import { BacktestRunner, inProcessEngine } from '../../../lab/notebook/cells/backtest/runner.svelte.ts'
import { kindOf as registryKindOf } from '../../../lab/notebook/cells/registry.ts'
import { defineCellKind, type AnyCellKind } from '../../../lab/notebook/cells/types.ts'
import type { LabServices } from '../../../lab/notebook/services.ts'
import NoteCell from '../../../lab/notebook/cells/note/NoteCell.svelte'
import { fakeStream, fullMinutes, type FakeStream } from '../candles/fixtures.ts'

export const NOW = Date.UTC(2024, 6, 3, 12, 0, 0)

export function fakeServices(dbName: string, stream: FakeStream = fakeStream(fullMinutes())): LabServices & { stream: FakeStream } {
  let store: Promise<CandleStore> | null = null
  return {
    stream,
    candleStore: () => (store ??= CandleStore.open(dbName)),
    candleStream: stream.fn,
    venues: async () => [
      { id: 'upbit', keys: false },
      { id: 'sim', keys: true },
    ],
    markets: async () => [{ market: 'KRW-BTC', koreanName: '비트코인', englishName: 'Bitcoin' }],
    backtests: new BacktestRunner(inProcessEngine(createBacktestEngine())),
    now: () => NOW,
  }
}

/** Reads the series above and reports its bar count. */
export const countKind = defineCellKind<{ label: string }, { bars: number }>({
  def: {
    kind: 'count',
    label: 'Count',
    icon: '#',
    params: v.strictObject({ label: v.string() }),
    defaultParams: () => ({ label: '' }),
    consumes: ['series'],
    live: false,
    run: async ({ inputs }) => {
      if (inputs.series === undefined) throw new Error('run the data cell above first')
      return { bars: inputs.series.series.time.length }
    },
  },
  // The body is irrelevant for model tests; any component will do.
  Body: NoteCell as never,
})

export const withCount = (kind: string): AnyCellKind | undefined => (kind === 'count' ? countKind : registryKindOf(kind))
