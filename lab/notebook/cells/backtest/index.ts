// The backtest cell kind: a strategy, its parameters and execution settings in; the engine's
// result on the candles of the data cell above out (headline, charts, trades, exports).
import { fmtInt } from '../data/format.ts'
import { defineCellKind } from '../types.ts'
import BacktestCell from './BacktestCell.svelte'
import { fmtPct } from './format.ts'
import { BacktestParams, defaultBacktestParams } from './params.ts'
import { runBacktestCell, type BacktestOutput } from './run.ts'

export type { BacktestOutput } from './run.ts'
export { BacktestParams, defaultBacktestParams } from './params.ts'

export const backtestKind = defineCellKind<BacktestParams, BacktestOutput>({
  def: {
    kind: 'backtest',
    label: 'Backtest',
    icon: '↗',
    params: BacktestParams,
    defaultParams: defaultBacktestParams,
    consumes: ['series'],
    live: false,
    run: runBacktestCell,
    summary: (o) =>
      `${o.strategy.name} · ${fmtPct(o.result.metrics.totalReturn, true)} (B&H ${fmtPct(o.result.metrics.buyHoldReturn, true)}) · ${fmtInt(o.result.metrics.trades)} trades`,
  },
  Body: BacktestCell,
})
