// A combo index → its grid values, full strategy params and ExecConfig (for result tables and
// for re-running a combo with runBacktest to get its traces).
import type { ExecConfig } from '../engine/types.ts'
import type { Params } from '../strategies/types.ts'
import { applyExec } from './exec-params.ts'
import { decodeCombo } from './grid.ts'
import type { SweepPlan } from './validate.ts'

export interface Combo {
  readonly index: number
  /** Grid key (as written in the spec) → value. */
  readonly values: Readonly<Record<string, number | string>>
  /** Full strategy params (base params with the combo's strategy values). */
  readonly params: Params
  readonly exec: ExecConfig
}

export function comboAt(plan: SweepPlan, index: number): Combo {
  if (!Number.isInteger(index) || index < 0 || index >= plan.comboCount) {
    throw new Error(`combo index ${index} outside [0, ${plan.comboCount})`)
  }
  const digits = decodeCombo(plan.sizes, index, new Int32Array(plan.dims.length))
  const values: Record<string, number | string> = {}
  const params: Record<string, number> = { ...plan.baseParams }
  const execKeys: string[] = []
  const execValues: (number | string)[] = []
  plan.dims.forEach((d, i) => {
    const v = d.values[digits[i]!]!
    values[d.name] = v
    if (d.target === 'strategy') params[d.key] = v as number
    else {
      execKeys.push(d.key)
      execValues.push(v)
    }
  })
  return { index, values, params, exec: applyExec(plan.exec, execKeys, execValues) }
}
