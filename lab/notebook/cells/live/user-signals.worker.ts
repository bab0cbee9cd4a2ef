// Module worker of the live cell's shadow comparison for user strategies: lockdown() first
// (lab/strategies/lockdown.ts), then the promoted source is evaluated in an SES Compartment and
// asked for its warm-up and its signals on the run's bars. The page terminates this worker when a
// call overruns its time or the comparison is abandoned (an endless loop cannot be interrupted
// any other way). Messages: { id, op, … } in, { id, ok, value | error } out.
import '../../../strategies/lockdown.ts'
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import type { Params } from '../../../../shared/strategies/index.ts'
import { sesEvaluate } from '../../../strategies/compartment.ts'
import { createUserSignalsCore } from './user-signals-core.ts'

export type UserSignalsRequest =
  | { readonly id: number; readonly op: 'warmup'; readonly source: string; readonly params: Params }
  | { readonly id: number; readonly op: 'signals'; readonly source: string; readonly series: CandleSeries; readonly params: Params }

const core = createUserSignalsCore(sesEvaluate)
// tsconfig's lib is DOM, so `self` is typed as Window; in a worker it is the worker's scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<UserSignalsRequest>) => void) | null
  postMessage(m: unknown, transfer?: Transferable[]): void
}

scope.onmessage = (e) => {
  const m = e.data
  const r = m.op === 'warmup' ? core.warmup(m.source, m.params) : core.signals(m.source, m.series, m.params)
  if (!r.ok) return scope.postMessage({ id: m.id, ok: false, error: r.error })
  if (r.value instanceof Int8Array) return scope.postMessage({ id: m.id, ok: true, value: r.value }, [r.value.buffer])
  scope.postMessage({ id: m.id, ok: true, value: r.value })
}
