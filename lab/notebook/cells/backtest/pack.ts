// A result for the trip from the worker. Its trades and rejected orders are columns already
// (shared/backtest/columns.ts): typed arrays move for free (transferred), while structured cloning
// thousands of small objects costs tens of ms on the page's thread (measured: 35,265 rejected
// orders ≈ 50 ms, 5,709 trades ≈ 15 ms). The lists are built from the columns on first read, on
// either side. unpack(pack(x)) equals x.
import { withLists, type BacktestResult } from '../../../../shared/backtest/index.ts'

export type PackedResult = Omit<BacktestResult, 'trades' | 'rejected'>

export function packResult(r: BacktestResult): PackedResult {
  // Named one by one: a spread of the result would read (and so build) the lists.
  return {
    engineVersion: r.engineVersion,
    config: r.config,
    fromBar: r.fromBar,
    toBar: r.toBar,
    tradeColumns: r.tradeColumns,
    equity: r.equity,
    metrics: r.metrics,
    rejections: r.rejections,
    rejectedColumns: r.rejectedColumns,
    expiredOrders: r.expiredOrders,
    pendingAtEnd: r.pendingAtEnd,
  }
}

/** The buffers to transfer with a packed result. */
export const packedBuffers = (p: PackedResult): ArrayBuffer[] =>
  [p.equity, p.tradeColumns.values, p.tradeColumns.exit, p.rejectedColumns.bar, p.rejectedColumns.code].map((a) => a.buffer as ArrayBuffer)

/** `time`: the bar times of the series the result was run on (the rejected orders' times). */
export const unpackResult = (p: PackedResult, time: ArrayLike<number>): BacktestResult => withLists({ ...p }, time)
