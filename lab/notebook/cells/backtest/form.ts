// Form fields generated from schemas: a strategy's ParamSpecs and the execution settings below.
// One NumberField shape drives every input (number box + slider, min/max/step, unit, reset), so
// a new strategy or setting needs no UI code. Rates are stored as fractions and edited in percent
// (`scale` 100), because "0.05 %" is how fees are quoted.
import type { ParamSpec, StrategyDef } from '../../../../shared/strategies/index.ts'
import { EXEC_SPECS, SIZING_SPECS, type ExecNumberKey, type ExecSpec, type SizingValueKey } from './exec-schema.ts'
import { defaultExecParams, type ExecParams, type SizingKind, type SizingParams } from './params.ts'

export { EXEC_SPECS, SIZING_SPECS } from './exec-schema.ts'

export interface NumberField {
  readonly key: string
  readonly label: string
  readonly unit: string
  /** Stored value (a fraction for rates). */
  readonly value: number
  readonly default: number
  readonly min: number
  readonly max: number
  readonly step: number
  readonly integer: boolean
  /** Displayed value = stored × scale (100 for percentages). */
  readonly scale: number
  /** Whether a slider makes sense (bounded, not too many steps to be useless). */
  readonly slider: boolean
}

const isSliderRange = (min: number, max: number): boolean => Number.isFinite(min) && Number.isFinite(max) && max > min

/** One field per strategy parameter, valued from `values` (missing: the default). */
export function strategyFields(def: Pick<StrategyDef, 'params'>, values: Readonly<Record<string, number>>): NumberField[] {
  return def.params.map((p: ParamSpec) => ({
    key: p.name,
    label: p.label,
    unit: p.unit,
    value: values[p.name] ?? p.default,
    default: p.default,
    min: p.min,
    max: p.max,
    step: p.step,
    integer: p.integer,
    scale: 1,
    slider: isSliderRange(p.min, p.max),
  }))
}

/**
 * Parses what the user typed (in display units) into a stored value: clamped to [min, max],
 * integers rounded; null when it is not a number (the form keeps the old value).
 */
export function parseField(f: NumberField, typed: number): number | null {
  if (!Number.isFinite(typed)) return null
  let x = typed / f.scale
  // Undo float noise from the ×100 round trip (0.07 / 100 = 0.0007000000000000001).
  x = Number(x.toPrecision(12))
  if (f.integer) x = Math.round(x)
  return Math.min(f.max, Math.max(f.min, x))
}

/**
 * A value typed so far, when it is already a complete, valid entry: the text reads back as the
 * same number (no "2." or "0.0" on the way to more digits) and needs no clamping or rounding.
 * The box saves such values as they are typed; anything else waits for Enter or leaving the box.
 */
export function typedValue(f: NumberField, text: string, typed: number): number | null {
  if (text === '' || !Number.isFinite(typed) || String(typed) !== text) return null
  const v = parseField(f, typed)
  return v !== null && displayValue(f, v) === typed ? v : null
}

/** The display value of a stored one (percent for rates), without float noise. */
export const displayValue = (f: NumberField, stored: number): number => Number((stored * f.scale).toPrecision(12))

export const SIZING_LABELS: Readonly<Record<SizingKind, string>> = {
  'all-in': 'All in',
  'fixed-quote': 'Fixed KRW',
  fraction: 'Share of equity',
  kelly: 'Kelly',
  risk: 'Risk per trade',
}

const specField = (key: string, s: ExecSpec, value: number, def: number): NumberField => ({
  key,
  label: s.label,
  unit: s.unit,
  value,
  default: def,
  min: s.min,
  max: s.max,
  step: s.step,
  integer: s.integer ?? false,
  scale: s.pct === true ? 100 : 1,
  slider: false,
})

/** The numeric execution fields; the limit-only ones only for limit orders. */
export function execFields(e: ExecParams): NumberField[] {
  const d = defaultExecParams()
  const keys: ExecNumberKey[] = ['initialCash', 'feeRate', e.orderType === 'limit' ? 'aggressivenessRate' : 'slippageRate']
  if (e.orderType === 'limit') keys.push('orderTtlBars')
  keys.push('stopLossRate', 'takeProfitRate', 'trailingStopRate')
  return keys.map((k) => specField(k, EXEC_SPECS[k], e[k], d[k]))
}

/** The fields of the chosen sizing kind. */
export function sizingFields(s: SizingParams, defaults: SizingParams): NumberField[] {
  const own = s as unknown as Readonly<Record<string, number>>
  const def = defaults as unknown as Readonly<Record<string, number>>
  return (Object.keys(s).filter((k) => k !== 'kind') as SizingValueKey[]).map((k) =>
    specField(k, SIZING_SPECS[k], own[k]!, def[k] ?? own[k]!),
  )
}

export const fieldTitle = (f: NumberField): string | undefined => {
  const s = (EXEC_SPECS as Readonly<Record<string, ExecSpec>>)[f.key] ?? (SIZING_SPECS as Readonly<Record<string, ExecSpec>>)[f.key]
  return s?.title
}
