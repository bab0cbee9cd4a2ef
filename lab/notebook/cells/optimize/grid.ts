// From the cell's inputs to the shared optimizer's sweep spec: the grid in a fixed order (the
// strategy's parameters in schema order, then the execution axes, then the order type), the
// combo count before anything is enumerated (ranges are counted arithmetically, so a typo in a
// step is caught at once), and the windows of the out-of-sample check.
import { DAY_MS } from '../../../../shared/candles/index.ts'
import { rangeCount } from '../../../../shared/optimize/grid.ts'
import type { GridSpec, GridValues } from '../../../../shared/optimize/grid.ts'
import { holdoutWindow, validateSweep, walkForwardWindows } from '../../../../shared/optimize/index.ts'
import type { Constraints, SweepSpec, WindowBounds } from '../../../../shared/optimize/index.ts'
import type { StrategyDef } from '../../../../shared/strategies/index.ts'
import { toExecConfig } from '../backtest/params.ts'
import { EXEC_AXIS_KEYS, type Axis, type OptimizeParams, type Validation } from './params.ts'
import { labResolver, missingUserMessage, strategyOf, userHashOf } from './strategy.ts'

/** One factor of the combo count: a grid dimension's name and how many values it has. */
export interface GridFactor {
  readonly name: string
  readonly count: number
}

export interface GridCount {
  /** The product of the factors (1 for an empty grid); NaN when an axis is malformed. */
  readonly count: number
  readonly factors: readonly GridFactor[]
  /** What is wrong with an axis, in words (empty when the count is good). */
  readonly problems: readonly string[]
}

/** Values of an axis (a range enumerated exactly, 0.05 · 3 = 0.15); call axisCount first for big ones. */
export function axisCount(a: Axis): number {
  if (a.mode === 'list') return a.values.length
  try {
    return rangeCount(a)
  } catch {
    return Number.NaN
  }
}

const gridValuesOf = (a: Axis): GridValues => (a.mode === 'list' ? a.values : { min: a.min, max: a.max, step: a.step })

/** The grid name of an execution key: plain, unless the strategy has a parameter of that name. */
export const execGridName = (def: StrategyDef | undefined, key: string): string =>
  def?.params.some((p) => p.name === key) === true ? `exec.${key}` : key

/** The grid, in the one order the combo indices follow (the last key varies fastest). */
export function gridOf(p: OptimizeParams): GridSpec {
  const def = strategyOf(p)
  const grid: Record<string, GridValues> = {}
  for (const spec of def?.params ?? []) {
    const a = p.axes[spec.name]
    if (a !== undefined) grid[spec.name] = gridValuesOf(a)
  }
  for (const k of EXEC_AXIS_KEYS) {
    const a = p.execAxes[k]
    if (a !== undefined) grid[execGridName(def, k)] = gridValuesOf(a)
  }
  if (p.orderTypes.length > 1) grid[execGridName(def, 'orderType')] = [...p.orderTypes]
  return grid
}

/** The combo count as the user edits: every factor, and the problems that make it unknown. */
export function gridCount(p: OptimizeParams): GridCount {
  const def = strategyOf(p)
  const factors: GridFactor[] = []
  const problems: string[] = []
  const add = (name: string, a: Axis, label: string): void => {
    const n = axisCount(a)
    if (!Number.isFinite(n)) problems.push(`${label}: the range needs min ≤ max and a step > 0`)
    factors.push({ name, count: n })
  }
  for (const spec of def?.params ?? []) {
    const a = p.axes[spec.name]
    if (a !== undefined) add(spec.name, a, spec.label)
  }
  for (const k of EXEC_AXIS_KEYS) {
    const a = p.execAxes[k]
    if (a !== undefined) add(execGridName(def, k), a, k)
  }
  if (p.orderTypes.length > 1) factors.push({ name: 'orderType', count: p.orderTypes.length })
  const count = problems.length > 0 ? Number.NaN : factors.reduce((n, f) => n * f.count, 1)
  return { count, factors, problems }
}

/** The ranking's constraints (min trades always, max drawdown when set). */
export function constraintsOf(p: OptimizeParams): Constraints {
  return p.maxDrawdown === null ? { minTrades: p.minTrades } : { minTrades: p.minTrades, maxDrawdown: p.maxDrawdown }
}

/** The sweep spec of the inputs over the trading window [fromBar, toBar) (default: every bar). */
export function specOf(p: OptimizeParams, window?: { readonly fromBar: number; readonly toBar: number }): SweepSpec {
  const def = strategyOf(p)
  const baseParams: Record<string, number> = {}
  for (const spec of def?.params ?? []) {
    const x = p.values[spec.name]
    if (x !== undefined && p.axes[spec.name] === undefined) baseParams[spec.name] = x
  }
  const hash = userHashOf(p)
  return {
    strategyId: p.strategy,
    ...(hash === undefined ? {} : { strategyHash: hash }),
    baseParams,
    grid: gridOf(p),
    exec: toExecConfig({ ...p.exec, orderType: p.orderTypes[0]! }),
    objective: p.objective,
    constraints: constraintsOf(p),
    ...(window === undefined ? {} : { fromBar: window.fromBar, toBar: window.toBar }),
  }
}

/** The shared validator's words for the inputs (empty when the sweep can run). */
export function problemsOf(p: OptimizeParams): string[] {
  const c = gridCount(p)
  if (c.problems.length > 0) return [...c.problems]
  const missing = missingUserMessage(p)
  if (missing !== null) return [missing]
  const r = validateSweep(specOf(p), labResolver)
  return r.ok ? [] : r.errors
}

/** The out-of-sample windows over `bars` bars, or the reason there are none. */
export function windowsOf(v: Validation, bars: number): { readonly windows: WindowBounds[] } | { readonly error: string } {
  try {
    if (v.kind === 'none') return { windows: [] }
    if (v.kind === 'holdout') return { windows: [holdoutWindow(bars, v.testFraction, 0, bars)] }
    const windows = walkForwardWindows(bars, {
      trainBars: v.trainBars,
      testBars: v.testBars,
      ...(v.stepBars === null ? {} : { stepBars: v.stepBars }),
      anchored: v.anchored,
      firstBar: 0,
      lastBar: bars,
    })
    if (windows.length === 0)
      return { error: `no walk-forward window fits in ${bars} bars (train ${v.trainBars} + test ${v.testBars} bars)` }
    return { windows }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) }
  }
}

/** A bar count as a duration on a timeframe: "2,880 bars ≈ 2 days". */
export function barsAsTime(bars: number, barMs: number): string {
  const ms = bars * barMs
  if (ms >= DAY_MS) return `${Number((ms / DAY_MS).toFixed(1))} days`
  if (ms >= 3_600_000) return `${Number((ms / 3_600_000).toFixed(1))} h`
  return `${Math.round(ms / 60_000)} min`
}
