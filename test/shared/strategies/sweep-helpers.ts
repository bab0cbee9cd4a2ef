// Shared by the sweep-source property tests: a strategy's fast path must give the runner
// bit-identical metric rows to its plain signals (signals: 'plain').
import { expect } from 'vitest'
import type { CandleSeries } from '../../../shared/candles/types.ts'
import { METRIC_COUNT, METRIC_NAMES } from '../../../shared/metrics/types.ts'
import { runPlannedSweep, runSweep } from '../../../shared/optimize/index.ts'
import type { SweepSpec } from '../../../shared/optimize/index.ts'
import { SeriesCache } from '../../../shared/signals/index.ts'

/** Every metric of every combo identical (same bits; NaN equals NaN). */
function expectSameRows(got: Float64Array, want: Float64Array, label: string): void {
  expect(got.length, label).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) {
      const combo = Math.floor(i / METRIC_COUNT)
      expect.fail(`${label}: combo ${combo} ${METRIC_NAMES[i % METRIC_COUNT]}: ${got[i]} vs plain ${want[i]}`)
    }
  }
}

/** The fast path through runSweep, the planned path, and the planned path on a warm cache. */
export function expectFastEqualsPlain(series: CandleSeries, spec: SweepSpec): void {
  const plain = runSweep(series, spec, { signals: 'plain' }).rows
  const label = JSON.stringify(spec.grid)
  expectSameRows(runSweep(series, spec).rows, plain, `runSweep ${label}`)
  expectSameRows(runPlannedSweep(series, spec).rows, plain, `planned ${label}`)
  const cache = new SeriesCache(series)
  runPlannedSweep(series, spec, { cache })
  expectSameRows(runPlannedSweep(series, spec, { cache }).rows, plain, `planned warm ${label}`)
}
