// The page's side of the strategy workers: one worker per lane (a strategy cell), started on
// first use. Each call has a time limit; a call that overruns it, or whose AbortSignal fires (the
// cell's Stop, or a newer edit replacing it), terminates the worker, because SES cannot preempt
// an endless loop: the next call starts a fresh one. (Tests in happy-dom, which has no module
// workers, use ./in-process.ts.)
import type { CandleSeries } from '../../shared/candles/types.ts'
import { err, type Result } from '../../shared/result.ts'
import type { Params } from '../../shared/strategies/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import type { SourceError } from '../../shared/strategies/user/source.ts'
import type { AuditOutcome } from './checker.ts'

export interface CheckLimits {
  /** Loading a source (the worker's first start included). */
  readonly compileMs: number
  /** All the audits of one edit. */
  readonly auditMs: number
}

export const DEFAULT_CHECK_LIMITS: CheckLimits = { compileMs: 15_000, auditMs: 20_000 }

/** A call stopped by its signal (Stop, or superseded). */
export class CheckStopped extends DOMException {
  constructor() {
    super('Stopped.', 'AbortError')
  }
}

export interface StrategyChecks {
  compile(lane: string, source: string, signal: AbortSignal): Promise<Result<UserStrategyMeta, SourceError>>
  /** `series` null: the synthetic audit series. */
  audit(
    lane: string,
    source: string,
    series: CandleSeries | null,
    values: Params,
    signal: AbortSignal,
  ): Promise<Result<AuditOutcome, SourceError>>
  /** Ends a lane's worker (a deleted cell). */
  release(lane: string): void
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SourceError }

interface Lane {
  worker: Worker
  seq: number
  pending: Map<number, { resolve: (r: Reply) => void; reject: (e: unknown) => void }>
}

export type WorkerFactory = () => Worker

const defaultWorker: WorkerFactory = () => new Worker(new URL('./strategy.worker.ts', import.meta.url), { type: 'module' })

/** Strategy checks in module workers (the lab's). */
export function workerChecks(limits: CheckLimits = DEFAULT_CHECK_LIMITS, make: WorkerFactory = defaultWorker): StrategyChecks {
  const lanes = new Map<string, Lane>()

  const kill = (name: string, lane: Lane, why: unknown): void => {
    lane.worker.terminate()
    if (lanes.get(name) === lane) lanes.delete(name)
    for (const p of lane.pending.values()) p.reject(why)
    lane.pending.clear()
  }

  const laneOf = (name: string): Lane => {
    let l = lanes.get(name)
    if (l === undefined) {
      const worker = make()
      const lane: Lane = { worker, seq: 0, pending: new Map() }
      worker.addEventListener('message', (e: MessageEvent<Reply>) => {
        const p = lane.pending.get(e.data.id)
        if (p === undefined) return
        lane.pending.delete(e.data.id)
        p.resolve(e.data)
      })
      worker.addEventListener('error', (e) =>
        kill(name, lane, new Error(`The strategy worker failed: ${e.message || 'it could not load'}.`)),
      )
      lanes.set(name, lane)
      l = lane
    }
    return l
  }

  const call = async <T>(
    name: string,
    msg: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Result<T, SourceError>> => {
    signal.throwIfAborted()
    const lane = laneOf(name)
    const id = ++lane.seq
    const reply = await new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        kill(
          name,
          lane,
          new Error(
            `Stopped after ${Math.round(timeoutMs / 1000)} s: the strategy took too long (does signals() or warmup() loop forever?).`,
          ),
        )
      }, timeoutMs)
      const onAbort = (): void => kill(name, lane, new CheckStopped())
      signal.addEventListener('abort', onAbort, { once: true })
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
      }
      lane.pending.set(id, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      })
      lane.worker.postMessage({ id, ...msg })
    })
    return reply.ok ? { ok: true, value: reply.value as T } : err(reply.error)
  }

  return {
    compile: (lane, source, signal) => call(lane, { op: 'compile', source }, limits.compileMs, signal),
    audit: (lane, source, series, values, signal) => call(lane, { op: 'audit', source, series, values }, limits.auditMs, signal),
    release(name) {
      const l = lanes.get(name)
      if (l !== undefined) kill(name, l, new CheckStopped())
    },
  }
}

/** Refuses every call: a browser without module workers cannot sandbox user code. */
export function noChecks(): StrategyChecks {
  const no = async (): Promise<never> => {
    throw new Error('This browser has no module workers, so user strategies cannot run in their sandbox here.')
  }
  return { compile: no, audit: no, release: () => {} }
}

let shared: StrategyChecks | null = null

/** The lab's strategy checks: module workers when the browser has them. */
export function strategyChecks(): StrategyChecks {
  shared ??= typeof Worker === 'function' ? workerChecks() : noChecks()
  return shared
}

/** Tests: replace the lab's strategy checks (e.g. inProcessChecks with a test evaluator). */
export function setStrategyChecks(c: StrategyChecks | null): void {
  shared = c
}
