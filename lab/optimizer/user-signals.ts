// Signals of a user strategy for the page's out-of-sample check: the holdout and walk-forward
// stitching (shared/optimize/robust/walk-forward.ts) runs the chosen combo's signals on the test
// bars, but user code must never run on the page. One sandboxed worker per optimize run answers
// them (the series loaded once); an abort terminates it, as an endless loop leaves no other way.
import { packCandles } from '../../shared/optimize/coordinator/index.ts'
import type { CandleSeries } from '../../shared/candles/types.ts'
import type { Params } from '../../shared/strategies/index.ts'
import type { UserWorkerFactory, UserWorkerHandle } from './browser-workers.ts'

export class UserSignals {
  private h: UserWorkerHandle | null = null
  private loaded: CandleSeries | null = null
  private readonly defined = new Set<string>()

  constructor(
    private readonly factory: UserWorkerFactory,
    private readonly sourceOf: (hash: string) => string | undefined,
  ) {}

  /** The signals of `params` of the source `hash` over `series`; rejects with an AbortError on abort. */
  async signals(series: CandleSeries, hash: string, params: Params, signal: AbortSignal): Promise<Int8Array> {
    if (signal.aborted) throw new DOMException('The sweep was cancelled.', 'AbortError')
    this.h ??= this.factory()
    const h = this.h
    let onAbort: () => void = () => {}
    const aborted = new Promise<never>((_, reject) => {
      onAbort = (): void => {
        this.dispose()
        reject(new DOMException('The sweep was cancelled.', 'AbortError'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
    aborted.catch(() => undefined)
    const call = <T>(p: Promise<T>): Promise<T> => Promise.race([p, h.failed, aborted])
    try {
      if (this.loaded !== series) {
        await call(h.api.loadSeries(1, packCandles(series, false)))
        this.loaded = series
      }
      if (!this.defined.has(hash)) {
        const source = this.sourceOf(hash)
        if (source === undefined) throw new Error(`the source #${hash.slice(0, 8)} is not known to the optimizer`)
        const r = await call(h.api.defineUser(hash, source))
        if (!r.ok) throw new Error(r.error)
        this.defined.add(hash)
      }
      return await call(h.api.signals(1, hash, params))
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  dispose(): void {
    this.h?.terminate()
    this.h = null
    this.loaded = null
    this.defined.clear()
  }
}
