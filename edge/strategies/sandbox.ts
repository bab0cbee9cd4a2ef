// A user strategy in its own worker thread (sandbox-worker.ts): evaluated in an SES Compartment
// after lockdown, with a heap limit (resourceLimits) and a time limit per call. A call over its
// time (an infinite loop, a runaway computation) terminates the thread and fails with a clear
// message; the runner then halts the run visibly. Why SES: it is the maintained standard for
// hardening a JavaScript realm (Agoric, MetaMask), works in Node and in browsers alike (the lab's
// workers use the same Compartment setup), and its tamed intrinsics remove the ambient authority
// (time, randomness) that would make a rule non-deterministic; worker_threads add what SES cannot:
// preemption of a loop that never returns, and a separate heap with a limit.
import { Worker } from 'node:worker_threads'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Params } from '../../shared/strategies/types.ts'
import type { AuditReport } from '../../shared/strategies/user/audits.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import type { SourceError } from '../../shared/strategies/user/source.ts'
import { err, ok, type Result } from '../../shared/result.ts'

const BOOTSTRAP = new URL('./sandbox-bootstrap.mjs', import.meta.url)

export interface SandboxLimits {
  /** Per call (signals, warm-up, audit), wall ms. */
  readonly callMs: number
  /** Loading the source (tsx compiles the sandbox on first use: allow for it). */
  readonly loadMs: number
  readonly heapMb: number
}

export const DEFAULT_LIMITS: SandboxLimits = { callMs: 2_000, loadMs: 20_000, heapMb: 256 }

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly source?: SourceError,
  ) {
    super(message)
    this.name = 'SandboxError'
  }
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SourceError }

export class StrategySandbox {
  private seq = 0
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private dead: Error | null = null

  private metaValue: UserStrategyMeta = { id: '', version: 0, name: '', description: '', params: [] }

  private constructor(
    private readonly worker: Worker,
    private readonly limits: SandboxLimits,
  ) {
    this.listen()
  }

  /** The loaded strategy's id, version, name and parameter schema. */
  get meta(): UserStrategyMeta {
    return this.metaValue
  }

  /** Starts a thread and loads `source` in it; a source error is returned, not thrown. */
  static async open(source: string, limits: SandboxLimits = DEFAULT_LIMITS): Promise<Result<StrategySandbox, SourceError>> {
    const worker = new Worker(BOOTSTRAP, { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 } })
    const box = new StrategySandbox(worker, limits)
    try {
      box.metaValue = (await box.call({ op: 'load', source }, limits.loadMs)) as UserStrategyMeta
      return ok(box)
    } catch (e) {
      await worker.terminate()
      if (e instanceof SandboxError && e.source) return err(e.source)
      return err({ stage: 'evaluate', message: e instanceof Error ? e.message : String(e) })
    }
  }

  private listen(): void {
    this.worker.on('message', (r: Reply) => {
      const p = this.pending.get(r.id)
      if (p === undefined) return
      this.pending.delete(r.id)
      if (r.ok) p.resolve(r.value)
      else p.reject(new SandboxError(r.error.message + (r.error.line !== undefined ? ` (line ${r.error.line})` : ''), r.error))
    })
    const die = (e: Error): void => {
      this.dead = this.dead ?? e
      for (const p of this.pending.values()) p.reject(this.dead)
      this.pending.clear()
    }
    this.worker.on('error', (e) => die(new SandboxError(`strategy sandbox: ${e.message}`)))
    this.worker.on('exit', (code) => die(new SandboxError(`strategy sandbox stopped (exit ${code})`)))
  }

  private call(req: Record<string, unknown>, timeoutMs = this.limits.callMs): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead)
    const id = ++this.seq
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        const e = new SandboxError(`the strategy exceeded its time limit (${timeoutMs} ms for one ${String(req.op)} call): stopped`)
        this.dead = e
        reject(e)
        void this.worker.terminate()
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      this.worker.postMessage({ id, ...req })
    })
  }

  async signals(series: CandleSeries, params: Params): Promise<Int8Array> {
    return (await this.call({ op: 'signals', series: plain(series), params })) as Int8Array
  }

  async warmup(params: Params): Promise<number> {
    return (await this.call({ op: 'warmup', params })) as number
  }

  /** The audits (shared/strategies/user/audits.ts) on `series`; their own cut runs count against a longer limit. */
  async audit(series: CandleSeries, params: Params, timeoutMs = 30_000): Promise<AuditReport> {
    return (await this.call({ op: 'audit', series: plain(series), params }, timeoutMs)) as AuditReport
  }

  async close(): Promise<void> {
    this.dead = this.dead ?? new SandboxError('strategy sandbox closed')
    await this.worker.terminate()
  }
}

/** Columns as plain typed arrays (views into larger buffers are copied by structured clone anyway). */
function plain(s: CandleSeries): CandleSeries {
  return { time: s.time, open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume }
}
