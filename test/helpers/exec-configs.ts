// Random execution configs for property tests: every sizing, both order types, fees, slippage,
// TTLs and protective exits.
import { DEFAULT_EXEC_CONFIG, type ExecConfig } from '../../shared/engine/types.ts'
import { createRng } from '../../shared/random.ts'

export function randomConfig(seed: number): ExecConfig {
  const r = createRng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!
  const sizing = pick<ExecConfig['sizing']>([
    { kind: 'all-in', feeBufferRate: 0.0005 },
    { kind: 'all-in', feeBufferRate: 0 },
    { kind: 'fixed-quote', notionalQuote: 200_000 },
    { kind: 'fraction', fractionRate: 0.5 },
    { kind: 'kelly', winRate: 0.55, payoffRatio: 1.5, kellyFraction: 0.5 },
    { kind: 'risk', riskRate: 0.01, stopDistanceRate: 0.02 },
  ])
  return {
    ...DEFAULT_EXEC_CONFIG,
    initialCash: pick([20_000, 1_000_000, 10_000_000]),
    feeRate: pick([0, 0.0005, 0.0025]),
    slippageRate: pick([0, 0.001]),
    orderType: pick(['market', 'limit'] as const),
    aggressivenessRate: pick([0, 0.0015, 0.01]),
    orderTtlBars: pick([1, 3]),
    sizing,
    stopLossRate: pick([0, 0.005, 0.02]),
    takeProfitRate: pick([0, 0.01, 0.05]),
    trailingStopRate: pick([0, 0.01]),
  }
}
