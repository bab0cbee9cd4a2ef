// Module worker of the strategy cells: lockdown() first (./lockdown.ts), then each request loads
// a user strategy in an SES Compartment or audits it. One worker per strategy cell; the page
// terminates it when a call overruns its time or the cell's Stop is pressed (an endless loop
// cannot be interrupted any other way). Messages: { id, op, … } in, { id, ok, value | error } out.
import './lockdown.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Params } from '../../shared/strategies/index.ts'
import { createStrategyChecker } from './checker.ts'
import { sesEvaluate } from './compartment.ts'

export type CheckRequest =
  | { readonly id: number; readonly op: 'compile'; readonly source: string }
  | { readonly id: number; readonly op: 'audit'; readonly source: string; readonly series: CandleSeries | null; readonly values: Params }

const checker = createStrategyChecker(sesEvaluate, () => performance.now())
// tsconfig's lib is DOM, so `self` is typed as Window; in a worker it is the worker's scope.
const scope = self as unknown as { onmessage: ((e: MessageEvent<CheckRequest>) => void) | null; postMessage(m: unknown): void }

scope.onmessage = (e) => {
  const m = e.data
  try {
    const r = m.op === 'compile' ? checker.compile(m.source) : checker.audit(m.source, m.series, m.values)
    scope.postMessage(r.ok ? { id: m.id, ok: true, value: r.value } : { id: m.id, ok: false, error: r.error })
  } catch (x) {
    scope.postMessage({ id: m.id, ok: false, error: { stage: 'evaluate', message: x instanceof Error ? x.message : String(x) } })
  }
}
