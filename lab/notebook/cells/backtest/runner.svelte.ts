// The one owner of the backtest worker. It starts the worker on first use, loads each data range
// into it once (SharedArrayBuffer when the page is cross-origin isolated, else one copy), and runs
// per lane (one backtest cell) with "the latest request wins": at most one run in flight per lane
// and one waiting; a newer request replaces the waiting one, and a run whose signal was aborted
// while it ran resolves to an AbortError, never to its result. After each run the lane's
// look-ahead check starts in the worker; the next run stops it.
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import type { BacktestRun } from './compute.ts'
import type { BacktestEngineApi, LookaheadReply, RunReply } from './engine.ts'
import { LookaheadCheck } from './lookahead.svelte.ts'
import { unpackResult } from './pack.ts'
import type { BacktestParams } from './params.ts'

/** The engine as the runner reaches it: every call a Promise (a comlink Remote, or in process). */
export interface EngineClient {
  load(dataId: string, series: CandleSeries): Promise<void>
  unload(dataId: string): Promise<void>
  run(lane: string, dataId: string, params: BacktestParams): Promise<RunReply>
  lookahead(lane: string, dataId: string, params: BacktestParams): Promise<LookaheadReply>
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
    },
    failed: new Promise<never>(() => {}),
    terminate: () => {},
  })
}

export class BacktestRunner {
  workerState = $state<WorkerState>('not-started')
  /** Runs answered by the worker so far (tests and the bench watch it). */
  runs = $state(0)
  private handle: EngineHandle | null = null
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

  private engine(): EngineHandle {
    if (this.handle === null) {
      const h = this.factory()
      this.handle = h
      this.workerState = 'ready'
      h.failed.catch(() => {
        if (this.handle !== h) return
        this.workerState = 'failed'
        this.reset()
      })
    }
    return this.handle
  }

  /** Forgets the worker and what was loaded into it; the next run starts a new one. */
  private reset(): void {
    this.handle?.terminate()
    this.handle = null
    this.loaded.clear()
    for (const l of this.lanes.values()) l.dataId = null
  }

  /** Calls the engine, failing fast when the worker dies meanwhile (engine() resets then). */
  private call<T>(h: EngineHandle, p: Promise<T>): Promise<T> {
    return Promise.race([p, h.failed])
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
  private async ensureData(h: EngineHandle, lane: Lane, series: CandleSeries): Promise<string> {
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
    await this.call(h, p)
    return id
  }

  /**
   * Runs a backtest for `laneId` on `series`. Resolves with the result and its look-ahead check
   * (which reports later), or rejects: with an AbortError when superseded or aborted, with an
   * Error in words when the params are bad or the worker failed.
   */
  async run(laneId: string, series: CandleSeries, params: BacktestParams, signal: AbortSignal): Promise<LaneResult> {
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
    let reply: RunReply
    let dataId: string
    const h = this.engine()
    try {
      dataId = await this.ensureData(h, lane, series)
      reply = await this.call(h, h.api.run(laneId, dataId, params))
      this.runs++
      // For the browser bench's breakdown of a parameter change (one mark kept, not one per run).
      performance.clearMarks('bt-reply')
      performance.mark('bt-reply')
    } catch (e) {
      if (e instanceof Error && !(e instanceof DOMException))
        throw new Error(`The backtest worker failed: ${e.message}. Run the cell again.`, { cause: e })
      throw e
    } finally {
      lane.busy = false
      // (A cast: TypeScript narrowed `waiting` to null at the top, before the awaits.)
      const w = lane.waiting as Lane['waiting']
      lane.waiting = null
      w?.resolve()
    }
    // A newer request came in while this one ran: its result is never shown.
    if (signal.aborted) throw abortError()
    if (!reply.ok) throw new Error(reply.error)
    const lookahead = new LookaheadCheck()
    void this.check(h, laneId, dataId, params, lookahead)
    return { run: { ...reply.value, result: unpackResult(reply.value.result) }, lookahead }
  }

  private async check(h: EngineHandle, lane: string, dataId: string, params: BacktestParams, into: LookaheadCheck): Promise<void> {
    try {
      const r = await this.call(h, h.api.lookahead(lane, dataId, params))
      if (r.kind === 'superseded') into.state = { kind: 'stopped' }
      else if (r.kind === 'error') into.state = { kind: 'error', message: r.message }
      else if (r.report.ok)
        into.state = { kind: 'passed', cuts: r.report.value.cuts, skipped: r.report.value.skipped, elapsedMs: r.elapsedMs }
      else into.state = { kind: 'found', found: r.report.error, elapsedMs: r.elapsedMs }
    } catch (e) {
      into.state = { kind: 'error', message: e instanceof Error ? e.message : String(e) }
    }
  }

  /** Stops the worker (tests; a closed lab). */
  dispose(): void {
    this.reset()
    this.workerState = 'not-started'
  }
}
