// What an optimize cell's output offers to code cells below: the ranked combos as a table (rank,
// combo index, the grid values, every metric; the top rows the cell keeps, best first) and the
// sweep's label, verdict and headline figures as values.
import { METRIC_COUNT, METRIC_NAMES } from '../../../../shared/metrics/types.ts'
import { decodeCombo } from '../../../../shared/optimize/grid.ts'
import type { CellExports } from '../types.ts'
import type { OptimizeOutput } from './output.ts'

export function optimizeExports(o: OptimizeOutput): CellExports {
  const n = o.top.combos.length
  const cols: Record<string, (number | string)[]> = { rank: [], combo: [] }
  for (const d of o.plan.dims) cols[d.name] = []
  for (const m of METRIC_NAMES) cols[m] = []
  const digits = new Int32Array(o.plan.dims.length)
  for (let i = 0; i < n; i++) {
    const c = o.top.combos[i]!
    cols.rank!.push(i + 1)
    cols.combo!.push(c)
    decodeCombo(o.plan.sizes, c, digits)
    o.plan.dims.forEach((d, k) => cols[d.name]!.push(d.values[digits[k]!]!))
    METRIC_NAMES.forEach((m, k) => cols[m]!.push(o.rows[c * METRIC_COUNT + k]!))
  }
  const r = o.robustness
  return {
    tables: { ranked: cols },
    values: {
      label: o.labelText,
      sweepId: o.sweepId,
      objective: o.plan.objective,
      combos: o.plan.comboCount,
      ranked: o.top.ranked,
      verdict: o.verdict.kind,
      verdictReasons: [...o.verdict.reasons],
      pbo: r?.pbo.pbo ?? null,
      dsrProbability: r?.dsr.dsr ?? null,
      oosSharpe: o.validation?.result.metrics.sharpe ?? null,
    },
  }
}
