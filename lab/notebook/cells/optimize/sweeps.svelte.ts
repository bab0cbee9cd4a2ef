// The one owner of the optimize cells' workers: a pool of sweep workers (lab/optimizer's, the
// shared coordinator's transport) kept alive between runs so a repeated sweep on the same data is
// warm, the checkpoint store (IndexedDB), and per cell its live state (CellSweep: phase, progress,
// the best combos so far). Runs go one at a time (a second cell waits its turn): they share the
// pool, and a cancel ends the pool's workers.
//
// A run: the sweep of the table (the whole series, or the holdout's train bars), checkpointed
// under the coordinator's sweep id with the sweep's label in the checkpoint's meta; then the
// out-of-sample check (holdout: a second sweep over the test bars, so every row has its
// out-of-sample figures, and the in-sample best run on them; walk-forward: a train sweep per
// window, each checkpointed too, and the stitched test windows); then the robustness report of the
// table's sweep on the pool (kept in the checkpoint's meta once computed, so a reload does not
// recompute it). A checkpoint whose label is not the run's is refused and discarded, never shown.
//
// User strategies (a strategy cell's, by source hash): the same coordinator and pool shape, with
// the sandboxed worker entry (lab/optimizer/user-sweep.worker.ts, SES lockdown first) as the
// pool's factory; the page plans them from their schema only (strategy.ts) and asks a sandboxed
// worker for the signals the out-of-sample stitching needs. One pool at a time: switching between
// built-in and user sweeps ends the other pool's workers. A Cancel terminates the workers, the
// only way to stop a rule stuck in an endless loop; the next run starts fresh ones.
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import { METRIC_COUNT, METRIC_INDEX } from '../../../../shared/metrics/types.ts'
import {
  bestCombos,
  comboAt,
  deflatedSharpe,
  moments,
  planSweep,
  plateauOf,
  poolRobustness,
  runCoordinatedSweep,
  runWindowsWith,
  sweepIdOf,
} from '../../../../shared/optimize/index.ts'
import type {
  CheckpointStore,
  RobustnessReport,
  SimBlockStats,
  SimPlan,
  SweepPlan,
  SweepProgress,
  SweepSpec,
  SweepUpdate,
  TrainSweep,
  WalkForwardResult,
  WindowBounds,
  WorkerFactory,
  WorkerPool,
} from '../../../../shared/optimize/index.ts'
import type { ExecConfig } from '../../../../shared/engine/index.ts'
import { browserUserWorkerFactory, createLabPool, userSweepFactory, type UserWorkerFactory } from '../../../optimizer/browser-workers.ts'
import { UserSignals } from '../../../optimizer/user-signals.ts'
import { shortHash, userStrategyLibrary } from '../../../strategies/index.ts'
import { openCheckpointStore } from '../../../optimizer/checkpoint-store.ts'
import { BacktestParams, type BacktestOrigin, type ExecParams } from '../backtest/params.ts'
import { fmtDuration, fmtInt } from '../data/format.ts'
import type { CellProgress, SeriesValue } from '../types.ts'
import { gridCount, problemsOf, specOf, windowsOf } from './grid.ts'
import { dataIdentity, labelKey, labelOf, labelText, specKey, type SweepLabel } from './label.ts'
import { oosOf, sweepVerdict, type OptimizeOutput, type ValidationOutput } from './output.ts'
import type { OptimizeParams } from './params.ts'
import { topCombos, type TopCombos } from './table.ts'
import { plateauScore, verdictOf } from './verdict.ts'
import { labResolver, userHashOf } from './strategy.ts'
import * as v from 'valibot'

export const CHECKPOINT_DB = 'upbit-lab-optimize-cell'
/** Rows kept ranked for the table (it shows the first 20…500 of them). */
export const TOP_KEEP = 500
/** Checkpointed sweeps kept in the store besides the ones of the run that just finished. */
const KEEP_SWEEPS = 40
/**
 * The code that computed a cached robustness report: in a production build the URL of this module's
 * chunk, whose content hash changes with the report's code (rollup hashes cascade through imports).
 */
const CODE_VERSION = import.meta.url

export const NO_SERIES_MESSAGE = 'No candles to optimize on: add or run a data cell above this one.'

export type Phase = 'idle' | 'queued' | 'sweep' | 'out-of-sample' | 'walk-forward' | 'robustness' | 'done' | 'cancelled' | 'failed'

/** What the checkpoint meta of a cell's sweep holds (the coordinator stores it as `request`). */
interface CheckpointRequest {
  readonly kind: 'optimize-cell'
  /** The cell that last ran it (sweeps are shared by content: another cell may run the same one). */
  readonly cellId: string
  /** main: the table's sweep; oos: the holdout's test bars; wf-<k>: walk-forward train window k. */
  readonly role: string
  readonly label: SweepLabel
  readonly labelKey: string
  readonly labelText: string
  /** The robustness report of a finished main sweep, and the code that made it. */
  readonly report?: RobustnessReport
  readonly reportCode?: string
}

/** An unfinished or finished sweep of a cell found in the store. */
export interface SavedSweep {
  readonly sweepId: string
  readonly finished: boolean
  readonly comboCount: number
  readonly label: SweepLabel
  readonly labelText: string
  readonly updatedMs: number
}

/** The live state of one cell's sweep, as its component renders it. */
export class CellSweep {
  phase = $state<Phase>('idle')
  phaseText = $state('')
  progress = $state.raw<SweepProgress | null>(null)
  plan = $state.raw<SweepPlan | null>(null)
  labelText = $state('')
  /** The best combos so far (during the sweep) and the rows they point into. */
  top = $state.raw<TopCombos | null>(null)
  rows = $state.raw<Float64Array | null>(null)
  notes = $state.raw<string[]>([])
  /** The newest saved sweep of this cell (a checkpoint to resume from after a reload). */
  saved = $state.raw<SavedSweep | null>(null)

  get running(): boolean {
    return (
      this.phase === 'queued' ||
      this.phase === 'sweep' ||
      this.phase === 'out-of-sample' ||
      this.phase === 'walk-forward' ||
      this.phase === 'robustness'
    )
  }
}

export interface OptimizeSweepsOptions {
  /** Pool size; default navigator.hardwareConcurrency. */
  readonly workers?: number
  /** Default: module Web Workers (lab/optimizer/browser-workers.ts). */
  readonly factory?: WorkerFactory
  /** Workers of user strategies; default: the sandboxed module worker (user-sweep.worker.ts). */
  readonly userFactory?: UserWorkerFactory
  /** Longest one call of a user sweep worker may take (default USER_SWEEP_CALL_LIMIT_MS, 60 s). */
  readonly userCallLimitMs?: number
  /** Default: whether the page is cross-origin isolated. */
  readonly shareMemory?: boolean
  readonly openStore?: () => Promise<CheckpointStore>
  readonly now?: () => number
  readonly wallNow?: () => number
  /** Live table updates at most this often (default 150 ms). */
  readonly updateEveryMs?: number
  readonly checkpointEveryMs?: number
}

export interface RunRequest {
  readonly cellId: string
  readonly params: OptimizeParams
  readonly source: SeriesValue | undefined
  readonly signal: AbortSignal
  progress(p: CellProgress): void
}

const abortError = (): DOMException => new DOMException('The sweep was cancelled.', 'AbortError')

/** Combos per checkpointed chunk: about 64 per sweep, at most 256 (the coordinator's default). */
export const chunkSizeFor = (combos: number): number => Math.max(1, Math.min(256, Math.ceil(combos / 64)))

function isRequest(x: unknown): x is CheckpointRequest {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'optimize-cell'
}

function progressText(p: SweepProgress, what: string): string {
  const parts = [`${what}: ${fmtInt(p.doneCombos)} / ${fmtInt(p.totalCombos)} combos`]
  if (p.combosPerSec > 0) parts.push(`${fmtInt(p.combosPerSec)} combos/s`)
  if (Number.isFinite(p.etaMs) && p.doneCombos < p.totalCombos) parts.push(`about ${fmtDuration(p.etaMs / 1000)} left`)
  if (p.resumedCombos > 0) parts.push(`${fmtInt(p.resumedCombos)} from the checkpoint`)
  return parts.join(' · ')
}

/** The backtest cell's execution settings of a combo's config. */
export function execParamsOf(c: ExecConfig): ExecParams {
  return {
    initialCash: c.initialCash,
    orderType: c.orderType,
    feeRate: c.feeRate,
    slippageRate: c.slippageRate,
    aggressivenessRate: c.aggressivenessRate,
    orderTtlBars: c.orderTtlBars,
    sizing: { ...c.sizing },
    stopLossRate: c.stopLossRate,
    takeProfitRate: c.takeProfitRate,
    trailingStopRate: c.trailingStopRate,
  }
}

const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null)

interface SweepRun {
  readonly sweepId: string
  readonly plan: SweepPlan
  readonly rows: Float64Array
  readonly sims: SimPlan | undefined
  readonly blockSums: SimBlockStats | undefined
  readonly progress: SweepProgress
  readonly sharing: string
  /** The report cached with a finished main sweep (same label, same code). */
  readonly cachedReport: RobustnessReport | null
}

/** A run's inputs once its spec, label, windows and candles are settled. */
interface PreparedRun {
  readonly spec: SweepSpec
  readonly wholeSpec: SweepSpec
  readonly label: SweepLabel
  readonly text: string
  readonly windows: readonly WindowBounds[]
  readonly holdout: WindowBounds | null
  readonly series: CandleSeries
  readonly source: SeriesValue
}

export class OptimizeSweeps {
  readonly workers: number
  private readonly opts: OptimizeSweepsOptions
  // The per-cell states are rune classes; the map itself only grows (never rendered as a list).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly cells = new Map<string, CellSweep>()
  private pool: WorkerPool | undefined
  /** Whether `pool` runs user strategies (the sandboxed workers) or built-ins. */
  private poolIsUser = false
  /** User sources by hash, for the sandboxed workers (filled from the library before a run). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly userSources = new Map<string, string>()
  private storePromise: Promise<CheckpointStore> | undefined
  private turn: Promise<void> = Promise.resolve()
  private busy = 0

  constructor(opts: OptimizeSweepsOptions = {}) {
    this.opts = opts
    this.workers = opts.workers ?? Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2)
  }

  cell(id: string): CellSweep {
    let c = this.cells.get(id)
    if (c === undefined) {
      c = new CellSweep()
      this.cells.set(id, c)
    }
    return c
  }

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))()
  }

  store(): Promise<CheckpointStore> {
    this.storePromise ??= (this.opts.openStore ?? (() => openCheckpointStore(CHECKPOINT_DB)))().catch((e: unknown) => {
      this.storePromise = undefined
      throw e
    })
    return this.storePromise
  }

  /** The pool of built-in sweeps, or (user) of the sandboxed workers; the other kind's is ended. */
  private getPool(user = false): WorkerPool {
    if (this.pool !== undefined && this.pool.alive && this.poolIsUser !== user) void this.pool.terminate()
    if (this.pool === undefined || !this.pool.alive || this.poolIsUser !== user) {
      const factory = user
        ? userSweepFactory(this.opts.userFactory ?? browserUserWorkerFactory, (h) => this.userSources.get(h), this.opts.userCallLimitMs)
        : this.opts.factory
      this.pool = createLabPool({ size: this.workers, factory, shareMemory: this.opts.shareMemory })
      this.poolIsUser = user
    }
    return this.pool
  }

  /** Loads the source of the user version `params` names from the library (a clear error when it is missing). */
  private async loadUser(params: OptimizeParams): Promise<void> {
    const hash = userHashOf(params)
    if (hash === undefined) {
      if (params.strategy.startsWith('user.'))
        throw new Error(`Pick ${params.strategy} again in the strategy list: the cell does not say which version to sweep.`)
      return
    }
    const entry = await userStrategyLibrary().load(hash)
    if (entry === undefined || entry.id !== params.strategy)
      throw new Error(
        `The source of ${params.strategy} #${shortHash(hash)} is not in this browser's strategy library. Run the strategy cell that defines it, then pick it again here.`,
      )
    this.userSources.set(hash, entry.source)
  }

  /** Runs `work` after every run before it (one at a time on the pool); `onWait` when it has to wait. */
  private async exclusive<T>(signal: AbortSignal | undefined, onWait: () => void, work: () => Promise<T>): Promise<T> {
    const before = this.turn
    let release!: () => void
    this.turn = new Promise<void>((r) => (release = r))
    if (this.busy > 0) onWait()
    this.busy++
    try {
      await before
      if (signal?.aborted === true) throw abortError()
      return await work()
    } finally {
      this.busy--
      release()
    }
  }

  /** Stops the workers (the lab is closing). */
  dispose(): void {
    void this.pool?.terminate()
    this.pool = undefined
  }

  /** Looks up the newest checkpointed main sweep of a cell (for "resume" after a reload). */
  async refreshSaved(cellId: string): Promise<SavedSweep | null> {
    const c = this.cell(cellId)
    let found: SavedSweep | null = null
    try {
      for (const m of await (await this.store()).listSweeps()) {
        const r = m.request
        if (!isRequest(r) || r.cellId !== cellId || r.role !== 'main' || labelKey(r.label) !== r.labelKey) continue
        found = {
          sweepId: m.sweepId,
          finished: m.finished,
          comboCount: m.comboCount,
          label: r.label,
          labelText: r.labelText,
          updatedMs: m.updatedMs,
        }
        break
      }
    } catch {
      found = null
    }
    c.saved = found
    return found
  }

  /** The cell's run (the cell kind's `run`). Throws an AbortError when cancelled. */
  async run(req: RunRequest): Promise<OptimizeOutput> {
    const c = this.cell(req.cellId)
    const { params } = req
    const source = req.source
    if (source === undefined) throw new Error(NO_SERIES_MESSAGE)
    const series = source.series
    const bars = series.time.length
    if (bars < 2) throw new Error(`The data cell above has ${bars} bar${bars === 1 ? '' : 's'}: a sweep needs at least 2.`)
    await this.loadUser(params)
    const problems = problemsOf(params)
    if (problems.length > 0) throw new Error(`The grid cannot run: ${problems.join('; ')}.`)
    const count = gridCount(params).count
    if (count > params.confirmAbove && params.confirmedCombos !== count)
      throw new Error(
        `This sweep has ${fmtInt(count)} combos, more than the ${fmtInt(params.confirmAbove)} you asked to confirm: press “Run ${fmtInt(count)} combos” in the cell to run it.`,
      )
    const win = windowsOf(params.validation, bars)
    if ('error' in win) throw new Error(`The out-of-sample check does not fit the data: ${win.error}.`)
    const windows = win.windows
    const wholeSpec = specOf(params)
    const holdout = params.validation.kind === 'holdout' ? windows[0]! : null
    const spec = holdout === null ? wholeSpec : specOf(params, { fromBar: holdout.trainFrom, toBar: holdout.trainTo })
    const label = labelOf(wholeSpec, params.validation, dataIdentity(source))
    const text = labelText(label, count)

    c.phase = 'queued'
    c.phaseText = 'waiting for another optimize cell to finish'
    c.progress = null
    c.top = null
    c.rows = null
    c.plan = null
    c.labelText = text
    c.notes = []
    return this.exclusive(
      req.signal,
      () => req.progress({ fraction: null, text: 'queued behind another optimize cell' }),
      async () => {
        try {
          const out = await this.runNow(req, c, { spec, wholeSpec, label, text, windows, holdout, series, source })
          c.phase = 'done'
          c.phaseText = ''
          void this.refreshSaved(req.cellId)
          return out
        } catch (e) {
          c.phase = req.signal.aborted ? 'cancelled' : 'failed'
          void this.refreshSaved(req.cellId)
          throw req.signal.aborted ? abortError() : e
        }
      },
    )
  }

  private async runNow(req: RunRequest, c: CellSweep, r: PreparedRun): Promise<OptimizeOutput> {
    const { signal } = req
    const userHash = r.spec.strategyHash
    // The out-of-sample stitching runs the chosen combo's signals: for a user strategy they come
    // from a sandboxed worker (never computed on the page), ended with the run.
    const userSignals =
      userHash !== undefined ? new UserSignals(this.opts.userFactory ?? browserUserWorkerFactory, (h) => this.userSources.get(h)) : null
    const stitchable = async (t: TrainSweep): Promise<TrainSweep> => {
      if (userSignals === null || userHash === undefined) return t
      const best = bestCombos(t.rows, t.plan.comboCount, 1, { objective: t.plan.objective, constraints: t.plan.constraints })[0]
      if (best === undefined) return t
      const sig = await userSignals.signals(r.series, userHash, comboAt(t.plan, best.combo).params, signal)
      return { ...t, plan: { ...t.plan, strategy: { ...t.plan.strategy, signals: () => sig } } }
    }
    try {
      return await this.runSteps(req, c, r, stitchable)
    } finally {
      userSignals?.dispose()
    }
  }

  private async runSteps(
    req: RunRequest,
    c: CellSweep,
    r: PreparedRun,
    stitchable: (t: TrainSweep) => Promise<TrainSweep>,
  ): Promise<OptimizeOutput> {
    const { params, signal } = req
    const user = r.spec.strategyHash !== undefined
    const notes: string[] = []
    const used: string[] = []
    const sweep = (role: string, spec: SweepSpec, what: string, live: boolean): Promise<SweepRun> =>
      this.sweepOnce({
        cellId: req.cellId,
        role,
        spec,
        label: r.label,
        text: r.text,
        series: r.series,
        signal,
        notes,
        live,
        what,
        req,
        c,
      }).then((s) => {
        used.push(s.sweepId)
        return s
      })

    // 1. The table's sweep.
    c.phase = 'sweep'
    c.phaseText = 'sweep'
    const main = await sweep('main', r.spec, r.holdout === null ? 'sweep' : 'in-sample sweep', true)
    const top = topCombos(main.rows, main.plan.comboCount, TOP_KEEP, main.plan.objective, main.plan.constraints)
    c.top = top
    c.rows = main.rows
    c.plan = main.plan
    c.progress = main.progress

    // 2. The out-of-sample check.
    let validation: ValidationOutput | null = null
    if (r.holdout !== null) {
      c.phase = 'out-of-sample'
      c.phaseText = 'out-of-sample sweep over the holdout bars'
      const w = r.holdout
      const oos = await sweep('oos', specOf(params, { fromBar: w.testFrom, toBar: w.testTo }), 'out-of-sample', false)
      const result = await runWindowsWith(r.series, r.spec, [w], () =>
        stitchable({ plan: main.plan, rows: main.rows, distinctTrials: main.progress.simCount }),
      )
      validation = { kind: 'holdout', window: w, oosRows: oos.rows, result }
    } else if (params.validation.kind === 'walkForward') {
      c.phase = 'walk-forward'
      let k = 0
      const n = r.windows.length
      const result: WalkForwardResult = await runWindowsWith(r.series, r.wholeSpec, r.windows, async (s) => {
        k++
        c.phaseText = `walk-forward window ${k} of ${n}`
        const t = await sweep(`wf-${k}`, s, `walk-forward window ${k} of ${n}`, false)
        return stitchable({ plan: t.plan, rows: t.rows, distinctTrials: t.progress.simCount })
      })
      validation = { kind: 'walkForward', windows: r.windows, result }
    }
    if (signal.aborted) throw abortError()

    // 3. The robustness report of the table's sweep.
    c.phase = 'robustness'
    c.phaseText = 'deflated Sharpe, PBO and plateau'
    req.progress({ fraction: null, text: 'robustness report: deflated Sharpe, PBO (exact CSCV) and plateau on the workers' })
    let robustness: RobustnessReport | null = main.cachedReport
    let robustnessError: string | null = null
    if (robustness !== null) notes.push('The robustness report was computed when this sweep first finished (kept with its checkpoint).')
    else {
      const pool = this.getPool(user)
      const stop = (): void => void pool.terminate()
      signal.addEventListener('abort', stop, { once: true })
      try {
        robustness = await poolRobustness(
          pool,
          r.series,
          r.spec,
          { rows: main.rows, sims: main.sims, blockSums: main.blockSums },
          { resolveStrategy: labResolver },
        )
        await this.keepReport(main.sweepId, robustness)
      } catch (e) {
        if (signal.aborted) throw abortError()
        robustnessError = e instanceof Error ? e.message : String(e)
      } finally {
        signal.removeEventListener('abort', stop)
      }
    }
    const verdict = sweepVerdict(robustness, robustnessError, top.ranked, validation)
    await this.forgetOthers(req.cellId, used)
    return {
      cellId: req.cellId,
      label: r.label,
      labelText: r.text,
      source: r.source,
      spec: r.spec,
      plan: main.plan,
      sweepId: main.sweepId,
      rows: main.rows,
      top,
      progress: main.progress,
      workers: this.workers,
      sharing: main.sharing,
      robustness,
      robustnessError,
      validation,
      verdict,
      notes,
    }
  }

  /** One checkpointed sweep on the pool; refuses (and discards) a checkpoint with another label. */
  private async sweepOnce(a: {
    cellId: string
    role: string
    spec: SweepSpec
    label: SweepLabel
    text: string
    series: CandleSeries
    signal: AbortSignal
    notes: string[]
    live: boolean
    what: string
    req: RunRequest
    c: CellSweep
  }): Promise<SweepRun> {
    const store = await this.store()
    const comboCount = planSweep(a.spec, labResolver).comboCount
    const user = a.spec.strategyHash !== undefined
    const chunkSize = chunkSizeFor(comboCount)
    const sweepId = sweepIdOf({ spec: a.spec, chunkSize, dataHash: a.label.data.hash })
    const key = labelKey(a.label)
    const request: CheckpointRequest = {
      kind: 'optimize-cell',
      cellId: a.cellId,
      role: a.role,
      label: a.label,
      labelKey: key,
      labelText: a.text,
    }
    let cached: RobustnessReport | null = null
    const meta = await store.getMeta(sweepId)
    if (meta !== undefined) {
      const got = meta.request
      if (!isRequest(got) || got.labelKey !== key || labelKey(got.label) !== key || got.role !== a.role) {
        const other = isRequest(got) ? got.labelText : 'no label'
        a.notes.push(
          `Refused a checkpoint stored under this sweep's id: it is labelled “${other}” (${isRequest(got) ? got.role : '?'}), not this sweep. It was discarded and the sweep ran from scratch.`,
        )
        await store.deleteSweep(sweepId)
      } else if (meta.finished && got.report !== undefined && got.reportCode === CODE_VERSION) {
        cached = got.report
      }
    }
    const every = this.opts.updateEveryMs ?? 150
    let last = -Infinity
    const onUpdate = (u: SweepUpdate): void => {
      a.req.progress({ fraction: u.progress.doneCombos / Math.max(1, u.progress.totalCombos), text: progressText(u.progress, a.what) })
      if (!a.live) return
      a.c.progress = u.progress
      const t = this.now()
      if (t - last < every && u.progress.doneCombos < u.progress.totalCombos) return
      last = t
      a.c.plan = u.plan
      a.c.rows = u.rows
      a.c.top = topCombos(u.rows, u.plan.comboCount, TOP_KEEP, u.plan.objective, u.plan.constraints)
    }
    const outcome = await runCoordinatedSweep(
      {
        series: a.series,
        spec: a.spec,
        chunkSize,
        // The cached report rides along, so the meta the coordinator rewrites keeps it.
        request: cached === null ? request : { ...request, report: cached, reportCode: CODE_VERSION },
        signal: a.signal,
        onUpdate,
        checkpointEveryMs: this.opts.checkpointEveryMs,
        ...(a.role === 'main' ? { blockSums: {} } : {}),
      },
      {
        store,
        getPool: () => this.getPool(user),
        now: () => this.now(),
        wallNow: this.opts.wallNow ?? (() => Date.now()),
        resolveStrategy: labResolver,
      },
    )
    if (outcome.kind === 'invalid') throw new Error(`The sweep is not valid: ${outcome.errors.join('; ')}`)
    if (outcome.kind === 'failed') throw new Error(`The sweep failed: ${outcome.error}`)
    if (outcome.kind === 'cancelled') throw abortError()
    const u = outcome.update
    if (a.live) {
      a.c.progress = u.progress
      a.c.plan = u.plan
    }
    return {
      sweepId,
      plan: u.plan,
      rows: u.rows,
      sims: u.sims,
      blockSums: u.blockSums,
      progress: u.progress,
      sharing: u.sharing,
      cachedReport: cached,
    }
  }

  /** Keeps a finished main sweep's report in its checkpoint meta (a reload then shows it at once). */
  private async keepReport(sweepId: string, report: RobustnessReport): Promise<void> {
    try {
      const store = await this.store()
      const meta = await store.getMeta(sweepId)
      if (meta === undefined || !meta.finished || !isRequest(meta.request)) return
      await store.putMeta({ ...meta, request: { ...meta.request, report, reportCode: CODE_VERSION } })
    } catch {
      // Only a cache: the next run computes the report again.
    }
  }

  /** Drops the cell's older sweeps (not the ones this run used), and any beyond the newest KEEP_SWEEPS. */
  private async forgetOthers(cellId: string, used: readonly string[]): Promise<void> {
    try {
      const store = await this.store()
      const all = await store.listSweeps()
      for (const [i, m] of all.entries()) {
        if (used.includes(m.sweepId)) continue
        const mine = isRequest(m.request) && m.request.cellId === cellId
        if (mine || i >= KEEP_SWEEPS) await store.deleteSweep(m.sweepId)
      }
    } catch {
      // Housekeeping only.
    }
  }

  /**
   * The params of a backtest cell for one combo of a finished sweep, with the sweep's evidence in
   * `origin` (its rank, score, out-of-sample figures, the deflated Sharpe of this very combo on
   * the pool, PBO, its plateau and its verdict by the same rules).
   */
  async backtestFor(out: OptimizeOutput, combo: number): Promise<BacktestParams> {
    const plan = out.plan
    const c = comboAt(plan, combo)
    const row = (m: keyof typeof METRIC_INDEX): number => out.rows[combo * METRIC_COUNT + METRIC_INDEX[m]]!
    let rank = out.top.combos.indexOf(combo) + 1
    if (rank === 0) rank = rankOf(out, combo)
    const report = out.robustness
    let dsrProbability = Number.NaN
    let deflated = Number.NaN
    if (report !== null && report.best !== null && Number.isFinite(report.dsr.sharpeVariance)) {
      if (combo === report.best.combo) {
        dsrProbability = report.dsr.dsr
        deflated = (report.dsr.sharpe - report.dsr.expectedMaxSharpe) * Math.sqrt(365)
      } else {
        const daily = await this.exclusive(
          undefined,
          () => undefined,
          async () => {
            const r = await this.getPool(out.spec.strategyHash !== undefined).simulate(
              0,
              out.source.series,
              out.spec,
              Int32Array.of(combo),
              {
                daily: true,
              },
            )
            return r.daily!
          },
        )
        const m = moments(daily)
        const sharpe = m.mean / m.std
        const d = deflatedSharpe({
          sharpe,
          observations: daily.length,
          skew: m.skew,
          kurtosis: m.kurtosis,
          trials: report.simCount,
          sharpeVariance: report.dsr.sharpeVariance,
        })
        dsrProbability = d.dsr
        deflated = (sharpe - d.expectedMaxSharpe) * Math.sqrt(365)
      }
    }
    const plateau = plateauOf(out.rows, plan.sizes, combo, plan.objective)
    const oos = oosOf(out.validation, combo)
    const verdict =
      report === null
        ? out.verdict
        : verdictOf({
            candidates: out.top.ranked,
            pbo: report.pbo.pbo,
            dsrProbability,
            plateau,
            oosSharpe: oos === null ? null : oos.sharpe,
          })
    const origin: BacktestOrigin = {
      kind: 'sweep',
      cellId: out.cellId,
      sweepLabel: out.labelText.length > 400 ? `${out.labelText.slice(0, 399)}…` : out.labelText,
      rank,
      combos: plan.comboCount,
      objective: plan.objective,
      score: finiteOrNull(row(plan.objective)),
      oosReturn: finiteOrNull(oos?.totalReturn),
      oosSharpe: finiteOrNull(oos?.sharpe),
      deflatedSharpe: finiteOrNull(deflated),
      dsrProbability: finiteOrNull(dsrProbability),
      pbo: finiteOrNull(report?.pbo.pbo),
      plateau: finiteOrNull(plateauScore(plateau)),
      verdict: verdict.kind,
    }
    const hash = out.spec.strategyHash
    const params: BacktestParams = {
      strategy: plan.strategy.id,
      values: { ...c.params },
      exec: execParamsOf(c.exec),
      origin,
      // A user strategy opens at the very version swept.
      ...(hash === undefined ? {} : { user: { hash, version: plan.strategy.version } }),
    }
    return v.parse(BacktestParams, params)
  }
}

/** 1 + the combos that rank before `combo` (for a combo outside the kept top rows). */
function rankOf(out: OptimizeOutput, combo: number): number {
  const all = topCombos(out.rows, out.plan.comboCount, out.plan.comboCount, out.plan.objective, out.plan.constraints)
  const i = all.combos.indexOf(combo)
  return i < 0 ? out.plan.comboCount : i + 1
}

/** The spec key of a saved sweep or a result, comparable with specKey of the cell's inputs. */
export const savedSpecKey = (s: { readonly label: SweepLabel }): string => specKey(s.label)

let shared: OptimizeSweeps | undefined

/** The lab's one owner of the optimize workers (created on first use). */
export function optimizeSweeps(): OptimizeSweeps {
  shared ??= new OptimizeSweeps()
  return shared
}

/** Tests replace it with one on fake workers. */
export function setOptimizeSweeps(s: OptimizeSweeps | undefined): void {
  shared = s
}
