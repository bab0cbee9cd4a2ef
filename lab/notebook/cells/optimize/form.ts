// The grid editor's rows, generated from schemas: one per strategy parameter (its ParamSpec) and
// one per execution setting a sweep may vary (the backtest cell's EXEC_SPECS). A row is fixed at
// a value or varies over a range or a list; rates are stored as fractions and edited in percent.
import type { StrategyDef } from '../../../../shared/strategies/index.ts'
import { EXEC_SPECS } from '../backtest/form.ts'
import { axisCount } from './grid.ts'
import { EXEC_AXIS_KEYS, type Axis, type ExecAxisKey, type OptimizeParams } from './params.ts'

export interface AxisRowModel {
  readonly key: string
  readonly label: string
  readonly unit: string
  /** Group heading ("Ensemble weights", "Member: momentum", "Execution"). */
  readonly group: string
  readonly min: number
  readonly max: number
  readonly step: number
  readonly integer: boolean
  /** Display = stored × scale (100 for rates). */
  readonly scale: number
  /** The fixed value (stored units). */
  readonly value: number
  readonly default: number
  readonly axis: Axis | null
  /** Values of the axis (NaN when malformed), 1 when fixed. */
  readonly count: number
  readonly title?: string
}

function groupOf(def: StrategyDef, name: string): string {
  const dot = name.indexOf('.')
  if (dot < 0) return def.id === 'ensemble' ? 'Decision' : 'Parameters'
  const head = name.slice(0, dot)
  return head === 'w' ? 'Ensemble weights' : `Member: ${head}`
}

export function strategyRows(def: StrategyDef, p: OptimizeParams): AxisRowModel[] {
  return def.params.map((s) => {
    const axis = p.axes[s.name] ?? null
    return {
      key: s.name,
      label: s.label,
      unit: s.unit,
      group: groupOf(def, s.name),
      min: s.min,
      max: s.max,
      step: s.step,
      integer: s.integer,
      scale: 1,
      value: p.values[s.name] ?? s.default,
      default: s.default,
      axis,
      count: axis === null ? 1 : axisCount(axis),
    }
  })
}

export function execRows(p: OptimizeParams, defaults: OptimizeParams['exec']): AxisRowModel[] {
  return EXEC_AXIS_KEYS.map((k) => {
    const s = EXEC_SPECS[k]
    const axis = p.execAxes[k] ?? null
    return {
      key: k,
      label: s.label,
      unit: s.unit,
      group: 'Execution',
      min: s.min,
      max: s.max,
      step: s.step,
      integer: s.integer ?? false,
      scale: s.pct === true ? 100 : 1,
      value: p.exec[k],
      default: defaults[k],
      axis,
      count: axis === null ? 1 : axisCount(axis),
      ...(s.title === undefined ? {} : { title: s.title }),
    }
  })
}

/** Stored → display units, without float noise (0.0005 × 100 = 0.05). */
export const shown = (r: Pick<AxisRowModel, 'scale'>, x: number): number => Number((x * r.scale).toPrecision(12))
/** Display → stored units. */
export const stored = (r: Pick<AxisRowModel, 'scale'>, x: number): number => Number((x / r.scale).toPrecision(12))

/** A first axis when a fixed row starts to vary: about five values around its value. */
export function startAxis(r: AxisRowModel, mode: Axis['mode']): Axis {
  if (mode === 'list') return { mode: 'list', values: [r.value] }
  const lo = Math.max(r.min, Number((r.value - 2 * r.step).toPrecision(12)))
  const hi = Math.min(r.max, Number((lo + 4 * r.step).toPrecision(12)))
  return { mode: 'range', min: lo, max: hi, step: r.step }
}

/** "0, 0.5, 1" (display units) → stored values; null when a part is not a number. */
export function parseList(text: string, r: Pick<AxisRowModel, 'scale'>): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '')
  if (parts.length === 0) return null
  const out: number[] = []
  for (const x of parts) {
    const n = Number(x)
    if (!Number.isFinite(n)) return null
    out.push(stored(r, n))
  }
  return out
}

export const listText = (values: readonly number[], r: Pick<AxisRowModel, 'scale'>): string => values.map((x) => shown(r, x)).join(', ')

/** The params with `key`'s axis set (null: fixed again). */
export function withAxis(p: OptimizeParams, key: string, axis: Axis | null, exec: boolean): OptimizeParams {
  if (exec) {
    const execAxes = { ...p.execAxes }
    if (axis === null) delete execAxes[key as ExecAxisKey]
    else execAxes[key as ExecAxisKey] = axis
    return { ...p, execAxes, confirmedCombos: null }
  }
  const axes = { ...p.axes }
  if (axis === null) delete axes[key]
  else axes[key] = axis
  return { ...p, axes, confirmedCombos: null }
}

/** The params with `key`'s fixed value set. */
export function withValue(p: OptimizeParams, key: string, value: number, exec: boolean): OptimizeParams {
  if (exec) return { ...p, exec: { ...p.exec, [key]: value } }
  return { ...p, values: { ...p.values, [key]: value } }
}

/** Grid presets of the seed strategies (any data: presets are only grids). */
export interface GridPreset {
  readonly id: string
  readonly label: string
  readonly strategy: string
  readonly axes: OptimizeParams['axes']
  readonly execAxes: OptimizeParams['execAxes']
}

const W = [0, 0.5, 1]

export const GRID_PRESETS: readonly GridPreset[] = [
  {
    id: 'small',
    label: 'Small ensemble (45)',
    strategy: 'ensemble',
    axes: {
      'w.trend': { mode: 'list', values: W },
      'w.momentum': { mode: 'list', values: W },
      threshold: { mode: 'range', min: 0.1, max: 0.5, step: 0.1 },
    },
    execAxes: {},
  },
  {
    id: 'w1',
    label: 'W1: ensemble weights × threshold (7,290)',
    strategy: 'ensemble',
    axes: {
      'w.trend': { mode: 'list', values: W },
      'w.momentum': { mode: 'list', values: W },
      'w.swing': { mode: 'list', values: W },
      'w.scalping': { mode: 'list', values: W },
      'w.day': { mode: 'list', values: W },
      'w.price-action': { mode: 'list', values: W },
      threshold: { mode: 'range', min: 0.05, max: 0.5, step: 0.05 },
    },
    execAxes: {},
  },
  {
    id: 'w2',
    label: 'W2: RSI × stop-loss (12,584)',
    strategy: 'rsi',
    axes: {
      period: { mode: 'range', min: 5, max: 30, step: 1 },
      oversold: { mode: 'range', min: 20, max: 40, step: 2 },
      overbought: { mode: 'range', min: 60, max: 80, step: 2 },
    },
    execAxes: { stopLossRate: { mode: 'list', values: [0, 0.01, 0.02, 0.03] } },
  },
]
