// Public surface of the backtest module.
export { runBacktest, type BacktestResult, type BacktestOptions, type RejectedOrder, type PendingOrderAtEnd } from './run.ts'
export { createWorkspace, backtestMetricsInto, type BacktestWorkspace } from './fast.ts'
