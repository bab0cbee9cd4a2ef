// What paper and live runs share: the append-only series they decide on, the kernel state, where
// deciding starts (after warm-up, or at the first decided bar of a run resumed after a restart)
// and which bars are replayed silently (already journaled before the restart).
import type { CandleSeries } from '../../shared/candles/types.ts'
import { KernelState } from '../../shared/engine/state.ts'
import { LiveSeries } from './live-series.ts'

/** A decision that must not be traded on: the run halts with this message. */
export class RunHalt extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RunHalt'
  }
}

export interface LastDecision {
  readonly barTimeMs: number
  readonly signal: number
  readonly intents: readonly string[]
}

export interface PositionView {
  readonly qtyBase: number
  readonly entryPrice: number
  readonly entryBarTimeMs: number | null
  readonly cashQuote: number
}

export interface PendingView {
  readonly id: string
  readonly side: 'buy' | 'sell'
  readonly type: 'market' | 'limit'
  readonly price: number | null
  readonly placedBarTimeMs: number
}

export abstract class RunBase {
  readonly series = new LiveSeries()
  readonly st = new KernelState()
  /** Index of the first bar decided on (bars before it are warm-up); -1 until set. */
  protected startBar = -1
  protected nextBar = 0
  protected silentThroughMs = -Infinity
  protected lastDecisionValue: LastDecision | null = null

  /** Appends warm-up bars and makes the next appended bar the first one decided on. */
  startAfterWarmup(warmup: CandleSeries): void {
    this.series.append(warmup)
    this.startBar = this.series.length
    this.nextBar = this.startBar
  }

  /**
   * Resumes a run journaled before: `bars` hold warm-up and the bars since the run's first decided
   * bar (`startBarMs`); bars up to `silentThroughMs` are replayed without events.
   */
  resumeAt(bars: CandleSeries, startBarMs: number, silentThroughMs: number): void {
    this.series.append(bars)
    const t = this.series.view().time
    let i = 0
    while (i < t.length && t[i]! < startBarMs) i++
    if (i === t.length || t[i] !== startBarMs)
      throw new RunHalt(`the venue's history no longer holds the run's first bar (${new Date(startBarMs).toISOString()})`)
    this.startBar = i
    this.nextBar = i
    this.silentThroughMs = silentThroughMs
  }

  /** Open time of the run's first decided bar (NaN before it has one). */
  get startBarMs(): number {
    return this.startBar >= 0 && this.startBar < this.series.length ? this.series.view().time[this.startBar]! : NaN
  }

  get lastDecision(): LastDecision | null {
    return this.lastDecisionValue
  }

  position(): PositionView {
    const st = this.st
    const s = this.series.view()
    return {
      qtyBase: st.qty,
      entryPrice: st.qty > 0 ? st.entryPrice : 0,
      entryBarTimeMs: st.qty > 0 && st.entryBar >= 0 ? s.time[st.entryBar]! : null,
      cashQuote: st.cash,
    }
  }

  protected silent(barTimeMs: number): boolean {
    return barTimeMs <= this.silentThroughMs
  }
}
