// A result's trades and rejected orders as columns for the trip from the worker: structured
// cloning tens of thousands of small objects costs tens of ms on the page's thread (measured:
// 35,265 rejected orders ≈ 50 ms, 5,709 trades ≈ 15 ms), while typed arrays move for free
// (transferred) and rebuilding the objects here takes a few ms (the rejected orders only when
// first read). unpack(pack(x)) equals x.
import type { BacktestResult, RejectedOrder } from '../../../../shared/backtest/index.ts'
import { EXIT_REASONS, REJECT_REASONS, type Trade } from '../../../../shared/engine/index.ts'

export interface PackedResult extends Omit<BacktestResult, 'trades' | 'rejected'> {
  /** TRADE_FIELDS per trade, in order. */
  readonly tradeCols: Float64Array
  /** Index into EXIT_REASONS per trade. */
  readonly tradeExit: Uint8Array
  /** bar, timeMs per rejected order. */
  readonly rejectedCols: Float64Array
  /** Per rejected order: 1 for a sell + 2 × index into REJECT_REASONS. */
  readonly rejectedCodes: Uint8Array
}

const TRADE_FIELDS = [
  'entryBar',
  'entryTimeMs',
  'entryPrice',
  'qtyBase',
  'entryFeeQuote',
  'exitBar',
  'exitTimeMs',
  'exitPrice',
  'exitFeeQuote',
  'profitQuote',
  'returnRate',
] as const satisfies readonly (keyof Trade)[]
const F = TRADE_FIELDS.length

export function packResult(r: BacktestResult): PackedResult {
  const { trades, rejected, ...rest } = r
  const tradeCols = new Float64Array(trades.length * F)
  const tradeExit = new Uint8Array(trades.length)
  trades.forEach((t, i) => {
    for (let k = 0; k < F; k++) tradeCols[i * F + k] = t[TRADE_FIELDS[k]!]
    tradeExit[i] = EXIT_REASONS.indexOf(t.exitReason)
  })
  const rejectedCols = new Float64Array(rejected.length * 2)
  const rejectedCodes = new Uint8Array(rejected.length)
  rejected.forEach((o, i) => {
    rejectedCols[2 * i] = o.bar
    rejectedCols[2 * i + 1] = o.timeMs
    rejectedCodes[i] = (o.side === 'sell' ? 1 : 0) + 2 * REJECT_REASONS.indexOf(o.reason)
  })
  return { ...rest, tradeCols, tradeExit, rejectedCols, rejectedCodes }
}

/** The buffers to transfer with a packed result. */
export const packedBuffers = (p: PackedResult): ArrayBuffer[] =>
  [p.equity, p.tradeCols, p.tradeExit, p.rejectedCols, p.rejectedCodes].map((a) => a.buffer as ArrayBuffer)

export function unpackResult(p: PackedResult): BacktestResult {
  const { tradeCols, tradeExit, rejectedCols, rejectedCodes, ...rest } = p
  const trades: Trade[] = new Array<Trade>(tradeExit.length)
  for (let i = 0; i < tradeExit.length; i++) {
    const o = i * F
    trades[i] = {
      entryBar: tradeCols[o]!,
      entryTimeMs: tradeCols[o + 1]!,
      entryPrice: tradeCols[o + 2]!,
      qtyBase: tradeCols[o + 3]!,
      entryFeeQuote: tradeCols[o + 4]!,
      exitBar: tradeCols[o + 5]!,
      exitTimeMs: tradeCols[o + 6]!,
      exitPrice: tradeCols[o + 7]!,
      exitFeeQuote: tradeCols[o + 8]!,
      profitQuote: tradeCols[o + 9]!,
      returnRate: tradeCols[o + 10]!,
      exitReason: EXIT_REASONS[tradeExit[i]!]!,
    }
  }
  const out = { ...rest, trades } as unknown as BacktestResult
  // Rejected orders can be many (35,265 on 3 months of 1m bars with the defaults) and only the
  // rejected tab and the exports read them: built on first read. An own enumerable getter, so a
  // spread of the result still copies them.
  let rejected: RejectedOrder[] | null = null
  Object.defineProperty(out, 'rejected', {
    enumerable: true,
    get: () => (rejected ??= unpackRejected(rejectedCols, rejectedCodes)),
  })
  return out
}

function unpackRejected(cols: Float64Array, codes: Uint8Array): RejectedOrder[] {
  const rejected: RejectedOrder[] = new Array<RejectedOrder>(codes.length)
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!
    rejected[i] = { bar: cols[2 * i]!, timeMs: cols[2 * i + 1]!, side: (c & 1) === 1 ? 'sell' : 'buy', reason: REJECT_REASONS[c >> 1]! }
  }
  return rejected
}
