// Turns a kernel (an allocation-free signal pass into a caller's Int8Array) into a StrategyDef:
// params are resolved (defaults + validation) once per call, never per bar. The kernel form
// (`signalsInto`) stays available for the optimizer, which reuses its output buffers, and so does
// the strategy's sweep source when it brings one.
import type { CandleSeries } from '../candles/types.ts'
import type { SignalSource, SweepContext } from '../signals/index.ts'
import { checkParamSpecs, resolveParams } from './params.ts'
import type { ParamSpec, Params, StrategyDef } from './types.ts'

export interface KernelStrategyDef extends StrategyDef {
  readonly signalsInto: (series: CandleSeries, params: Params, out: Int8Array) => void
}

export interface KernelSpec {
  readonly id: string
  readonly version: number
  readonly name: string
  readonly description: string
  readonly params: readonly ParamSpec[]
  /** Receives fully resolved params. */
  readonly warmup: (params: Params) => number
  /** Receives fully resolved params; must write every element of `out`. */
  readonly compute: (series: CandleSeries, params: Params, out: Int8Array) => void
  /**
   * The optimizer fast path (see StrategyDef.sweepSource). It also receives the finished
   * definition: its signalsInto rebuilds arrays the signal store did not keep.
   */
  readonly sweepSource?: (ctx: SweepContext, def: KernelStrategyDef) => SignalSource<Params>
}

export function defineStrategy(spec: KernelSpec): KernelStrategyDef {
  checkParamSpecs(spec.id, spec.params)
  const signalsInto = (series: CandleSeries, params: Params, out: Int8Array): void => {
    if (out.length !== series.close.length) {
      throw new Error(`${spec.id}: output length ${out.length} != series length ${series.close.length}`)
    }
    spec.compute(series, resolveParams(spec, params), out)
  }
  const sweep = spec.sweepSource
  const def: KernelStrategyDef = {
    id: spec.id,
    version: spec.version,
    name: spec.name,
    description: spec.description,
    params: spec.params,
    warmup: (params) => spec.warmup(resolveParams(spec, params)),
    signals: (series, params) => {
      const out = new Int8Array(series.close.length)
      signalsInto(series, params, out)
      return out
    },
    signalsInto,
    ...(sweep === undefined ? {} : { sweepSource: (ctx: SweepContext) => sweep(ctx, def) }),
  }
  return def
}
