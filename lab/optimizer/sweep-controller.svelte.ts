// The optimizer's page state (Svelte 5 runes): runs, cancels and resumes sweeps through the shared
// coordinator (runCoordinatedSweep, checkpoints in IndexedDB) and exposes progress, the
// best-so-far table and the results document for the downloads.
// Large data ($state.raw) is replaced whole on each update, never mutated in place.
// The worker pool and the last built series are kept between sweeps, so a repeated or resumed
// sweep on the same data is warm (workers alive with their caches); a cancel terminates the pool
// (dropping the work in flight) and the next sweep starts a new one.
// After a completed sweep the robustness report (deflated Sharpe, PBO, plateau) is computed on the
// pool's workers (shared/optimize/coordinator/robustness.ts: the sweep kept each simulation's
// per-block sums, so only the best combo is re-run and the CSCV's splits are shared by the
// workers) and lands in `robustness`; start() does not wait for it.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { poolRobustness, runCoordinatedSweep } from '../../shared/optimize/coordinator/index.ts'
import type {
  CheckpointStore,
  FinishedSweep,
  SweepMeta,
  SweepOutcome,
  SweepProgress,
  SweepUpdate,
  WorkerFactory,
  WorkerPool,
} from '../../shared/optimize/coordinator/index.ts'
import type { RobustnessReport, SweepPlan, SweepSpec } from '../../shared/optimize/index.ts'
import type { ResultsDocument } from '../../shared/optimize/results/index.ts'
import { createLabPool } from './browser-workers.ts'
import { openCheckpointStore } from './checkpoint-store.ts'
import { buildSeries } from './data-source.ts'
import { bestOf, topRows } from './results.ts'
import type { TopRow } from './results.ts'
import type { SweepRequest } from './workloads.ts'

export type SweepStatus = 'idle' | 'preparing' | 'running' | 'completed' | 'cancelled' | 'failed' | 'invalid'

export type RobustnessState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'computing' }
  | { readonly kind: 'done'; readonly report: RobustnessReport }
  | { readonly kind: 'failed'; readonly error: string }

export interface ControllerOptions {
  /** Pool size; default navigator.hardwareConcurrency. */
  readonly workers?: number
  readonly dbName?: string
  readonly factory?: WorkerFactory
  readonly topN?: number
  /** Override for tests; default crossOriginIsolated. */
  readonly shareMemory?: boolean
  /** Checkpoint batching interval (see SweepArgs); default 250 ms. */
  readonly checkpointEveryMs?: number
}

const UPDATE_EVERY_MS = 100
const DEFAULT_TOP_N = 20

export class SweepController {
  status = $state<SweepStatus>('idle')
  errors = $state.raw<string[]>([])
  progress = $state.raw<SweepProgress | undefined>(undefined)
  sweepId = $state('')
  sharing = $state('')
  top = $state.raw<TopRow[]>([])
  plan = $state.raw<SweepPlan | undefined>(undefined)
  /** Bars of the sweep's candle series. */
  bars = $state(0)
  rows = $state.raw<Float64Array | undefined>(undefined)
  request = $state.raw<SweepRequest | undefined>(undefined)
  /** Unfinished sweeps found in IndexedDB, newest first. */
  resumable = $state.raw<SweepMeta[]>([])
  /** The last completed sweep's robustness report. */
  robustness = $state.raw<RobustnessState>({ kind: 'idle' })
  /** Resolves when the report of the last completed sweep is in (or failed); tests wait on it. */
  robustnessDone: Promise<void> = Promise.resolve()

  readonly workers: number
  private readonly opts: ControllerOptions
  private abort: AbortController | undefined
  private storePromise: Promise<CheckpointStore> | undefined
  private pool: WorkerPool | undefined
  private lastApplyMs = -Infinity
  private lastSeries: { key: string; series: CandleSeries } | undefined
  /** Bumped per start(): a report of an older sweep is dropped. */
  private generation = 0

  constructor(opts: ControllerOptions = {}) {
    this.opts = opts
    this.workers = opts.workers ?? Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2)
  }

  get running(): boolean {
    return this.status === 'preparing' || this.status === 'running'
  }

  private store(): Promise<CheckpointStore> {
    this.storePromise ??= openCheckpointStore(this.opts.dbName)
    return this.storePromise
  }

  async refreshResumable(): Promise<void> {
    this.resumable = (await (await this.store()).listSweeps()).filter((m) => !m.finished)
  }

  /** Runs (or resumes: same request, same data → same sweep id → finished chunks are reused). */
  async start(input: SweepRequest): Promise<SweepOutcome> {
    if (this.running) throw new Error('a sweep is already running')
    // The request may come from $state proxies: post plain data only.
    const request = $state.snapshot(input) as SweepRequest
    this.request = request
    this.status = 'preparing'
    this.errors = []
    this.progress = undefined
    this.top = []
    this.rows = undefined
    this.robustness = { kind: 'idle' }
    const generation = ++this.generation
    const abort = new AbortController()
    this.abort = abort
    let outcome: SweepOutcome
    let series: CandleSeries | undefined
    try {
      const data = this.seriesFor(request)
      if (data.ok) series = data.series
      if (!data.ok) {
        outcome = { kind: 'invalid', errors: [data.error] }
      } else {
        outcome = await runCoordinatedSweep(
          {
            series: data.series,
            spec: request.spec,
            chunkSize: request.chunkSize,
            request,
            signal: abort.signal,
            onUpdate: (u) => this.applyThrottled(u),
            checkpointEveryMs: this.opts.checkpointEveryMs,
            // Each simulation's per-block sums for the report (none for resumed chunks: re-run).
            blockSums: {},
          },
          {
            store: await this.store(),
            getPool: () => this.getPool(),
            now: () => performance.now(),
            wallNow: () => Date.now(),
          },
        )
      }
    } catch (e) {
      outcome = { kind: 'failed', error: e instanceof Error ? e.message : String(e), update: undefined }
    }
    if (outcome.kind === 'invalid') this.errors = outcome.errors
    else if (outcome.update) this.apply(outcome.update)
    if (outcome.kind === 'failed') this.errors = [outcome.error]
    this.status = outcome.kind
    this.abort = undefined
    if (outcome.kind === 'completed' && series !== undefined) {
      const u = outcome.update
      this.robustnessDone = this.computeRobustness(generation, series, request.spec, { rows: u.rows, sims: u.sims, blockSums: u.blockSums })
    }
    await this.refreshResumable().catch((e: unknown) => (this.errors = [...this.errors, `listing saved sweeps: ${String(e)}`]))
    return outcome
  }

  private getPool(): WorkerPool {
    if (this.pool === undefined || !this.pool.alive) {
      this.pool = createLabPool({ size: this.workers, factory: this.opts.factory, shareMemory: this.opts.shareMemory })
    }
    return this.pool
  }

  /**
   * The results document of the shown sweep (the CLI's JSON shape; rows of a cancelled sweep's
   * unfinished combos are left out), by default once its robustness report is in or has failed.
   */
  async results(waitForReport = true): Promise<ResultsDocument | undefined> {
    if (waitForReport) await this.robustnessDone
    const { plan, rows, request, progress } = this
    if (plan === undefined || rows === undefined || request === undefined || progress === undefined) return undefined
    const report = this.robustness.kind === 'done' ? this.robustness.report : null
    return {
      plan,
      spec: request.spec,
      rows,
      data: request.source,
      bars: this.bars,
      // A sweep resumed whole was never planned here; its report knows the distinct simulations.
      simulated: report?.simCount ?? progress.simCount,
      elapsedMs: progress.elapsedMs,
      workers: this.workers,
      top: bestOf(plan, rows, this.opts.topN ?? DEFAULT_TOP_N),
      robustness: report,
      sweepId: this.sweepId,
    }
  }

  /** The report on the pool's workers; a newer start() makes it stale (dropped). */
  private async computeRobustness(generation: number, series: CandleSeries, spec: SweepSpec, sweep: FinishedSweep): Promise<void> {
    this.robustness = { kind: 'computing' }
    let next: RobustnessState
    try {
      next = { kind: 'done', report: await poolRobustness(this.getPool(), series, spec, sweep) }
    } catch (e) {
      next = { kind: 'failed', error: e instanceof Error ? e.message : String(e) }
    }
    if (generation === this.generation) this.robustness = next
  }

  /** The same series object for the same source (the workers' caches are keyed by it). */
  private seriesFor(request: SweepRequest): ReturnType<typeof buildSeries> {
    const key = JSON.stringify(request.source)
    if (this.lastSeries?.key === key) return { ok: true, series: this.lastSeries.series }
    const built = buildSeries(request.source)
    if (built.ok) this.lastSeries = { key, series: built.series }
    return built
  }

  /** Stops the workers (e.g. when the panel is closed). */
  dispose(): void {
    this.cancel()
    void this.pool?.terminate()
    this.pool = undefined
  }

  cancel(): void {
    this.abort?.abort()
  }

  /** Resumes the newest unfinished sweep saved in IndexedDB (after a reload or a crash). */
  async resumeLatest(): Promise<SweepOutcome | undefined> {
    await this.refreshResumable()
    const latest = this.resumable[0]
    return latest ? this.start(latest.request as SweepRequest) : undefined
  }

  /**
   * Progress updates arrive per finished batch; ranking and copying the rows for each would make
   * the page's thread a bottleneck on big sweeps, so rows and the top table are refreshed at most
   * once per UPDATE_EVERY_MS (progress always; the final state is always applied by start()).
   */
  private applyThrottled(u: SweepUpdate): void {
    const t = performance.now()
    const rowsToo = t - this.lastApplyMs >= UPDATE_EVERY_MS
    if (rowsToo) this.lastApplyMs = t
    this.apply(u, rowsToo)
  }

  private apply(u: SweepUpdate, rowsToo = true): void {
    this.status = this.status === 'preparing' ? 'running' : this.status
    this.sweepId = u.sweepId
    this.sharing = u.sharing
    this.plan = u.plan
    this.bars = u.bars
    this.progress = u.progress
    if (!rowsToo) return
    // A fresh view each time: $state.raw notices replacement, not mutation.
    this.rows = u.rows.slice()
    this.top = topRows(u.plan, u.rows, this.opts.topN ?? DEFAULT_TOP_N)
  }
}
