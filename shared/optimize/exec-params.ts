// Execution parameters a grid may vary: which keys exist, what values they accept, and building
// the ExecConfig of a combo from the base config plus the combo's overrides.
import type { ExecConfig, Sizing } from '../engine/types.ts'

/** Numeric ExecConfig fields; `…Rate` fields are fractions ≥ 0. */
export const EXEC_NUMBER_KEYS = [
  'initialCash',
  'feeRate',
  'slippageRate',
  'aggressivenessRate',
  'orderTtlBars',
  'stopLossRate',
  'takeProfitRate',
  'trailingStopRate',
  'minOrderQuote',
] as const

/** String-valued ExecConfig fields and their allowed values. */
export const EXEC_CHOICE_KEYS = {
  orderType: ['market', 'limit'],
  buyRounding: ['up', 'down', 'nearest'],
  sellRounding: ['up', 'down', 'nearest'],
} as const

/** Sizing fields, addressed as `sizing.<field>`; a field must belong to the base sizing kind. */
export const SIZING_FIELDS: Readonly<Record<Sizing['kind'], readonly string[]>> = {
  'all-in': ['feeBufferRate'],
  'fixed-quote': ['notionalQuote'],
  fraction: ['fractionRate'],
  kelly: ['winRate', 'payoffRatio', 'kellyFraction'],
  risk: ['riskRate', 'stopDistanceRate'],
}

export type ExecKey = string

/** Checks one exec value; returns an error message or undefined. */
export function checkExecValue(key: ExecKey, value: number | string, base: ExecConfig): string | undefined {
  if (key in EXEC_CHOICE_KEYS) {
    const allowed = EXEC_CHOICE_KEYS[key as keyof typeof EXEC_CHOICE_KEYS] as readonly string[]
    return typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a finite number, got ${JSON.stringify(value)}`
  if (value < 0) return `must be ≥ 0, got ${value}`
  if (key === 'orderTtlBars' && (!Number.isInteger(value) || value < 1)) return `must be an integer ≥ 1, got ${value}`
  if (key === 'initialCash' && value <= 0) return `must be > 0, got ${value}`
  if ((key === 'stopLossRate' || key === 'trailingStopRate') && value >= 1) return `must be < 1, got ${value}`
  if (key.startsWith('sizing.')) {
    const field = key.slice('sizing.'.length)
    const fields = SIZING_FIELDS[base.sizing.kind]
    if (!fields.includes(field)) {
      return `is not a field of the base sizing '${base.sizing.kind}' (fields: ${fields.join(', ')})`
    }
  }
  return undefined
}

/** True when `key` names an execution parameter (without the optional `exec.` prefix). */
export function isExecKey(key: string): boolean {
  if ((EXEC_NUMBER_KEYS as readonly string[]).includes(key) || key in EXEC_CHOICE_KEYS) return true
  if (key.startsWith('sizing.')) {
    const field = key.slice('sizing.'.length)
    return Object.values(SIZING_FIELDS).some((f) => f.includes(field))
  }
  return false
}

/** The base config with `keys[i] = values[i]` applied. Allocates one object per combo (not per bar). */
export function applyExec(base: ExecConfig, keys: readonly ExecKey[], values: readonly (number | string)[]): ExecConfig {
  if (keys.length === 0) return base
  const cfg: Record<string, unknown> = { ...base }
  let sizing: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (k.startsWith('sizing.')) {
      sizing ??= { ...base.sizing }
      sizing[k.slice('sizing.'.length)] = values[i]
    } else {
      cfg[k] = values[i]
    }
  }
  if (sizing !== undefined) cfg.sizing = sizing
  return cfg as unknown as ExecConfig
}
