// The execution settings' one schema: label, unit, bounds and step of every number. The form
// (form.ts) draws its inputs from it and the cell's params (params.ts) validate against it, so a
// value the form cannot produce is also refused in an imported notebook, and the reverse.
import * as v from 'valibot'
import type { EXEC_NUMBER_KEYS } from '../../../../shared/optimize/exec-params.ts'

/** The engine's numeric settings (shared/optimize) but the exchange minimum, a venue fact and not a choice. */
export type ExecNumberKey = Exclude<(typeof EXEC_NUMBER_KEYS)[number], 'minOrderQuote'>

export const SIZING_VALUE_KEYS = [
  'feeBufferRate',
  'notionalQuote',
  'fractionRate',
  'winRate',
  'payoffRatio',
  'kellyFraction',
  'riskRate',
  'stopDistanceRate',
] as const
export type SizingValueKey = (typeof SIZING_VALUE_KEYS)[number]

export interface ExecSpec {
  readonly label: string
  readonly unit: string
  readonly min: number
  readonly max: number
  readonly step: number
  readonly integer?: boolean
  readonly pct?: boolean
  readonly title?: string
}

/** The execution settings (bounds as the engine's checkExecConfig accepts them). */
export const EXEC_SPECS: Readonly<Record<ExecNumberKey, ExecSpec>> = {
  initialCash: { label: 'Initial cash', unit: 'KRW', min: 5_000, max: 1e12, step: 100_000 },
  feeRate: {
    label: 'Fee',
    unit: '%',
    min: 0,
    max: 0.1,
    step: 0.0001,
    pct: true,
    title: 'Charged on the value of every fill (Upbit KRW: 0.05 %)',
  },
  slippageRate: {
    label: 'Slippage',
    unit: '%',
    min: 0,
    max: 0.5,
    step: 0.0001,
    pct: true,
    title: 'Market orders fill at open × (1 ± slippage)',
  },
  aggressivenessRate: {
    label: 'Aggressiveness',
    unit: '%',
    min: 0,
    max: 0.5,
    step: 0.0005,
    pct: true,
    title: 'Limit price = close × (1 ± aggressiveness), rounded to the KRW tick',
  },
  orderTtlBars: {
    label: 'Limit TTL',
    unit: 'bars',
    min: 1,
    max: 10_000,
    step: 1,
    integer: true,
    title: 'A limit order may fill on this many next bars, then it is cancelled',
  },
  stopLossRate: {
    label: 'Stop-loss',
    unit: '%',
    min: 0,
    max: 0.99,
    step: 0.001,
    pct: true,
    title: 'Exit at entry × (1 − stop-loss); 0 = off',
  },
  takeProfitRate: {
    label: 'Take-profit',
    unit: '%',
    min: 0,
    max: 100,
    step: 0.001,
    pct: true,
    title: 'Exit at entry × (1 + take-profit); 0 = off',
  },
  trailingStopRate: {
    label: 'Trailing stop',
    unit: '%',
    min: 0,
    max: 0.99,
    step: 0.001,
    pct: true,
    title: 'Exit at peak × (1 − trailing); 0 = off',
  },
}

export const SIZING_SPECS: Readonly<Record<SizingValueKey, ExecSpec>> = {
  feeBufferRate: {
    label: 'Fee buffer',
    unit: '%',
    min: 0,
    max: 0.5,
    step: 0.0001,
    pct: true,
    title: 'Cash kept back so the buy plus its fee fits',
  },
  notionalQuote: { label: 'Order value', unit: 'KRW', min: 5_000, max: 1e12, step: 10_000 },
  fractionRate: { label: 'Share of equity', unit: '%', min: 0.0001, max: 1, step: 0.01, pct: true },
  winRate: { label: 'Win rate (p)', unit: '%', min: 0, max: 1, step: 0.01, pct: true },
  payoffRatio: { label: 'Payoff ratio (b)', unit: '×', min: 0.01, max: 100, step: 0.1 },
  kellyFraction: {
    label: 'Kelly fraction',
    unit: '%',
    min: 0.01,
    max: 1,
    step: 0.05,
    pct: true,
    title: 'Share of the full Kelly stake f* = (p·b − (1 − p)) / b',
  },
  riskRate: {
    label: 'Risk per trade',
    unit: '%',
    min: 0.0001,
    max: 1,
    step: 0.001,
    pct: true,
    title: 'Equity lost if the stop below is hit',
  },
  stopDistanceRate: { label: 'Stop distance', unit: '%', min: 0.0001, max: 0.9999, step: 0.001, pct: true },
}

/** The validator of one setting: finite, within [min, max], an integer where the spec says so. */
export function specNumber(s: ExecSpec): v.GenericSchema<number> {
  const n = v.pipe(v.number(), v.finite(), v.minValue(s.min), v.maxValue(s.max))
  return s.integer === true ? v.pipe(n, v.integer()) : n
}
