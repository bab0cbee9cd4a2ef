// The full table of a sweep as CSV and JSON, written by the shared results writer (the CLI's
// files, same columns and conventions: an empty CSV cell and a `status` entry for NaN / ±∞; in
// JSON null / "Infinity"). The JSON's `data` carries the sweep's label (its full spec and the
// data's identity, README "Optimize cell") and `validation` the out-of-sample check with the
// verdict; the holdout's per-combo out-of-sample rows ride along in `validation.oos`.
import { METRIC_COUNT, METRIC_INDEX } from '../../../../shared/metrics/types.ts'
import { collectText, jsonNumber, writeResultsCsv, writeResultsJson } from '../../../../shared/optimize/index.ts'
import type { ResultsDocument } from '../../../../shared/optimize/index.ts'
import type { OptimizeOutput } from './output.ts'
import { validationJson } from './output.ts'

/** Top combos listed in the JSON's `top` (every row is in `rows`). */
const JSON_TOP = 20

export function fileStem(out: OptimizeOutput): string {
  const d = out.label.data
  return `optimize-${out.plan.strategy.id}-${d.market}-${d.timeframe}-${out.sweepId || 'sweep'}`.replace(/[^\w.-]+/g, '-')
}

export function resultsDocument(out: OptimizeOutput): ResultsDocument {
  const v = validationJson(out.label.validation, out) as Record<string, unknown>
  const oos = out.validation?.kind === 'holdout' ? out.validation.oosRows : null
  if (oos !== null) {
    const rows: (number | string | null)[][] = []
    for (let c = 0; c < out.plan.comboCount; c++) {
      const t = oos[c * METRIC_COUNT + METRIC_INDEX.trades]!
      if (Number.isNaN(t)) continue
      rows.push([
        c,
        jsonNumber(oos[c * METRIC_COUNT + METRIC_INDEX.totalReturn]!),
        jsonNumber(oos[c * METRIC_COUNT + METRIC_INDEX.sharpe]!),
        t,
      ])
    }
    v.oos = { columns: ['combo', 'totalReturn', 'sharpe', 'trades'], rows }
  }
  return {
    plan: out.plan,
    spec: out.spec,
    rows: out.rows,
    data: { ...out.label.data, label: out.labelText, sweepLabel: out.label },
    bars: out.source.series.time.length,
    simulated: out.robustness?.simCount ?? out.progress.simCount,
    elapsedMs: out.progress.elapsedMs,
    workers: out.workers,
    top: Array.from(out.top.combos.subarray(0, JSON_TOP), (combo) => ({
      combo,
      score: out.rows[combo * METRIC_COUNT + METRIC_INDEX[out.plan.objective]]!,
    })),
    robustness: out.robustness,
    validation: v,
    sweepId: out.sweepId,
  }
}

/** The file's text in pieces (a Blob takes them as they are: no single huge string). */
export function exportParts(kind: 'csv' | 'json', out: OptimizeOutput): string[] {
  return collectText((sink) => (kind === 'csv' ? writeResultsCsv(sink, out.plan, out.rows) : writeResultsJson(sink, resultsDocument(out))))
}

export function downloadParts(name: string, parts: string[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
