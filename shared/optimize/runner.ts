// The sweep runner: one per worker. Runs combo ranges into metric rows, exactly as runBacktest
// would per combo, but
// - signals are computed once per distinct strategy-param set (and shared across exec params),
//   with a strategy's own fast path (its sweepSource: shared indicators, member signals) when it
//   brings one, and the generic source (signal-source.ts) otherwise;
// - combos whose signal array AND exec config are identical are simulated once, their rows copied
//   (signal ids are exact: hash + element-wise verification in SignalStore);
// - the inner backtest is the lead's allocation-free backtestMetricsInto with one workspace.
// Within a range, combos are grouped by strategy params so each signal array is materialised once.
//
// The runner also serves the pools' globally de-duplicated path (sim-plan.ts): classKeys() labels
// a range of strategy points ("points": combos of the strategy dims only) with exact class keys
// the coordinator merges across workers, and runSims() runs the distinct simulations the
// coordinator hands out, into one reused signal buffer (no interning, no row cache).
import { DAY_MS } from '../candles/types.ts'
import type { CandleSeries } from '../candles/types.ts'
import { backtestMetricsInto, createWorkspace } from '../backtest/fast.ts'
import { compileExecConfig } from '../engine/params.ts'
import { UPBIT_KRW_RULES } from '../upbit/venue-rules.ts'
import type { KernelParams } from '../engine/params.ts'
import { METRIC_COUNT } from '../metrics/types.ts'
import { SignalStore } from '../signals/index.ts'
import type { SeriesCache, SignalSource } from '../signals/index.ts'
import type { Params } from '../strategies/types.ts'
import { applyExec } from './exec-params.ts'
import { decodeCombo } from './grid.ts'
import { checkPboShape, columnStatsInto, PBO_STATS } from './robust/pbo.ts'
import { genericSource } from './signal-source.ts'
import { planSweep } from './validate.ts'
import type { StrategyResolver } from './validate.ts'
import type { SweepPlan, SweepSpec } from './validate.ts'

export interface RangeStats {
  /** Combos run through the kernel. */
  readonly simulated: number
  /** Combos whose row was copied from an identical (signals, exec) combo. */
  readonly copied: number
}

export interface RunnerStats extends RangeStats {
  /** Distinct signal arrays seen so far. */
  readonly distinctSignals: number
}

/** Where runSims writes each simulation's CSCV block numbers (see pbo.ts). */
export interface BlockStatsOut {
  /** CSCV blocks S (even, each at least 2 days of the trading window). */
  readonly blocks: number
  /** ≥ combos × blocks × PBO_STATS numbers. */
  readonly stats: Float64Array
}

export interface RunnerOptions {
  /** Bytes of signal arrays kept for exact de-duplication (default 64 MiB). */
  readonly signalBudgetBytes?: number
  /** Rows kept for copying (default 1,000,000). */
  readonly maxCachedRows?: number
  /** 'plain' turns off strategy fast paths (used by tests to compare). */
  readonly signals?: 'fast' | 'plain'
  /** Per-series memo kept by a worker between sweeps (must hold this very series). */
  readonly cache?: SeriesCache
  /** How the spec's strategy is found (default: the built-in registry; a user strategy's worker injects its own). */
  readonly resolveStrategy?: StrategyResolver
}

/** Exact classes of a range of strategy points, local to one call (see sim-plan.ts mergeClasses). */
export interface PointClasses {
  /** Local class of each point of the range. */
  readonly classOf: Int32Array
  /** Exact key of each local class. */
  readonly keys: readonly string[]
}

export interface SweepRunner {
  readonly plan: SweepPlan
  readonly comboCount: number
  readonly fromBar: number
  readonly toBar: number
  /** Writes (end − start) × METRIC_COUNT metrics into `out`, in combo order. */
  runRange(start: number, end: number, out: Float64Array): RangeStats
  stats(): RunnerStats
  /** Strategy points: the product of the strategy dims' sizes. */
  readonly pointCount: number
  /** False when every point is its own class (classKeys would only echo the params). */
  readonly plansClasses: boolean
  classKeys(startPoint: number, endPoint: number): PointClasses
  /**
   * Runs each listed combo through the kernel (no de-duplication), row k → out[k·METRIC_COUNT…];
   * with `blockStats`, also reduces combo k's daily returns to the CSCV's per-block numbers at
   * blockStats.stats[k · blocks · PBO_STATS…] (columnStatsInto: what CscvMatrix.setColumn would
   * keep of them; a column with a non-finite return is marked unusable).
   */
  runSims(combos: ArrayLike<number>, out: Float64Array, blockStats?: BlockStatsOut): void
  /** Daily returns per backtest of the trading window (every combo has the same number). */
  readonly dayCount: number
  /**
   * runSims that also writes combo k's daily returns to daily[k·dayCount…(k+1)·dayCount)
   * (the robustness report's per-period return columns; not a hot path).
   */
  runSimsDaily(combos: ArrayLike<number>, out: Float64Array, daily: Float64Array, blockStats?: BlockStatsOut): void
}

/**
 * UTC days the metrics accumulator returns for bars [fromBar, toBar): from the first bar's day to
 * the last bar's day, days without bars included (they carry equity forward, a zero return).
 */
export function dayCountOf(series: CandleSeries, fromBar: number, toBar: number): number {
  return Math.floor(series.time[toBar - 1]! / DAY_MS) - Math.floor(series.time[fromBar]! / DAY_MS) + 1
}

function pickSource(
  series: CandleSeries,
  plan: SweepPlan,
  store: SignalStore,
  from: number,
  to: number,
  opts: RunnerOptions,
): SignalSource<Params> {
  const def = plan.strategy
  if (opts.cache !== undefined && opts.cache.series !== series) throw new Error('sweep runner: the cache belongs to another series')
  // A fast path repeats its strategy's rule, so the definition brings it (written for that
  // version of the rule); the runner never asks which strategy it runs.
  if (opts.signals !== 'plain' && def.sweepSource !== undefined) {
    return def.sweepSource({ series, store, fromBar: from, toBar: to, cache: opts.cache })
  }
  return genericSource(series, def, store)
}

export function createSweepRunner(series: CandleSeries, spec: SweepSpec, opts: RunnerOptions = {}): SweepRunner {
  const plan = planSweep(spec, opts.resolveStrategy)
  const n = series.close.length
  const fromBar = plan.fromBar ?? 0
  const toBar = plan.toBar ?? n
  if (toBar > n || fromBar >= toBar) throw new RangeError(`sweep window [${fromBar}, ${toBar}) outside the series of ${n} bars`)

  const store = new SignalStore(fromBar, toBar, opts.signalBudgetBytes ?? 64 * 1024 * 1024)
  const source = pickSource(series, plan, store, fromBar, toBar, opts)
  const ws = createWorkspace()
  const maxCachedRows = opts.maxCachedRows ?? 1_000_000

  const dims = plan.dims
  const stratDims = dims.map((d, i) => (d.target === 'strategy' ? i : -1)).filter((i) => i >= 0)
  const execDims = dims.map((d, i) => (d.target === 'exec' ? i : -1)).filter((i) => i >= 0)
  const execCount = execDims.reduce((a, i) => a * plan.sizes[i]!, 1)
  const digits = new Int32Array(dims.length)

  const idOfStrat = new Map<number, number>()
  const kernelOfExec = new Map<number, KernelParams>()
  const rowSlot = new Map<number, number>()
  let rowPool = new Float64Array(1024 * METRIC_COUNT)
  let totalSimulated = 0
  let totalCopied = 0

  const stratKeyOf = (d: Int32Array): number => {
    let k = 0
    for (const i of stratDims) k = k * plan.sizes[i]! + d[i]!
    return k
  }
  const execKeyOf = (d: Int32Array): number => {
    let k = 0
    for (const i of execDims) k = k * plan.sizes[i]! + d[i]!
    return k
  }
  const paramsOf = (d: Int32Array): Params => {
    const p: Record<string, number> = { ...plan.baseParams }
    for (const i of stratDims) p[dims[i]!.key] = dims[i]!.values[d[i]!] as number
    return p
  }
  const kernelOf = (eKey: number, d: Int32Array): KernelParams => {
    let kp = kernelOfExec.get(eKey)
    if (kp === undefined) {
      kp = compileExecConfig(
        applyExec(
          plan.exec,
          execDims.map((i) => dims[i]!.key),
          execDims.map((i) => dims[i]!.values[d[i]!]!),
        ),
        UPBIT_KRW_RULES,
      )
      kernelOfExec.set(eKey, kp)
    }
    return kp
  }

  function runRange(start: number, end: number, out: Float64Array): RangeStats {
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= plan.comboCount)) {
      throw new RangeError(`combo range [${start}, ${end}) outside [0, ${plan.comboCount})`)
    }
    if (out.length < (end - start) * METRIC_COUNT)
      throw new RangeError(`out holds ${out.length} numbers, need ${(end - start) * METRIC_COUNT}`)
    // Group the range by strategy params: each signal array is then fetched once.
    const groups = new Map<number, number[]>()
    for (let c = start; c < end; c++) {
      decodeCombo(plan.sizes, c, digits)
      const sKey = stratKeyOf(digits)
      const g = groups.get(sKey)
      if (g === undefined) groups.set(sKey, [c])
      else g.push(c)
    }
    let simulated = 0
    let copied = 0
    for (const [sKey, combos] of groups) {
      decodeCombo(plan.sizes, combos[0]!, digits)
      let id = idOfStrat.get(sKey)
      if (id === undefined) {
        id = source.idFor(paramsOf(digits))
        idOfStrat.set(sKey, id)
      }
      let signals: Int8Array | undefined
      for (const c of combos) {
        decodeCombo(plan.sizes, c, digits)
        const eKey = execKeyOf(digits)
        const rowKey = id * execCount + eKey
        const off = (c - start) * METRIC_COUNT
        const slot = rowSlot.get(rowKey)
        if (slot !== undefined) {
          out.set(rowPool.subarray(slot * METRIC_COUNT, (slot + 1) * METRIC_COUNT), off)
          copied++
          continue
        }
        signals ??= source.get(id)
        backtestMetricsInto(series, signals, kernelOf(eKey, digits), fromBar, toBar, ws, out, off)
        simulated++
        if (rowSlot.size < maxCachedRows) {
          const s = rowSlot.size
          if ((s + 1) * METRIC_COUNT > rowPool.length) {
            const bigger = new Float64Array(rowPool.length * 2)
            bigger.set(rowPool)
            rowPool = bigger
          }
          rowPool.set(out.subarray(off, off + METRIC_COUNT), s * METRIC_COUNT)
          rowSlot.set(rowKey, s)
        }
      }
    }
    totalSimulated += simulated
    totalCopied += copied
    return { simulated, copied }
  }

  const stratSizes = stratDims.map((i) => plan.sizes[i]!)
  const pointCount = stratSizes.reduce((a, b) => a * b, 1)
  const pointDigits = new Int32Array(stratDims.length)
  // One params object rewritten per point: class keys read params and keep nothing of them.
  const pointParams: Record<string, number> = { ...plan.baseParams }
  const paramsOfPoint = (point: number): Params => {
    decodeCombo(stratSizes, point, pointDigits)
    for (let j = 0; j < stratDims.length; j++) {
      const d = dims[stratDims[j]!]!
      pointParams[d.key] = d.values[pointDigits[j]!] as number
    }
    return pointParams
  }

  function classKeys(startPoint: number, endPoint: number): PointClasses {
    if (!(
      Number.isInteger(startPoint) &&
      Number.isInteger(endPoint) &&
      0 <= startPoint &&
      startPoint <= endPoint &&
      endPoint <= pointCount
    )) {
      throw new RangeError(`point range [${startPoint}, ${endPoint}) outside [0, ${pointCount})`)
    }
    const classOf = new Int32Array(endPoint - startPoint)
    const keys: string[] = []
    const local = new Map<string, number>()
    for (let p = startPoint; p < endPoint; p++) {
      const params = paramsOfPoint(p)
      // Without a class key the params are the key (points are distinct by construction).
      const key = source.classKey !== undefined ? source.classKey(params) : `p${p}`
      let c = local.get(key)
      if (c === undefined) {
        c = keys.length
        keys.push(key)
        local.set(key, c)
      }
      classOf[p - startPoint] = c
    }
    return { classOf, keys }
  }

  const simSignals = new Int8Array(n)
  const dayCount = dayCountOf(series, fromBar, toBar)
  let dayScratch: Float64Array | undefined
  function simsInto(combos: ArrayLike<number>, out: Float64Array, daily: Float64Array | null, blockStats?: BlockStatsOut): void {
    if (out.length < combos.length * METRIC_COUNT)
      throw new RangeError(`out holds ${out.length} numbers, need ${combos.length * METRIC_COUNT}`)
    if (daily !== null && daily.length < combos.length * dayCount)
      throw new RangeError(`daily holds ${daily.length} numbers, need ${combos.length * dayCount}`)
    const blocks = blockStats?.blocks ?? 0
    const blockLen = blockStats === undefined ? 0 : checkPboShape(dayCount, blocks)
    const width = blocks * PBO_STATS
    if (blockStats !== undefined && blockStats.stats.length < combos.length * width)
      throw new RangeError(`blockStats holds ${blockStats.stats.length} numbers, need ${combos.length * width}`)
    // Without a daily output, the block numbers are reduced from one scratch day array.
    if (blockStats !== undefined && daily === null) dayScratch ??= new Float64Array(dayCount)
    let lastPoint = -1
    try {
      for (let k = 0; k < combos.length; k++) {
        const c = combos[k]!
        if (!(Number.isInteger(c) && c >= 0 && c < plan.comboCount)) throw new RangeError(`combo ${c} outside [0, ${plan.comboCount})`)
        decodeCombo(plan.sizes, c, digits)
        const point = stratKeyOf(digits)
        // The coordinator orders sims by point, so one materialisation serves its exec variants.
        if (point !== lastPoint) {
          source.signalsInto(paramsOf(digits), simSignals)
          lastPoint = point
        }
        // The accumulator writes day d of this backtest to dailyOut[d] (the lead's hook).
        const days = daily !== null ? daily.subarray(k * dayCount, (k + 1) * dayCount) : blockStats !== undefined ? dayScratch! : null
        ws.acc.dailyOut = days
        backtestMetricsInto(series, simSignals, kernelOf(execKeyOf(digits), digits), fromBar, toBar, ws, out, k * METRIC_COUNT)
        if (days !== null && ws.acc.dayCount !== dayCount)
          throw new Error(`runSims: the backtest returned ${ws.acc.dayCount} days, expected ${dayCount}`)
        if (blockStats !== undefined) columnStatsInto(days!, blocks, blockLen, blockStats.stats, k * width)
      }
    } finally {
      ws.acc.dailyOut = null
    }
    totalSimulated += combos.length
  }
  const runSims = (combos: ArrayLike<number>, out: Float64Array, blockStats?: BlockStatsOut): void =>
    simsInto(combos, out, null, blockStats)
  const runSimsDaily = (combos: ArrayLike<number>, out: Float64Array, daily: Float64Array, blockStats?: BlockStatsOut): void =>
    simsInto(combos, out, daily, blockStats)

  return {
    plan,
    comboCount: plan.comboCount,
    fromBar,
    toBar,
    runRange,
    stats: () => ({ simulated: totalSimulated, copied: totalCopied, distinctSignals: store.distinct }),
    pointCount,
    plansClasses: source.classKey !== undefined,
    classKeys,
    runSims,
    dayCount,
    runSimsDaily,
  }
}
