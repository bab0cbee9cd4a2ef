// The benchmark workloads, also offered as presets in the panel.
// W1: the seed-000 ensemble, weights {0, 0.5, 1}^6 × threshold 0.05..0.50 step 0.05 (7,290 combos)
//     on 129,600 synthetic 1m bars, fee 0.05%, all-in, objective Sharpe.
// W2: rsi period 5..30 × oversold 20..40 step 2 × overbought 60..80 step 2 × stop-loss
//     {0, 1%, 2%, 3%} (12,584 combos) on the same bars.
import { DEFAULT_EXEC_CONFIG } from '../../shared/engine/types.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import { SEED_MEMBER_IDS } from '../../shared/strategies/index.ts'
import type { DataSource } from './data-source.ts'

export interface SweepRequest {
  readonly source: DataSource
  readonly spec: SweepSpec
  /** Default: defaultChunkSize(comboCount). */
  readonly chunkSize?: number
}

export const BENCH_SOURCE: DataSource = { kind: 'synthetic', market: 'KRW-BTC', days: 91, bars: 129_600 }

const exec = { ...DEFAULT_EXEC_CONFIG, feeRate: 0.0005, sizing: { kind: 'all-in', feeBufferRate: 0.0005 } } as const

const W1_GRID: Record<string, readonly number[] | { min: number; max: number; step: number }> = {}
for (const id of SEED_MEMBER_IDS) W1_GRID[`w.${id}`] = [0, 0.5, 1]
W1_GRID.threshold = { min: 0.05, max: 0.5, step: 0.05 }

export const W1_SPEC: SweepSpec = { strategyId: 'ensemble', grid: W1_GRID, exec, objective: 'sharpe' }

export const W2_SPEC: SweepSpec = {
  strategyId: 'rsi',
  grid: {
    period: { min: 5, max: 30, step: 1 },
    oversold: { min: 20, max: 40, step: 2 },
    overbought: { min: 60, max: 80, step: 2 },
    stopLossRate: [0, 0.01, 0.02, 0.03],
  },
  exec,
  objective: 'sharpe',
}

export const WORKLOADS = {
  w1: { source: BENCH_SOURCE, spec: W1_SPEC },
  w2: { source: BENCH_SOURCE, spec: W2_SPEC },
} as const satisfies Record<string, SweepRequest>
