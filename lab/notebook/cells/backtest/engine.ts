// The backtest engine behind the worker (backtest.worker.ts exposes it with comlink; tests and
// browsers without workers call it in process). Candles are loaded once per data range under an
// id, then runs and look-ahead checks name that id, so a parameter change posts only params.
// Per lane (one backtest cell) a run supersedes the lane's look-ahead check in progress: the
// check works one cut point at a time and yields between them, so a new run is never kept
// waiting by more than one cut. Replies are Result-like, never thrown: errors here are bad
// params, said in words for the user.
import type { CandleSeries } from '../../../../shared/candles/index.ts'
import type { Result } from '../../../../shared/result.ts'
import { lookaheadSteps, type LookaheadReport } from '../../../../shared/strategies/audit/index.ts'
import type { StrategyDef } from '../../../../shared/strategies/index.ts'
import type { UserStrategyMeta } from '../../../../shared/strategies/user/module.ts'
import type { SourceError } from '../../../../shared/strategies/user/source.ts'
import { stableJson } from '../../model/stable-json.ts'
import { computeWith, prepareRun, type BacktestRun } from './compute.ts'
import { packedBuffers, packResult, type PackedResult } from './pack.ts'
import type { BacktestParams } from './params.ts'

/** A run as it travels: trades and rejected orders in columns (pack.ts). */
export interface PackedRun extends Omit<BacktestRun, 'result'> {
  readonly result: PackedResult
}

export type RunReply = { readonly ok: true; readonly value: PackedRun } | { readonly ok: false; readonly error: string }

export type LookaheadReply =
  | { readonly kind: 'done'; readonly report: LookaheadReport; readonly elapsedMs: number }
  | { readonly kind: 'superseded' }
  | { readonly kind: 'error'; readonly message: string }

export type DefineReply = { readonly ok: true; readonly meta: UserStrategyMeta } | { readonly ok: false; readonly error: string }

/** Loads a user strategy's source in the sandbox (the worker's SES compartment). */
export type LoadUserStrategy = (source: string) => Result<{ def: StrategyDef; meta: UserStrategyMeta }, SourceError>

/** The engine's calls (synchronous in process; a comlink Remote makes each one a Promise). */
export interface BacktestEngineApi {
  load(dataId: string, series: CandleSeries): void
  unload(dataId: string): void
  /** Loads a user strategy under its source hash; runs whose params name that hash use it. */
  defineUser(hash: string, source: string): DefineReply
  run(lane: string, dataId: string, params: BacktestParams): RunReply
  lookahead(lane: string, dataId: string, params: BacktestParams): Promise<LookaheadReply>
}

export interface EngineOptions {
  /** comlink's transfer (the result's equity buffer moves instead of being copied). */
  readonly transfer?: <T>(value: T, transferables: Transferable[]) => T
  /** Lets queued messages in between two cut points (default: a macrotask). */
  readonly yieldNow?: () => Promise<void>
  readonly now?: () => number
  /** Cut points per check (default 20) and the work limit in series lengths (default 12). */
  readonly cutCount?: number
  readonly maxWorkFactor?: number
  /**
   * Wait before a check starts (default 0): while a slider is being dragged the next run comes
   * within this time, so the check never keeps it waiting for a cut.
   */
  readonly checkDelayMs?: number
  /**
   * How user strategies are loaded (the worker: SES after lockdown). Absent: user strategies are
   * refused, as in the in-process engine of a browser without module workers.
   */
  readonly loadUser?: LoadUserStrategy
}

const macrotask = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

export function createBacktestEngine(opts: EngineOptions = {}): BacktestEngineApi {
  const data = new Map<string, CandleSeries>()
  const tickets = new Map<string, number>()
  // The signals of each lane's last run, reused as the full run of its look-ahead check.
  const lastSignals = new Map<string, { dataId: string; key: string; signals: Int8Array }>()
  const now = opts.now ?? (() => performance.now())
  const yieldNow = opts.yieldNow ?? macrotask
  const transfer = opts.transfer ?? (<T>(v: T): T => v)
  const bump = (lane: string): number => {
    const t = (tickets.get(lane) ?? 0) + 1
    tickets.set(lane, t)
    return t
  }
  const seriesOf = (dataId: string): CandleSeries => {
    const s = data.get(dataId)
    if (s === undefined) throw new Error(`The candles '${dataId}' are not loaded in the backtest worker.`)
    return s
  }

  const userDefs = new Map<string, StrategyDef>()
  const prepare = (params: BacktestParams) => prepareRun(params, params.user === undefined ? undefined : userDefs.get(params.user.hash))

  return {
    defineUser(hash, source) {
      if (opts.loadUser === undefined)
        return { ok: false, error: 'This browser cannot run user strategies in a sandbox (no module workers).' }
      const had = userDefs.get(hash)
      if (had !== undefined)
        return { ok: true, meta: { id: had.id, version: had.version, name: had.name, description: had.description, params: had.params } }
      try {
        const r = opts.loadUser(source)
        if (!r.ok)
          return {
            ok: false,
            error: `The strategy's source does not load: ${r.error.message}${r.error.line !== undefined ? ` (line ${r.error.line})` : ''}`,
          }
        userDefs.set(hash, r.value.def)
        return { ok: true, meta: r.value.meta }
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) }
      }
    },
    load(dataId, series) {
      data.set(dataId, series)
    },
    unload(dataId) {
      data.delete(dataId)
      for (const [lane, l] of lastSignals) if (l.dataId === dataId) lastSignals.delete(lane)
    },
    run(lane, dataId, params) {
      bump(lane)
      try {
        const prepared = prepare(params)
        const { run, signals } = computeWith(prepared, seriesOf(dataId), now)
        lastSignals.set(lane, { dataId, key: stableJson([prepared.def.id, prepared.sourceHash ?? null, prepared.params]), signals })
        const result = packResult(run.result)
        return transfer({ ok: true, value: { ...run, result } }, packedBuffers(result))
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) }
      }
    },
    async lookahead(lane, dataId, params) {
      const ticket = tickets.get(lane) ?? 0
      try {
        if ((opts.checkDelayMs ?? 0) > 0) await new Promise((r) => setTimeout(r, opts.checkDelayMs))
        if (tickets.get(lane) !== ticket) return { kind: 'superseded' }
        const t0 = now()
        const { def, params: resolved, sourceHash } = prepare(params)
        const series = seriesOf(dataId)
        const run = (s: CandleSeries): Int8Array => def.signals(s, resolved)
        const last = lastSignals.get(lane)
        const key = stableJson([def.id, sourceHash ?? null, resolved])
        const full = last !== undefined && last.dataId === dataId && last.key === key ? last.signals : run(series)
        const steps = lookaheadSteps(
          run,
          series,
          { count: opts.cutCount, warmup: def.warmup(resolved), maxWorkFactor: opts.maxWorkFactor },
          full,
        )
        for (;;) {
          await yieldNow()
          if (tickets.get(lane) !== ticket) return { kind: 'superseded' }
          const step = steps.next()
          if (step.done === true) return { kind: 'done', report: step.value, elapsedMs: now() - t0 }
        }
      } catch (e) {
        return { kind: 'error', message: e instanceof Error ? e.message : String(e) }
      }
    },
  }
}
