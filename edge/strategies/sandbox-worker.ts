// The strategy sandbox's worker thread: one user strategy, evaluated once in an SES Compartment,
// then asked for signals, warm-ups and audits. Messages: { id, op, … } in, { id, ok, … } out.
// The parent enforces the time limit per call (it terminates this thread) and the heap limit is
// the thread's resourceLimits; nothing here can reach the parent's journal, keys or network.
import { parentPort } from 'node:worker_threads'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Params, StrategyDef } from '../../shared/strategies/types.ts'
import { auditStrategy } from '../../shared/strategies/user/audits.ts'
import { loadUserStrategy } from '../../shared/strategies/user/source.ts'

declare const Compartment: new (globals: Record<string, unknown>, modules?: object, options?: object) => { evaluate(code: string): unknown }

export type SandboxRequest =
  | { readonly id: number; readonly op: 'load'; readonly source: string }
  | { readonly id: number; readonly op: 'signals'; readonly series: CandleSeries; readonly params: Params }
  | { readonly id: number; readonly op: 'warmup'; readonly params: Params }
  | { readonly id: number; readonly op: 'audit'; readonly series: CandleSeries; readonly params: Params }

if (parentPort === null) throw new Error('sandbox-worker.ts must run in a worker thread')
const port = parentPort
let def: StrategyDef | null = null

const evaluate = (code: string, globals: Record<string, unknown>): unknown => new Compartment(globals).evaluate(code)

port.on('message', (m: SandboxRequest) => {
  try {
    if (m.op === 'load') {
      const r = loadUserStrategy(m.source, evaluate)
      if (!r.ok) return port.postMessage({ id: m.id, ok: false, error: r.error })
      def = r.value.def
      return port.postMessage({ id: m.id, ok: true, value: r.value.meta })
    }
    if (def === null) return port.postMessage({ id: m.id, ok: false, error: { stage: 'module', message: 'no strategy loaded' } })
    if (m.op === 'signals') {
      const out = def.signals(m.series, m.params)
      return port.postMessage({ id: m.id, ok: true, value: out }, [out.buffer as ArrayBuffer])
    }
    if (m.op === 'warmup') return port.postMessage({ id: m.id, ok: true, value: def.warmup(m.params) })
    const report = auditStrategy(def, m.series, m.params, { now: () => performance.now() })
    return port.postMessage({ id: m.id, ok: true, value: report })
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: { stage: 'evaluate', message: e instanceof Error ? e.message : String(e) } })
  }
})
