// The optimizer worker's API (comlink): load candles + a sweep spec once, then run combo ranges
// on request. Kept apart from sweep.worker.ts so node tests can call it directly.
import { transfer } from 'comlink'
import { createSweepRunner } from '../../shared/optimize/index.ts'
import type { SweepRunner, SweepSpec } from '../../shared/optimize/index.ts'
import { METRIC_COUNT } from '../../shared/metrics/types.ts'
import { unpackCandles } from './candle-payload.ts'
import type { CandlePayload } from './candle-payload.ts'

export interface LoadResult {
  readonly comboCount: number
  readonly bars: number
  readonly sharing: CandlePayload['kind']
}

export interface RangeResult {
  /** (end − start) × METRIC_COUNT metrics, in combo order. */
  readonly rows: Float64Array
  /** Combos actually simulated vs. copied from an identical decision sequence. */
  readonly simulated: number
  readonly copied: number
}

export interface SweepWorkerApi {
  load(candles: CandlePayload, spec: SweepSpec): LoadResult
  runRange(start: number, end: number): RangeResult
}

export interface SweepWorkerApiOptions {
  /** Transfer result buffers back (true in a real worker; direct callers keep them). */
  readonly transferResults: boolean
}

export function createSweepWorkerApi(opts: SweepWorkerApiOptions = { transferResults: false }): SweepWorkerApi {
  let runner: SweepRunner | undefined
  return {
    load(candles, spec) {
      runner = createSweepRunner(unpackCandles(candles), spec)
      return { comboCount: runner.comboCount, bars: candles.length, sharing: candles.kind }
    },
    runRange(start, end) {
      if (!runner) throw new Error('sweep worker: runRange before load')
      if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= runner.comboCount)) {
        throw new Error(`sweep worker: bad range [${start}, ${end}) of ${runner.comboCount} combos`)
      }
      const rows = new Float64Array((end - start) * METRIC_COUNT)
      const { simulated, copied } = runner.runRange(start, end, rows)
      const result: RangeResult = { rows, simulated, copied }
      return opts.transferResults ? transfer(result, [rows.buffer]) : result
    },
  }
}
