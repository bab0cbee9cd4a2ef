// What paper and live runs share: the append-only series they decide on, the kernel state, where
// deciding starts (after warm-up, or at the first decided bar of a run resumed after a restart)
// and which bars are replayed silently (already journaled before the restart).
import type { CandleSeries } from '../../shared/candles/types.ts'
import { equityAt } from '../../shared/engine/kernel.ts'
import { KernelState } from '../../shared/engine/state.ts'
import type { Journal } from '../journal/index.ts'
import type { EventLog, RunEventKind } from './event-log.ts'
import { LiveSeries } from './live-series.ts'
import type { RiskGuard } from './risk.ts'

/** What both kinds of run write to: the journal, the event log, the clock and the risk guard. */
export interface RunCore {
  readonly runId: string
  readonly journal: Journal
  readonly events: EventLog
  /** Time stamped on journal rows and events. */
  readonly nowMs: () => number
  readonly risk?: RiskGuard
  readonly timeframeMs?: number
}

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
  protected lastEquityValue = NaN

  constructor(private readonly core: RunCore) {}

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

  get lastEquity(): number {
    return this.lastEquityValue
  }

  protected silent(barTimeMs: number): boolean {
    return barTimeMs <= this.silentThroughMs
  }

  /** An event of bar `barTimeMs`, unless that bar is being replayed silently. */
  protected emit(kind: RunEventKind, barTimeMs: number, payload: Record<string, unknown>): void {
    if (this.silent(barTimeMs)) return
    this.core.events.append(kind, this.core.runId, this.core.nowMs(), { barTimeMs, ...payload })
  }

  /**
   * The end of a stepped bar: its decision, its equity mark (journal and event) and the risk
   * guard's verdict on it (a RunHalt when a loss limit is reached).
   */
  protected markBar(s: CandleSeries, signals: Int8Array, bar: number, intentIds: readonly string[]): void {
    const st = this.st
    const time = s.time[bar]!
    const equity = equityAt(st, s, bar)
    this.lastEquityValue = equity
    this.lastDecisionValue = { barTimeMs: time, signal: signals[bar]!, intents: intentIds }
    this.core.journal.equity.addPoint({
      runId: this.core.runId,
      timeMs: time,
      equityQuote: equity,
      cashQuote: st.cash,
      positionBase: st.qty,
    })
    this.emit('equity', time, { barTimeMs: time, equity, cash: st.cash, qtyBase: st.qty, close: s.close[bar]! })
    const halt = this.core.risk?.mark(time + (this.core.timeframeMs ?? 0), equity) ?? null
    if (halt !== null) throw new RunHalt(halt)
  }
}
