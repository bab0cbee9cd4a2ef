// The signals of a run's strategy. Built-ins are called in-process; a user strategy runs in its
// own sandbox thread (edge/strategies/sandbox.ts) on exactly the promoted source (looked up by the
// hash the promotion names), so its signals are computed asynchronously before each step
// (`prepare`) and handed to the synchronous decision code. A sandbox call over its time limit
// fails the step: the run halts, visibly, with the reason.
import type { CandleSeries } from '../../shared/candles/types.ts'
import { findStrategy } from '../../shared/strategies/index.ts'
import type { Journal } from '../journal/index.ts'
import type { PromotionConfig } from '../promotions/index.ts'
import { StrategySandbox } from '../strategies/sandbox.ts'
import { boundSignals } from './paper-run.ts'

export interface SignalsProvider {
  /** The strategy's warm-up with the promotion's params. */
  readonly warmup: number
  readonly signals: (s: CandleSeries) => Int8Array
  readonly prepare?: (s: CandleSeries) => Promise<void>
  close(): Promise<void>
}

export async function signalsFor(config: PromotionConfig, journal: Journal): Promise<SignalsProvider> {
  const hash = config.strategy.sourceHash
  if (hash === undefined) {
    const def = findStrategy(config.strategy.id)
    if (def === undefined) throw new Error(`strategy ${config.strategy.id} is not registered`)
    return { warmup: def.warmup(config.params), signals: boundSignals(def, config.params), close: async () => {} }
  }
  const row = journal.sources.get(hash)
  if (row === undefined) throw new Error(`the source of ${config.strategy.id} (${hash.slice(0, 12)}…) is not in the journal`)
  const opened = await StrategySandbox.open(row.source)
  if (!opened.ok) throw new Error(`strategy ${config.strategy.id}: ${opened.error.message}`)
  const box = opened.value
  let cached: Int8Array | null = null
  return {
    warmup: await box.warmup(config.params),
    prepare: async (s) => {
      cached = null
      cached = await box.signals(s, config.params)
    },
    signals: (s) => {
      if (cached === null || cached.length !== s.time.length)
        throw new Error(`strategy ${config.strategy.id}: signals were not computed for this step`)
      return cached
    },
    close: () => box.close(),
  }
}
