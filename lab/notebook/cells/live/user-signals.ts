// The page's side of the shadow comparison's user-strategy worker (./user-signals.worker.ts):
// started on first use, one call at a time, each with a time limit. A call that overruns it, or
// whose AbortSignal fires (the cell closed, a newer comparison), terminates the worker, since SES
// cannot preempt an endless loop; the next call starts a fresh one.
import type { CandleSeries } from '../../../../shared/candles/types.ts'
import type { Params } from '../../../../shared/strategies/index.ts'
import type { SourceError } from '../../../../shared/strategies/user/source.ts'
import type { UserSignalsCore } from './user-signals-core.ts'

export interface UserSignals {
  warmup(source: string, params: Params, signal: AbortSignal): Promise<number>
  signals(source: string, series: CandleSeries, params: Params, signal: AbortSignal): Promise<Int8Array>
  dispose(): void
}

/** Per call (loading the source included): generous, since it replays up to 2,000 bars plus the run. */
export const USER_SIGNALS_LIMIT_MS = 20_000

const describe = (e: SourceError): string => `the strategy failed: ${e.message}${e.line === undefined ? '' : ` (line ${e.line})`}`

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SourceError }

export function workerUserSignals(
  limitMs = USER_SIGNALS_LIMIT_MS,
  make: () => Worker = () => new Worker(new URL('./user-signals.worker.ts', import.meta.url), { type: 'module' }),
): UserSignals {
  let worker: Worker | null = null
  let seq = 0
  const call = (req: Record<string, unknown>, signal: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      signal.throwIfAborted()
      const w = (worker ??= make())
      const id = ++seq
      const end = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        w.removeEventListener('message', onMessage)
        w.removeEventListener('error', onError)
      }
      const kill = (why: Error): void => {
        end()
        w.terminate()
        if (worker === w) worker = null
        reject(why)
      }
      const onMessage = (e: MessageEvent<Reply>): void => {
        if (e.data.id !== id) return
        end()
        if (e.data.ok) resolve(e.data.value)
        else reject(new Error(describe(e.data.error)))
      }
      const onError = (e: ErrorEvent): void => kill(new Error(`the strategy worker failed: ${e.message}`))
      const onAbort = (): void => kill(signal.reason instanceof Error ? signal.reason : new DOMException('Stopped.', 'AbortError'))
      const timer = setTimeout(() => kill(new Error(`the strategy exceeded its time limit (${limitMs} ms): stopped`)), limitMs)
      signal.addEventListener('abort', onAbort)
      w.addEventListener('message', onMessage)
      w.addEventListener('error', onError)
      w.postMessage({ id, ...req })
    })
  return {
    warmup: async (source, params, signal) => (await call({ op: 'warmup', source, params }, signal)) as number,
    signals: async (source, series, params, signal) => (await call({ op: 'signals', source, series, params }, signal)) as Int8Array,
    dispose: () => {
      worker?.terminate()
      worker = null
    },
  }
}

/** The same calls in this thread (happy-dom tests: no module workers, no sandbox, no preemption). */
export function inProcessUserSignals(core: UserSignalsCore): UserSignals {
  const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: SourceError }): T => {
    if (!r.ok) throw new Error(describe(r.error))
    return r.value
  }
  return {
    warmup: async (source, params, signal) => (signal.throwIfAborted(), unwrap(core.warmup(source, params))),
    signals: async (source, series, params, signal) => (signal.throwIfAborted(), unwrap(core.signals(source, series, params))),
    dispose: () => {},
  }
}
