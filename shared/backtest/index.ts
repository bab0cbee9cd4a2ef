// Public surface of the backtest module.
export { runBacktest, withLists, type BacktestResult, type BacktestOptions, type PendingOrderAtEnd } from './run.ts'
export {
  endsOpen,
  rejectedColumnsOf,
  rejectedOrders,
  tradeAt,
  tradeColumnsOf,
  tradeCount,
  tradesOf,
  TRADE_COL,
  TRADE_FIELDS,
  TRADE_STRIDE,
  type RejectedColumns,
  type RejectedOrder,
  type TradeColumns,
} from './columns.ts'
export { createWorkspace, backtestMetricsInto, type BacktestWorkspace } from './fast.ts'
