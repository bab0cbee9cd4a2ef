// The CLI's overfitting checks after a sweep: the robustness report (deflated Sharpe, PBO by CSCV,
// plateau / fragility; shared/optimize/robust/report.ts) and the optional walk-forward or holdout
// validation, whose train sweeps run on the same worker pool. The validation's JSON form (NaN →
// null, ±Infinity → strings, as in the results writer) and the short text printed under the top
// combos.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { holdoutWindow, planSweep, runWindowsWith, walkForwardWindows } from '../../shared/optimize/index.ts'
import type { RobustnessReport, SweepSpec, WalkForwardResult, WindowBounds } from '../../shared/optimize/index.ts'
import { jsonValue } from '../../shared/optimize/results/index.ts'
import type { Validation } from './config.ts'
import type { NodeSweepPool } from './pool.ts'

function f(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '—'
}

export function formatRobustness(r: RobustnessReport): string {
  if (r.best === null) return `robustness: ${r.note ?? 'no combo ranks'}\n`
  const d = r.dsr
  const p = r.pbo
  const pl = r.plateau
  return (
    `robustness of combo ${r.best.combo}:\n` +
    `  deflated Sharpe ${f(d.dsr)} (PSR vs 0 ${f(d.psr)}; SR ${f(d.sharpe, 4)}/day vs SR0 ${f(d.expectedMaxSharpe, 4)}/day expected from ${d.trials} distinct trials, T = ${d.observations} days)\n` +
    `  PBO ${f(p.pbo)} (CSCV, ${p.blocks} blocks, ${p.splits} splits, ${p.columns}/${p.candidates} columns; median logit ${f(p.logits.median, 2)})${p.note ? ` [${p.note}]` : ''}\n` +
    `  plateau ${f(pl.plateau)} vs peak ${f(pl.peak)} (${pl.neighbours} scores), fragility ${f(pl.fragility)}\n`
  )
}

/** The validation's windows over the sweep's trading window [fromBar, toBar). */
export function validationWindows(bars: number, spec: SweepSpec, v: Validation): WindowBounds[] {
  const first = spec.fromBar ?? 0
  const last = spec.toBar ?? bars
  if (v.kind === 'holdout') return [holdoutWindow(bars, v.testFraction, first, last)]
  const windows = walkForwardWindows(bars, {
    trainBars: v.trainBars,
    testBars: v.testBars,
    stepBars: v.stepBars,
    anchored: v.anchored,
    firstBar: first,
    lastBar: last,
  })
  if (windows.length === 0)
    throw new RangeError(`walkForward: no window fits in bars [${first}, ${last}) (train ${v.trainBars} + test ${v.testBars})`)
  return windows
}

/** Runs every train sweep on the pool (one after another), then stitches the test windows. */
export function runValidation(
  pool: NodeSweepPool,
  series: CandleSeries,
  spec: SweepSpec,
  windows: readonly WindowBounds[],
): Promise<WalkForwardResult> {
  return runWindowsWith(series, spec, windows, async (s) => {
    const r = await pool.run(series, s)
    return { plan: planSweep(s), rows: r.rows, distinctTrials: r.simulated }
  })
}

export function validationJson(v: Validation, r: WalkForwardResult): unknown {
  return jsonValue({
    ...v,
    windows: r.windows.map((w) => ({
      ...w.bounds,
      chosen: w.chosen === null ? null : { combo: w.chosen.index, values: w.chosen.values },
      trainScore: w.trainScore,
      distinctTrials: w.distinctTrials,
      testMetrics: w.testMetrics,
    })),
    testBars: r.equity.length,
    finalEquity: r.equity.length > 0 ? r.equity[r.equity.length - 1]! : NaN,
    metrics: r.metrics,
  })
}

export function formatValidation(v: Validation, r: WalkForwardResult): string {
  const head =
    v.kind === 'holdout'
      ? `holdout (last ${v.testFraction} of the bars)`
      : `walk-forward (${v.anchored ? 'anchored' : 'rolling'}, train ${v.trainBars}, test ${v.testBars}${v.stepBars ? `, step ${v.stepBars}` : ''} bars)`
  const lines = [`${head}: ${r.windows.length} window(s), out-of-sample:`]
  const m = r.metrics
  lines.push(`  return ${f(m.totalReturn, 4)}  sharpe ${f(m.sharpe)}  maxDD ${f(m.maxDrawdown, 4)}  trades ${m.trades}`)
  for (const w of r.windows) {
    const b = w.bounds
    const chosen =
      w.chosen === null
        ? 'none ranked (stayed in cash)'
        : `combo ${w.chosen.index} ${Object.entries(w.chosen.values)
            .map(([k, x]) => `${k}=${x}`)
            .join(' ')}`
    lines.push(
      `  train [${b.trainFrom}, ${b.trainTo}) → test [${b.testFrom}, ${b.testTo}): ${chosen}; train score ${f(w.trainScore)}, test return ${f(w.testMetrics?.totalReturn ?? NaN, 4)}`,
    )
  }
  return lines.join('\n') + '\n'
}
