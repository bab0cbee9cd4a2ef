// The shadow comparison of a paper or live run with its backtest (issue 14's live cell).
export { backtestFills, compareShadow, mergeOrderFills } from './compare.ts'
export type { Divergence, ShadowFill, ShadowInput, ShadowOrder, ShadowReport, Side } from './compare.ts'
