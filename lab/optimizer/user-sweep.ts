// The sweep worker of user strategies: the one sweep worker (shared/optimize/coordinator/
// sweep-worker.ts) whose strategies come from sources loaded in this worker's sandbox, by content
// hash, instead of the built-in registry. The page posts each source once per worker (defineUser,
// through userSourcesApi below) before the first call that names its hash; a spec whose hash was
// never defined here is refused by the shared validator, never run under another version.
// `signals` serves the out-of-sample check: the page stitches test windows itself but must not
// run user code, so it asks for the chosen combo's signals here.
// Pure of platform APIs: the transport's transfer marker and the sandbox's loader are injected
// (user-sweep.worker.ts: comlink and SES; tests: a plain evaluator).
import { createSweepWorker, unpackCandles } from '../../shared/optimize/coordinator/index.ts'
import { MAX_SERIES_PER_WORKER } from '../../shared/optimize/coordinator/worker-api.ts'
import type { CandlePayload, RemoteSweepWorker, SweepWorkerApi, TransferMarker } from '../../shared/optimize/coordinator/index.ts'
import type { SweepSpec } from '../../shared/optimize/index.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Result } from '../../shared/result.ts'
import { resolveParams, type Params, type StrategyDef } from '../../shared/strategies/index.ts'
import type { UserStrategyMeta } from '../../shared/strategies/user/module.ts'
import type { SourceError } from '../../shared/strategies/user/source.ts'

export type DefineResult = { readonly ok: true; readonly meta: UserStrategyMeta } | { readonly ok: false; readonly error: string }

/** Loads a user strategy's source in the sandbox (the worker's SES compartment). */
export type LoadUserStrategy = (source: string) => Result<{ def: StrategyDef; meta: UserStrategyMeta }, SourceError>

export interface UserSweepWorkerApi extends SweepWorkerApi {
  /** Loads a source under its hash; specs naming that hash then sweep it. */
  defineUser(hash: string, source: string): DefineResult
  /** The signals of one param set of a defined strategy over a loaded series. */
  signals(seriesId: number, hash: string, params: Params): Int8Array
}

export type RemoteUserSweepWorker = {
  readonly [K in keyof UserSweepWorkerApi]: (...args: Parameters<UserSweepWorkerApi[K]>) => Promise<ReturnType<UserSweepWorkerApi[K]>>
}

export interface UserSweepWorkerOptions {
  readonly transfer?: TransferMarker
  readonly load: LoadUserStrategy
}

export function createUserSweepWorker(opts: UserSweepWorkerOptions): UserSweepWorkerApi {
  const defs = new Map<string, StrategyDef>()
  // The series as loaded, for `signals` (views over the same buffers the sweep worker keeps).
  const series = new Map<number, CandleSeries>()
  const base = createSweepWorker({
    ...(opts.transfer === undefined ? {} : { transfer: opts.transfer }),
    // Only sources defined here, by hash; the id must match (the validator checks it).
    resolveStrategy: (_id, hash) => (hash === undefined ? undefined : defs.get(hash)),
  })
  const out: TransferMarker = opts.transfer ?? ((v) => v)
  return {
    ...base,
    loadSeries(seriesId: number, candles: CandlePayload) {
      const r = base.loadSeries(seriesId, candles)
      series.delete(seriesId)
      series.set(seriesId, unpackCandles(candles))
      while (series.size > MAX_SERIES_PER_WORKER) series.delete(series.keys().next().value!)
      return r
    },
    defineUser(hash, source) {
      const had = defs.get(hash)
      if (had !== undefined)
        return { ok: true, meta: { id: had.id, version: had.version, name: had.name, description: had.description, params: had.params } }
      try {
        const r = opts.load(source)
        if (!r.ok)
          return {
            ok: false,
            error: `The strategy's source does not load: ${r.error.message}${r.error.line !== undefined ? ` (line ${r.error.line})` : ''}`,
          }
        defs.set(hash, r.value.def)
        return { ok: true, meta: r.value.meta }
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) }
      }
    },
    signals(seriesId, hash, params) {
      const def = defs.get(hash)
      if (def === undefined) throw new Error(`user sweep worker: signals of #${hash.slice(0, 8)} before defineUser`)
      const s = series.get(seriesId)
      if (s === undefined) throw new Error(`user sweep worker: signals before loadSeries(${seriesId})`)
      const sig = def.signals(s, resolveParams(def, params))
      return out(sig, [sig.buffer as ArrayBuffer])
    },
  }
}

/**
 * A user sweep worker as the shared pool sees it (a plain RemoteSweepWorker): every call that
 * names a spec first makes sure its source is defined in that worker (once per worker and hash),
 * with the source `sourceOf` gives. A source that does not load fails the call with its message.
 */
export function userSourcesApi(remote: RemoteUserSweepWorker, sourceOf: (hash: string) => string | undefined): RemoteSweepWorker {
  const defined = new Map<string, Promise<void>>()
  const ensure = (spec: SweepSpec): Promise<void> => {
    const hash = spec.strategyHash
    if (hash === undefined) return Promise.resolve()
    let p = defined.get(hash)
    if (p === undefined) {
      p = (async () => {
        const source = sourceOf(hash)
        if (source === undefined) throw new Error(`the source of ${spec.strategyId} #${hash.slice(0, 8)} is not known to the optimizer`)
        const r = await remote.defineUser(hash, source)
        if (!r.ok) throw new Error(r.error)
      })()
      p.catch(() => defined.delete(hash))
      defined.set(hash, p)
    }
    return p
  }
  return {
    loadSeries: (id, c) => remote.loadSeries(id, c),
    prepare: async (id, spec) => (await ensure(spec), remote.prepare(id, spec)),
    classKeys: (a, b) => remote.classKeys(a, b),
    runSims: (combos, blocks) => remote.runSims(combos, blocks),
    simulate: async (id, spec, combos, want) => (await ensure(spec), remote.simulate(id, spec, combos, want)),
    planSims: async (id, spec) => (await ensure(spec), remote.planSims(id, spec)),
    cscvWorse: (task) => remote.cscvWorse(task),
  }
}
