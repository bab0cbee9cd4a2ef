// Messages between the Node sweep pool and its worker threads.
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'

export type ToWorker =
  | { readonly kind: 'init'; readonly series: CandleSeries; readonly spec: SweepSpec }
  | { readonly kind: 'run'; readonly start: number; readonly end: number }

export type FromWorker =
  | { readonly kind: 'ready'; readonly comboCount: number }
  | {
      readonly kind: 'rows'
      readonly start: number
      readonly end: number
      readonly rows: Float64Array
      readonly simulated: number
      readonly copied: number
    }
  | { readonly kind: 'error'; readonly message: string }
