// The one owner of the backtest worker. It starts the worker on first use, loads each data range
// into it once (SharedArrayBuffer when the page is cross-origin isolated, else one copy), and runs
// per lane (one backtest cell) with "the latest request wins": at most one run in flight per lane
// and one waiting; a newer request replaces the waiting one, and a run whose signal was aborted
// while it ran resolves to an AbortError, never to its result. After each run the lane's
// look-ahead check starts in the worker; the next run stops it.
// User strategies (lab/strategies): the source of the version a cell names is loaded into the
// worker once per worker (defineUser), then runs like a built-in. SES cannot interrupt an endless
// loop, so a user run answers its Stop at once and, when the worker is still busy after a short
// grace, the worker is terminated; a user run or check over its time limit is stopped the same
// way. Other lanes caught in that are re-run once on the fresh worker.
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import type { BacktestRun } from './compute.ts'
import type { BacktestEngineApi, DefineReply, LookaheadReply, RunReply } from './engine.ts'
import { LookaheadCheck } from './lookahead.svelte.ts'
import { unpackResult } from './pack.ts'
import type { BacktestParams } from './params.ts'

/** The engine as the runner reaches it: every call a Promise (a comlink Remote, or in process). */
export interface EngineClient {
  load(dataId: string, series: CandleSeries): Promise<void>
  unload(dataId: string): Promise<void>
  run(lane: string, dataId: string, params: BacktestParams): Promise<RunReply>
  lookahead(lane: string, dataId: string, params: BacktestParams): Promise<LookaheadReply>
  /** Absent: this engine cannot run user strategies. */
  defineUser?(hash: string, source: string): Promise<DefineReply>
}

/** A user strategy's version to run: its source hash and text. */
export interface UserSource {
  readonly hash: string
  readonly source: string
}

/** Time limits of user code in the worker. */
export interface UserLimits {
  /** One run (signals + engine + metrics). */
  readonly runMs: number
  /** One look-ahead check (about 12 runs' worth of bars). */
  readonly checkMs: number
  /** After a Stop, how long a busy worker may take to answer before it is terminated. */
  readonly stopGraceMs: number
}

export const DEFAULT_USER_LIMITS: UserLimits = { runMs: 30_000, checkMs: 60_000, stopGraceMs: 300 }

/** The worker was terminated on purpose (a user rule overran or was stopped). */
export class WorkerStopped extends Error {
  constructor(
    message: string,
    /** The lane whose user code was stopped. */
    readonly lane: string,
  ) {
    super(message)
    this.name = 'WorkerStopped'
  }
}

export interface EngineHandle {
  readonly api: EngineClient
  /** Rejects when the worker dies or cannot load. */
  readonly failed: Promise<never>
  terminate(): void
}

export type EngineFactory = () => EngineHandle

export type WorkerState = 'not-started' | 'ready' | 'failed'

export interface RunnerOptions {
  /** Copy candles into SharedArrayBuffers before loading them (only when cross-origin isolated). */
  readonly shareMemory?: boolean
  readonly userLimits?: UserLimits
}

export interface LaneResult {
  readonly run: BacktestRun
  readonly lookahead: LookaheadCheck
}

interface Lane {
  busy: boolean
  waiting: { resolve: () => void; reject: (e: unknown) => void } | null
  dataId: string | null
}

/** Data ranges kept in the worker at once (each is 6 columns × bars × 8 bytes: 6 MB for 3 months of 1m). */
const MAX_LOADED = 4

const abortError = (): DOMException => new DOMException('Superseded by a newer request.', 'AbortError')

/** A copy of the series in SharedArrayBuffers: posted to the worker without another copy. */
export function sharedCopy(s: CandleSeries): CandleSeries {
  const col = (a: Float64Array): Float64Array => {
    const out = new Float64Array(new SharedArrayBuffer(a.byteLength))
    out.set(a)
    return out
  }
  return { time: col(s.time), open: col(s.open), high: col(s.high), low: col(s.low), close: col(s.close), volume: col(s.volume) }
}

/** Whether SharedArrayBuffer can be posted (only in a cross-origin isolated page). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
}

/** The engine in this thread: for tests, and for a browser without module workers. */
export function inProcessEngine(api: BacktestEngineApi): EngineFactory {
  return () => ({
    api: {
      load: async (id, s) => api.load(id, s),
      unload: async (id) => api.unload(id),
      run: async (lane, id, p) => api.run(lane, id, p),
      lookahead: (lane, id, p) => api.lookahead(lane, id, p),
      defineUser: async (hash, source) => api.defineUser(hash, source),
    },
    failed: new Promise<never>(() => {}),
    terminate: () => {},
  })
}

/** A started engine with what the runner knows about it. */
interface Live {
  readonly h: EngineHandle
  /** Rejects when the worker dies or is terminated on purpose. */
  readonly failed: Promise<never>
  stop(e: WorkerStopped): void
  /** User sources loaded into it (by hash). */
  readonly defined: Map<string, Promise<void>>
}

export class BacktestRunner {
  workerState = $state<WorkerState>('not-started')
  /** Runs answered by the worker so far (tests and the bench watch it). */
  runs = $state(0)
  /** Workers terminated because user code overran or was stopped (tests watch it). */
  stops = $state(0)
  private live: Live | null = null
  private readonly ids = new WeakMap<CandleSeries, string>()
  // Bookkeeping, not state anyone renders: plain collections on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loaded = new Map<string, Promise<void>>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly lanes = new Map<string, Lane>()
  private nextId = 1

  constructor(
    private readonly factory: EngineFactory,
    private readonly opts: RunnerOptions = {},
  ) {}

  private engine(): Live {
    if (this.live === null) {
      const h = this.factory()
      let stop: (e: WorkerStopped) => void = () => {}
      const stopped = new Promise<never>((_, reject) => (stop = reject))
      const failed = Promise.race([h.failed, stopped])
      failed.catch(() => undefined)
      // Bookkeeping, not rendered state: a plain Map.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const live: Live = { h, failed, stop, defined: new Map() }
      this.live = live
      this.workerState = 'ready'
      h.failed.catch(() => {
        if (this.live !== live) return
        this.workerState = 'failed'
        this.reset()
      })
    }
    return this.live
  }

  /** Forgets the worker and what was loaded into it; the next run starts a new one. */
  private reset(): void {
    this.live?.h.terminate()
    this.live = null
    this.loaded.clear()
    for (const l of this.lanes.values()) l.dataId = null
  }

  /** Terminates the worker because user code of `lane` overran or was stopped. */
  private kill(live: Live, lane: string, message: string): void {
    if (this.live !== live) return
    this.stops++
    live.stop(new WorkerStopped(message, lane))
    this.reset()
  }

  /** Calls the engine, failing fast when the worker dies or is stopped meanwhile. */
  private call<T>(live: Live, p: Promise<T>): Promise<T> {
    return Promise.race([p, live.failed])
  }

  /**
   * Waits for user code: rejects at once when `signal` aborts (and terminates the worker if it
   * has not answered after the grace), and terminates it when `limitMs` passes.
   */
  private watch<T>(live: Live, lane: string, p: Promise<T>, signal: AbortSignal | null, limitMs: number, what: string): Promise<T> {
    const limits = this.opts.userLimits ?? DEFAULT_USER_LIMITS
    return new Promise<T>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | null = null
      const limit = setTimeout(
        () => this.kill(live, lane, `The strategy exceeded its time limit (${Math.round(limitMs / 1000)} s for ${what}) and was stopped.`),
        limitMs,
      )
      const onAbort = (): void => {
        reject(abortError())
        grace = setTimeout(() => this.kill(live, lane, 'The strategy was stopped.'), limits.stopGraceMs)
      }
      const done = (): void => {
        clearTimeout(limit)
        if (grace !== null) clearTimeout(grace)
        signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      p.then(
        (v) => (done(), resolve(v)),
        (e: unknown) => (done(), reject(e)),
      )
    })
  }

  /** Loads a user source into the worker once (per worker). */
  private define(live: Live, user: UserSource): Promise<void> {
    let p = live.defined.get(user.hash)
    if (p === undefined) {
      const api = live.h.api
      p = (async () => {
        if (api.defineUser === undefined) throw new Error('This lab cannot run user strategies here (no sandboxed worker).')
        const r = await this.call(live, api.defineUser(user.hash, user.source))
        if (!r.ok) throw new Error(r.error)
      })()
      p.catch(() => live.defined.delete(user.hash))
      live.defined.set(user.hash, p)
    }
    return p
  }

  private lane(id: string): Lane {
    let l = this.lanes.get(id)
    if (l === undefined) {
      l = { busy: false, waiting: null, dataId: null }
      this.lanes.set(id, l)
    }
    return l
  }

  /** Loads a series once (per series object) and frees the lane's previous one when unused. */
  private async ensureData(live: Live, lane: Lane, series: CandleSeries): Promise<string> {
    const h = live.h
    let id = this.ids.get(series)
    if (id === undefined) {
      id = `d${this.nextId++}`
      this.ids.set(series, id)
    }
    const prev = lane.dataId
    lane.dataId = id
    if (prev !== null && prev !== id && ![...this.lanes.values()].some((l) => l.dataId === prev)) {
      this.loaded.delete(prev)
      void h.api.unload(prev).catch(() => undefined)
    }
    let p = this.loaded.get(id)
    if (p === undefined) {
      const payload = this.opts.shareMemory === true ? sharedCopy(series) : series
      p = h.api.load(id, payload)
      p.catch(() => this.loaded.delete(id!))
    }
    // Most recently used last; beyond MAX_LOADED the oldest goes (a deleted cell's candles, a
    // notebook closed): a lane that needs it again loads it again.
    this.loaded.delete(id)
    this.loaded.set(id, p)
    for (const old of this.loaded.keys()) {
      if (this.loaded.size <= MAX_LOADED) break
      this.loaded.delete(old)
      void h.api.unload(old).catch(() => undefined)
      for (const l of this.lanes.values()) if (l.dataId === old) l.dataId = null
    }
    await this.call(live, p)
    return id
  }

  /**
   * Runs a backtest for `laneId` on `series`. Resolves with the result and its look-ahead check
   * (which reports later), or rejects: with an AbortError when superseded or aborted, with an
   * Error in words when the params are bad or the worker failed. `user`: the source of the user
   * strategy the params name.
   */
  async run(laneId: string, series: CandleSeries, params: BacktestParams, signal: AbortSignal, user?: UserSource): Promise<LaneResult> {
    try {
      return await this.runOnce(laneId, series, params, signal, user)
    } catch (e) {
      // Another cell's runaway strategy took the worker down under this run: run it again.
      if (e instanceof WorkerStopped && e.lane !== laneId && !signal.aborted) return this.runOnce(laneId, series, params, signal, user)
      throw e
    }
  }

  private async runOnce(
    laneId: string,
    series: CandleSeries,
    params: BacktestParams,
    signal: AbortSignal,
    user?: UserSource,
  ): Promise<LaneResult> {
    const lane = this.lane(laneId)
    lane.waiting?.reject(abortError())
    lane.waiting = null
    if (lane.busy) {
      await new Promise<void>((resolve, reject) => {
        const w = { resolve, reject }
        lane.waiting = w
        signal.addEventListener(
          'abort',
          () => {
            if (lane.waiting === w) lane.waiting = null
            reject(abortError())
          },
          { once: true },
        )
      })
    }
    signal.throwIfAborted()
    lane.busy = true
    const live = this.engine()
    // The lane stays busy until the worker has answered (or is gone), even when the caller
    // stopped waiting: the next run of the lane queues behind it, never beside it.
    const work = (async () => {
      const dataId = await this.ensureData(live, lane, series)
      if (user !== undefined) await this.define(live, user)
      const reply = await this.call(live, live.h.api.run(laneId, dataId, params))
      this.runs++
      // For the browser bench's breakdown of a parameter change (one mark kept, not one per run).
      performance.clearMarks('bt-reply')
      performance.mark('bt-reply')
      return { dataId, reply }
    })().finally(() => {
      lane.busy = false
      // (A cast: TypeScript narrowed `waiting` to null at the top, before the awaits.)
      const w = lane.waiting as Lane['waiting']
      lane.waiting = null
      w?.resolve()
    })
    work.catch(() => undefined)
    const limits = this.opts.userLimits ?? DEFAULT_USER_LIMITS
    let dataId: string
    let reply: RunReply
    try {
      ;({ dataId, reply } = await (user === undefined ? work : this.watch(live, laneId, work, signal, limits.runMs, 'one run')))
    } catch (e) {
      if (e instanceof WorkerStopped) throw e.lane === laneId ? new Error(e.message) : e
      if (e instanceof Error && !(e instanceof DOMException))
        throw new Error(`The backtest worker failed: ${e.message}. Run the cell again.`, { cause: e })
      throw e
    }
    // A newer request came in while this one ran: its result is never shown.
    if (signal.aborted) throw abortError()
    if (!reply.ok) throw new Error(reply.error)
    const lookahead = new LookaheadCheck()
    void this.check(live, laneId, dataId, params, lookahead, user !== undefined)
    return { run: { ...reply.value, result: unpackResult(reply.value.result, series.time) }, lookahead }
  }

  private async check(
    live: Live,
    lane: string,
    dataId: string,
    params: BacktestParams,
    into: LookaheadCheck,
    user: boolean,
  ): Promise<void> {
    try {
      const p = this.call(live, live.h.api.lookahead(lane, dataId, params))
      const limits = this.opts.userLimits ?? DEFAULT_USER_LIMITS
      const r = await (user ? this.watch(live, lane, p, null, limits.checkMs, 'the look-ahead check') : p)
      if (r.kind === 'superseded') into.state = { kind: 'stopped' }
      else if (r.kind === 'error') into.state = { kind: 'error', message: r.message }
      else if (r.report.ok)
        into.state = { kind: 'passed', cuts: r.report.value.cuts, skipped: r.report.value.skipped, elapsedMs: r.elapsedMs }
      else into.state = { kind: 'found', found: r.report.error, elapsedMs: r.elapsedMs }
    } catch (e) {
      if (e instanceof WorkerStopped && e.lane !== lane) into.state = { kind: 'stopped' }
      else into.state = { kind: 'error', message: e instanceof Error ? e.message : String(e) }
    }
  }

  /** Stops the worker (tests; a closed lab). */
  dispose(): void {
    this.reset()
    this.workerState = 'not-started'
  }
}
